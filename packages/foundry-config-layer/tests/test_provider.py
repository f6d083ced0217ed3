"""The provider against the real kernel: boot binds typed sections or fails clearly."""

from __future__ import annotations

from typing import ClassVar

import pytest
from config_layer_schemas import CacheSettings, MailSettings, RedisSettings

from foundry.config_layer import InvalidConfigurationError
from foundry.config_layer.provider import ConfigLayerServiceProvider
from foundry.domain.application import Application as ApplicationContract
from foundry.domain.env import EnvVar
from foundry.domain.errors import ProviderError
from foundry.domain.provider import ServiceProvider

BOOT_FAILED = "Provider config-layer: boot failed: "


class CacheProvider(ServiceProvider):
    name = "cache"
    config_sections: ClassVar = {"cache": "config_layer_schemas:CacheSettings"}
    env: ClassVar = (
        EnvVar("CACHE_TTL", "cache.ttl", "str"),
        EnvVar("CACHE_DRIVER", "cache.driver", "str", "memory"),
        EnvVar("CACHE_REDIS_PORT", "cache.redis.port", "str"),
    )


class MailProvider(ServiceProvider):
    name = "mail"
    config_sections: ClassVar = {"mail": "config_layer_schemas:MailSettings"}


class CacheService:
    """A service that asks for its settings by type."""

    def __init__(self, settings: CacheSettings) -> None:
        self.settings = settings


def boot_error(app) -> str:
    with pytest.raises(ProviderError) as caught:
        app.boot()
    return caught.value.message


def test_boot_binds_each_section_as_an_instance_of_its_schema(make_app, write):
    write("config/cache.toml", 'driver = "redis"\nttl = 60\n\n[redis]\nport = 6380\n')
    app = make_app(ConfigLayerServiceProvider, CacheProvider).boot()
    settings = app.make(CacheSettings)
    assert settings == CacheSettings(driver="redis", ttl=60, redis=RedisSettings(port=6380))
    assert app.make(CacheSettings) is settings


def test_sections_are_injected_into_constructors_by_type(make_app, write):
    write("config/cache.toml", "ttl = 5\n")
    app = make_app(ConfigLayerServiceProvider, CacheProvider).boot()
    service = app.make(CacheService)
    assert service.settings is app.make(CacheSettings)
    assert service.settings.ttl == 5


def test_declared_defaults_and_the_environment_feed_the_section(make_app, monkeypatch):
    monkeypatch.setenv("CACHE_TTL", "90")
    app = make_app(ConfigLayerServiceProvider, CacheProvider).boot()
    assert app.make(CacheSettings).ttl == 90
    assert app.make(CacheSettings).driver == "memory"


def test_boot_fails_with_one_exact_message_for_one_problem(make_app, write):
    write("config/cache.toml", 'ttl = "soon"\n')
    app = make_app(ConfigLayerServiceProvider, CacheProvider)
    assert boot_error(app) == (
        BOOT_FAILED
        + 'Invalid configuration: cache.ttl: Input should be a valid integer (got "soon" from '
        "config/cache.toml)"
    )


def test_boot_failure_lists_every_problem_of_every_section(make_app, write, monkeypatch):
    write("config/cache.toml", 'colour = "red"\n[redis]\nport = 6380\n')
    write("config/colour.toml", "hue = 1\n")
    monkeypatch.setenv("CACHE_TTL", "soon")
    monkeypatch.setenv("CACHE_REDIS_PORT", "high")
    app = make_app(ConfigLayerServiceProvider, CacheProvider, MailProvider).load()
    # What foundry-env records when it loads .env (bound after its bootstrapper ran).
    app.instance("env.origins", {"CACHE_TTL": ".env line 3"})
    assert boot_error(app) == BOOT_FAILED + "\n".join(
        [
            "Invalid configuration (5 problems):",
            '  cache.ttl: Input should be a valid integer (got "soon" from CACHE_TTL, .env line 3)',
            "  cache.redis.port: Input should be a valid integer"
            ' (got "high" from CACHE_REDIS_PORT)',
            "  cache.colour: unknown key (in config/cache.toml); known keys: driver, port, prefix,"
            " redis, secret, servers, ttl",
            "  mail.from_address: Field required (set it in config/mail.toml)",
            "  colour: unknown section (config/colour.toml): no installed provider declares it;"
            " known sections: app, cache, mail. Remove the file or install the package that"
            " reads it",
        ]
    )


def test_the_boot_error_carries_every_problem_as_data(make_app, write):
    write("config/cache.toml", 'ttl = "soon"\ndriver = "disk"\n')
    app = make_app(ConfigLayerServiceProvider, CacheProvider)
    with pytest.raises(ProviderError) as caught:
        app.boot()
    cause = caught.value.__cause__
    assert isinstance(cause, InvalidConfigurationError)
    assert [(p.key, p.kind, p.source) for p in cause.problems] == [
        ("cache.driver", "invalid", "config/cache.toml"),
        ("cache.ttl", "invalid", "config/cache.toml"),
    ]


def test_a_config_file_for_a_framework_section_is_not_a_stranger(make_app, write):
    write("config/app.toml", 'name = "Shop"\n')
    app = make_app(ConfigLayerServiceProvider, CacheProvider).boot()
    assert app.config.get("app.name") == "Shop"


def test_a_config_file_nobody_declares_is_an_unknown_section(make_app, write):
    write("config/queue.toml", 'connection = "redis"\n')
    app = make_app(ConfigLayerServiceProvider, CacheProvider)
    message = boot_error(app)
    assert "queue: unknown section (config/queue.toml)" in message
    assert "known sections: app, cache" in message


def test_a_schema_that_cannot_be_imported_names_its_provider(make_app):
    class Broken(ServiceProvider):
        name = "broken"
        config_sections: ClassVar = {"broken": "config_layer_missing_module:Settings"}

    message = boot_error(make_app(ConfigLayerServiceProvider, Broken))
    assert message.startswith(
        BOOT_FAILED + "Invalid configuration: broken: the schema of broken cannot be loaded: "
        "cannot import config_layer_missing_module"
    )


def test_a_schema_that_is_not_a_model_is_refused(make_app):
    class Odd(ServiceProvider):
        name = "odd"
        config_sections: ClassVar = {"odd": "config_layer_schemas:NotASchema"}

    assert boot_error(make_app(ConfigLayerServiceProvider, Odd)) == (
        BOOT_FAILED + "Invalid configuration: odd: the schema config_layer_schemas:NotASchema "
        "of odd is not a pydantic model; subclass foundry.config_layer.Section"
    )


def test_one_section_declared_by_two_providers_with_two_schemas_is_refused(make_app):
    class OtherCache(ServiceProvider):
        name = "other-cache"
        config_sections: ClassVar = {"cache": "config_layer_schemas:MailSettings"}

    message = boot_error(make_app(ConfigLayerServiceProvider, CacheProvider, OtherCache))
    assert "cache: declared twice: by cache (config_layer_schemas:CacheSettings) and by " in message


def test_a_provider_booting_first_gets_validated_settings(make_app, write):
    seen: list[CacheSettings] = []

    class EarlyConsumer(ServiceProvider):
        name = "early"

        def boot(self, app: ApplicationContract) -> None:
            seen.append(app.make(CacheSettings))

    write("config/cache.toml", "ttl = 7\n")
    app = make_app(EarlyConsumer, ConfigLayerServiceProvider, CacheProvider).boot()
    assert seen == [CacheSettings(ttl=7)]
    assert app.make(CacheSettings) == seen[0]


def test_a_provider_booting_first_gets_the_sections_own_error(make_app, write):
    class EarlyConsumer(ServiceProvider):
        name = "early"

        def boot(self, app: ApplicationContract) -> None:
            app.make(CacheSettings)

    write("config/cache.toml", 'ttl = "soon"\n')
    message = boot_error(make_app(EarlyConsumer, ConfigLayerServiceProvider, CacheProvider))
    assert message == (
        "Provider early: boot failed: Invalid configuration: cache.ttl: Input should be a "
        'valid integer (got "soon" from config/cache.toml)'
    )


def test_a_required_key_set_nowhere_fails_the_boot(base):
    from foundry.application import Application

    app = Application(base, providers=[ConfigLayerServiceProvider, MailProvider], discover=False)
    assert boot_error(app) == (
        BOOT_FAILED
        + "Invalid configuration: mail.from_address: Field required (set it in config/mail.toml)"
    )


def test_the_provider_module_does_not_import_pydantic():
    import subprocess
    import sys

    code = (
        "import sys, foundry.config_layer.provider, foundry.config_layer; "
        "print('pydantic' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False", result.stderr
    assert MailSettings.__name__ == "MailSettings"
