"""The bootstrapper inside a real kernel, with foundry-env loading .env before it."""

from __future__ import annotations

import os
import stat

import pytest

from foundry.config import ConfigBootstrapper, Repository
from foundry.domain.application import Bootstrapper
from foundry.domain.config import ConfigRepository
from foundry.domain.errors import ConfigurationError


def test_bootstrapper_is_registered_with_order_20():
    from importlib.metadata import entry_points

    found = {e.name: e for e in entry_points(group="foundry.bootstrappers")}
    assert found["config"].value == "foundry.config.bootstrap:ConfigBootstrapper"
    assert found["config"].load().order == 20
    assert isinstance(ConfigBootstrapper(), Bootstrapper)


def test_repository_is_bound_and_layers_real_files_and_env(base, write, make_app, monkeypatch):
    write(base / "config" / "cache.toml", 'driver = "file"\nttl = 10\n[stores.file]\npath = "x"\n')
    write(base / "config" / "mail.toml", 'host = "toml.example"\n')
    write(base / ".env", "CACHE_DRIVER=redis\nMAIL_HOST=dotenv.example\n")
    monkeypatch.setenv("MAIL_HOST", "process.example")
    app = make_app()
    config = app.make(ConfigRepository)
    assert isinstance(config, Repository)
    assert config.get("cache.driver") == "redis"  # .env over TOML
    assert config.get("cache.ttl") == 10  # TOML over the declared default
    assert config.get("cache.prefix") == "foundry"  # declared default
    assert config.get("cache.stores.file.path") == "x"
    assert config.get("mail.host") == "process.example"  # process over .env over TOML
    assert app.config.get("app.name") == "Foundry"  # the kernel's own declarations


def test_declarations_loaded_after_bootstrap_are_picked_up(base, make_app):
    app = make_app(boot=False)
    app.load()  # bootstrappers ran when nothing was declared; providers came after
    assert app.config.get("cache.ttl") == 3600
    assert app.config.get("app.env") == "local"


def test_malformed_env_line_raises_with_its_origin(base, write, make_app):
    write(base / ".env", "APP_NAME=x\n\nAPP_DEBUG=maybe\n")
    app = make_app()
    with pytest.raises(ConfigurationError) as error:
        app.config.get("app.debug")
    assert error.value.message == ".env line 3: APP_DEBUG=maybe is not a boolean (true/false)"
    with pytest.raises(ConfigurationError):
        _ = app.debug
    assert app.config.get("app.name") == "x"


def test_malformed_process_value_raises_naming_the_environment(base, make_app, monkeypatch):
    monkeypatch.setenv("CACHE_TTL", "soon")
    app = make_app()
    with pytest.raises(ConfigurationError) as error:
        app.config.get("cache")
    assert error.value.message == "CACHE_TTL=soon (environment) is not an integer"


def test_invalid_toml_fails_the_boot_naming_the_file(base, write, make_app):
    write(base / "config" / "cache.toml", "[stores\n")
    with pytest.raises(ConfigurationError) as error:
        make_app()
    assert error.value.message.startswith("config/cache.toml line 1, column ")


def test_corrupt_cache_fails_the_boot_saying_to_delete_it(base, write, make_app):
    write(base / "bootstrap" / "cache" / "config.json", "{not json")
    with pytest.raises(ConfigurationError) as error:
        make_app()
    assert "bootstrap/cache/config.json" in error.value.message
    assert "Delete" in error.value.message


async def test_env_reload_reaches_the_repository(base, write, make_app, run):
    from foundry.env import EnvServiceProvider

    write(base / ".env", "CACHE_DRIVER=file\n")
    app = make_app(EnvServiceProvider)
    assert app.config.get("cache.driver") == "file"
    write(base / ".env", "CACHE_DRIVER=redis\n")
    ran = await run(app, "env:reload", format="json")
    assert ran.outcome.exit_code == 0, ran.outcome.error
    assert ran.data["config_reloaded"] is True
    assert app.config.get("cache.driver") == "redis"


async def test_cache_round_trip_ignores_env_until_cleared(base, write, make_app, run, monkeypatch):
    write(
        base / "config" / "cache.toml",
        "ttl = 10\nsince = 2024-05-01\n[stores.redis]\nport = 6380\n",
    )
    write(base / ".env", "CACHE_DRIVER=redis\nMAIL_PASSWORD=hunter2\n")
    live = make_app()
    live_values = live.config.all()
    ran = await run(live, "config:cache", format="json")
    assert ran.outcome.exit_code == 0, ran.outcome.error
    path = base / "bootstrap" / "cache" / "config.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert ran.message == "Configuration cached in bootstrap/cache/config.json."

    write(base / ".env", "CACHE_DRIVER=file\n")
    write(base / "config" / "cache.toml", "ttl = 99\n")
    monkeypatch.delenv("CACHE_DRIVER", raising=False)
    monkeypatch.delenv("MAIL_PASSWORD", raising=False)
    monkeypatch.setenv("CACHE_TTL", "5")
    cached = make_app()
    assert cached.config.is_cached
    assert cached.config.all() == live_values  # equal values, dates included
    assert cached.config.get("cache.driver") == "redis"  # .env and the process ignored
    assert cached.config.get("mail.credential") == "hunter2"

    cleared = await run(cached, "config:clear")
    assert cleared.outcome.exit_code == 0
    assert not path.exists()
    fresh = make_app()
    assert not fresh.config.is_cached
    assert fresh.config.get("cache.ttl") == 5
    assert fresh.config.get("cache.driver") == "file"


async def test_cache_keeps_values_set_at_run_time(base, make_app, run):
    app = make_app()
    app.config.set("feature.flag", True)
    await run(app, "config:cache")
    assert make_app().config.get("feature.flag") is True


async def test_cache_refuses_a_malformed_environment(base, write, make_app, run):
    write(base / ".env", "CACHE_TTL=soon\n")
    app = make_app()
    ran = await run(app, "config:cache")
    assert ran.outcome.exit_code == 1
    assert ran.outcome.error == ".env line 1: CACHE_TTL=soon is not an integer"
    assert not (base / "bootstrap" / "cache" / "config.json").exists()


async def test_cache_and_clear_dry_run_change_nothing(base, make_app, run):
    app = make_app()
    ran = await run(app, "config:cache", dry_run=True)
    assert ran.outcome.exit_code == 0
    assert not (base / "bootstrap" / "cache" / "config.json").exists()
    await run(app, "config:cache")
    cleared = await run(app, "config:clear", dry_run=True)
    assert cleared.data["removed"] is False
    assert (base / "bootstrap" / "cache" / "config.json").exists()


async def test_clear_without_a_cache_says_so(make_app, run):
    ran = await run(make_app(), "config:clear", format="json")
    assert ran.outcome.exit_code == 0
    assert ran.data["removed"] is False
    assert ran.message.startswith("No configuration cache to clear")


def test_env_file_values_are_in_os_environ_for_other_readers(base, write, make_app):
    write(base / ".env", "MAIL_HOST=from.file\n")
    make_app()
    assert os.environ["MAIL_HOST"] == "from.file"
