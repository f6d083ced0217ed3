"""Settings: every variable declared on the provider, read once, bad values named at boot."""

from __future__ import annotations

import pytest

from foundry.api.provider import ApiServiceProvider
from foundry.api.settings import ENV, ApiSettings
from foundry.domain.config import MappingConfig
from foundry.domain.env import defaults_of
from foundry.domain.errors import ConfigurationError


def settings(**overrides: object) -> ApiSettings:
    config = MappingConfig(defaults_of(ENV))
    for key, value in overrides.items():
        config.set(key.replace("__", "."), value)
    return ApiSettings.from_config(config)


def test_every_variable_is_declared_on_the_provider():
    names = {var.name for var in ApiServiceProvider.env}
    assert names >= {
        "TRUSTED_PROXIES",
        "API_BODY_LIMIT",
        "CORS_ORIGINS",
        "CORS_METHODS",
        "CORS_HEADERS",
        "CORS_CREDENTIALS",
        "CORS_MAX_AGE",
        "API_INVOKE_ENABLED",
        "UPLOAD_DISK",
        "UPLOAD_MAX_SIZE",
        "UPLOAD_ALLOWED_MIMES",
        "API_UPLOAD_PUBLIC",
        "HSTS_MAX_AGE",
        "API_FRAME_OPTIONS",
    }


def test_the_declared_defaults_are_the_dataclass_defaults():
    assert settings() == ApiSettings()


def test_text_values_from_config_files_are_accepted():
    loaded = settings(
        api__body_limit="2048",
        api__cors__origins="https://a.test, https://b.test",
        api__upload__allowed_mimes="Image/PNG",
        api__invoke__enabled="yes",
    )
    assert loaded.body_limit == 2048
    assert loaded.cors_origins == ("https://a.test", "https://b.test")
    assert loaded.upload_allowed_mimes == ("image/png",)
    assert loaded.invoke_enabled is True


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"api__body_limit": 0}, "API_BODY_LIMIT"),
        ({"api__body_limit": "ten"}, "API_BODY_LIMIT"),
        ({"api__upload__max_size": -1}, "UPLOAD_MAX_SIZE"),
        ({"api__upload__allowed_mimes": ["png"]}, "UPLOAD_ALLOWED_MIMES: 'png' is not a MIME"),
        ({"api__frame_options": "allow-from"}, "API_FRAME_OPTIONS"),
        ({"api__invoke__enabled": "maybe"}, "API_INVOKE_ENABLED"),
        ({"api__cors__max_age": True}, "CORS_MAX_AGE"),
    ],
)
def test_a_bad_value_names_the_variable(overrides, message):
    with pytest.raises(ConfigurationError, match=message):
        settings(**overrides)
