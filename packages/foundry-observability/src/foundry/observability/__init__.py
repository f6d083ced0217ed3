"""Structured logs, Prometheus metrics and OpenTelemetry traces for Foundry applications.

Server processes log JSON lines (production) or pretty text, every record carrying the
request, user and trace ids; ``/metrics`` exposes request, command, database-pool and
build metrics labelled by route template, summed across worker processes; with
``OTEL_EXPORTER_OTLP_ENDPOINT`` set, requests and their queries are traced. The names
below load on first use so that provider discovery stays cheap.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from foundry.observability.endpoint import metrics_router
    from foundry.observability.formatters import ContextFilter, JsonFormatter, PrettyFormatter
    from foundry.observability.log_setup import SERVER_LOGGERS, configure_logging
    from foundry.observability.metrics import Metrics
    from foundry.observability.middleware import ObservabilityMiddleware
    from foundry.observability.multiprocess import prepare_directory
    from foundry.observability.provider import ENV_VARS, ObservabilityServiceProvider
    from foundry.observability.routes import UNMATCHED, RouteTemplates
    from foundry.observability.runtime import Observability
    from foundry.observability.settings import ObservabilitySettings
    from foundry.observability.tracing import Tracing

__version__ = "0.1.0"

__all__ = [
    "ENV_VARS",
    "SERVER_LOGGERS",
    "UNMATCHED",
    "ContextFilter",
    "JsonFormatter",
    "Metrics",
    "Observability",
    "ObservabilityMiddleware",
    "ObservabilityServiceProvider",
    "ObservabilitySettings",
    "PrettyFormatter",
    "RouteTemplates",
    "Tracing",
    "__version__",
    "configure_logging",
    "metrics_router",
    "prepare_directory",
]

_LAZY = {
    "ENV_VARS": "foundry.observability.provider",
    "SERVER_LOGGERS": "foundry.observability.log_setup",
    "UNMATCHED": "foundry.observability.routes",
    "ContextFilter": "foundry.observability.formatters",
    "JsonFormatter": "foundry.observability.formatters",
    "Metrics": "foundry.observability.metrics",
    "Observability": "foundry.observability.runtime",
    "ObservabilityMiddleware": "foundry.observability.middleware",
    "ObservabilityServiceProvider": "foundry.observability.provider",
    "ObservabilitySettings": "foundry.observability.settings",
    "PrettyFormatter": "foundry.observability.formatters",
    "RouteTemplates": "foundry.observability.routes",
    "Tracing": "foundry.observability.tracing",
    "configure_logging": "foundry.observability.log_setup",
    "metrics_router": "foundry.observability.endpoint",
    "prepare_directory": "foundry.observability.multiprocess",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'foundry.observability' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
