"""Settings: defaults, the production switch, and malformed values named clearly."""

from __future__ import annotations

import logging

import pytest

from foundry.domain.config import MappingConfig
from foundry.domain.errors import ConfigurationError
from foundry.observability import ObservabilitySettings
from foundry.observability.settings import NOTICE


def test_defaults_without_any_variable() -> None:
    settings = ObservabilitySettings.load(environ={})
    assert settings.log_format == "pretty"
    assert settings.log_level == logging.INFO
    assert settings.metrics_enabled is True
    assert settings.metrics_prefix == "foundry_"
    assert settings.metrics_path == "/metrics"
    assert settings.metrics_token is None
    assert settings.multiprocess_dir is None
    assert settings.tracing_enabled is False
    assert settings.service_name == "Foundry"


def test_production_logs_json_unless_log_format_says_otherwise() -> None:
    assert ObservabilitySettings.load(environ={"APP_ENV": "production"}).log_format == "json"
    pretty = ObservabilitySettings.load(environ={"APP_ENV": "production", "LOG_FORMAT": "pretty"})
    assert pretty.log_format == "pretty"
    assert ObservabilitySettings.load(environ={"LOG_FORMAT": "JSON"}).log_format == "json"


def test_log_level_is_read_from_log_level_including_notice() -> None:
    assert ObservabilitySettings.load(environ={"LOG_LEVEL": "debug"}).log_level == logging.DEBUG
    assert ObservabilitySettings.load(environ={"LOG_LEVEL": "Notice"}).log_level == NOTICE


def test_config_repository_values_win_over_the_environment() -> None:
    config = MappingConfig(
        {
            "app": {"name": "Shop", "env": "production"},
            "metrics": {"prefix": "shop_", "enabled": "false"},
            "logging": {"level": "error"},
        }
    )
    settings = ObservabilitySettings.load(config, environ={"METRICS_PREFIX": "env_"})  # type: ignore[arg-type]
    assert settings.metrics_prefix == "shop_"
    assert settings.metrics_enabled is False
    assert settings.log_level == logging.ERROR
    assert settings.service_name == "Shop"
    assert settings.log_format == "json"


def test_service_name_defaults_to_app_name_and_follows_otel_service_name() -> None:
    base = {"APP_NAME": "Shop", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"}
    assert ObservabilitySettings.load(environ=base).service_name == "Shop"
    named = ObservabilitySettings.load(environ={**base, "OTEL_SERVICE_NAME": "shop-api"})
    assert named.service_name == "shop-api"
    assert named.tracing_enabled


@pytest.mark.parametrize(
    ("environ", "variable"),
    [
        ({"METRICS_ENABLED": "maybe"}, "METRICS_ENABLED"),
        ({"LOG_FORMAT": "xml"}, "LOG_FORMAT"),
        ({"METRICS_PREFIX": "9bad-"}, "METRICS_PREFIX"),
        ({"METRICS_PATH": "metrics"}, "METRICS_PATH"),
        ({"OTEL_EXPORTER_OTLP_ENDPOINT": "collector"}, "OTEL_EXPORTER_OTLP_ENDPOINT"),
    ],
)
def test_malformed_values_fail_naming_the_variable(environ: dict[str, str], variable: str) -> None:
    with pytest.raises(ConfigurationError) as raised:
        ObservabilitySettings.load(environ=environ)
    assert raised.value.message.startswith(variable)
    assert raised.value.context["variable"] == variable


def test_a_malformed_log_level_falls_back_to_info_and_is_remembered() -> None:
    settings = ObservabilitySettings.load(environ={"LOG_LEVEL": "loud"})
    assert settings.log_level == logging.INFO
    assert settings.log_level_problem == "loud"
