"""Declares the observability variables and wires logs, metrics and traces into the app.

Nothing here imports prometheus-client, OpenTelemetry or FastAPI: a console command pays
for a few listener registrations only. The HTTP app gets the middleware (at
``Priority.OBSERVABILITY``) and the ``/metrics`` route; the middleware prepares metrics and
tracing when the server first calls the app and installs the server log handler at
lifespan start-up.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, ClassVar

from foundry.domain.database import Database
from foundry.domain.env import EnvVar
from foundry.domain.events import EventDispatcher
from foundry.domain.http import MiddlewareSpec, Priority
from foundry.domain.provider import ServiceProvider

if TYPE_CHECKING:
    from foundry.domain.application import Application
    from foundry.observability.runtime import Observability

__all__ = [
    "ENV_VARS",
    "LOG_FORMAT",
    "METRICS_ENABLED",
    "METRICS_PATH",
    "METRICS_PREFIX",
    "METRICS_TOKEN",
    "OTEL_EXPORTER_OTLP_ENDPOINT",
    "OTEL_SERVICE_NAME",
    "PROMETHEUS_MULTIPROC_DIR",
    "ObservabilityServiceProvider",
]

LOG_FORMAT = EnvVar(
    "LOG_FORMAT",
    "logging.format",
    "enum",
    choices=("json", "pretty"),
    description=(
        "Server log lines: json (one object per line) or pretty (coloured text); "
        "default json when APP_ENV=production, pretty otherwise"
    ),
)
METRICS_ENABLED = EnvVar(
    "METRICS_ENABLED",
    "metrics.enabled",
    "bool",
    True,
    description="Serve Prometheus metrics and record request, command and pool metrics",
)
METRICS_PREFIX = EnvVar(
    "METRICS_PREFIX",
    "metrics.prefix",
    "str",
    "foundry_",
    description="Prefix of every metric name (foundry_http_requests_total)",
)
METRICS_TOKEN = EnvVar(
    "METRICS_TOKEN",
    "metrics.token",
    "str",
    secret=True,
    description="When set, /metrics answers only requests with Authorization: Bearer <token>",
)
METRICS_PATH = EnvVar(
    "METRICS_PATH",
    "metrics.path",
    "str",
    "/metrics",
    description="Where the Prometheus exposition is served",
)
PROMETHEUS_MULTIPROC_DIR = EnvVar(
    "PROMETHEUS_MULTIPROC_DIR",
    None,
    "path",
    description=(
        "Shared folder for metrics of several worker processes (set by serve --workers N; "
        "must be set before the processes start)"
    ),
)
OTEL_EXPORTER_OTLP_ENDPOINT = EnvVar(
    "OTEL_EXPORTER_OTLP_ENDPOINT",
    "tracing.otlp_endpoint",
    "url",
    description="OTLP/HTTP collector base URL; when set, requests and queries are traced",
)
OTEL_SERVICE_NAME = EnvVar(
    "OTEL_SERVICE_NAME",
    "tracing.service_name",
    "str",
    description="service.name of exported traces (default APP_NAME)",
)

ENV_VARS: tuple[EnvVar, ...] = (
    LOG_FORMAT,
    METRICS_ENABLED,
    METRICS_PREFIX,
    METRICS_TOKEN,
    METRICS_PATH,
    PROMETHEUS_MULTIPROC_DIR,
    OTEL_EXPORTER_OTLP_ENDPOINT,
    OTEL_SERVICE_NAME,
)


class ObservabilityServiceProvider(ServiceProvider):
    """Structured logs, Prometheus metrics and OpenTelemetry traces for the application.

    Binds :class:`~foundry.observability.Observability` (one per application), listens for
    command events when an ``EventDispatcher`` is bound, and contributes the
    observability middleware and the metrics route to the HTTP app.
    """

    name = "observability"
    after = (Database, EventDispatcher)
    env: ClassVar[tuple[EnvVar, ...]] = ENV_VARS

    def __init__(self) -> None:
        self._observability: Observability | None = None

    def _make(self, app: Application) -> Observability:
        from foundry.observability.runtime import Observability

        if self._observability is None:
            self._observability = Observability.for_app(app)
        return self._observability

    def register(self, app: Application) -> None:
        from foundry.observability.runtime import Observability

        app.singleton(Observability, lambda _container: self._make(app))

    def boot(self, app: Application) -> None:
        from foundry.observability.listeners import CommandMetricsListener
        from foundry.observability.runtime import Observability

        if app.bound(EventDispatcher):
            listener = CommandMetricsListener(lambda: app.make(Observability))
            listener.subscribe(app.make(EventDispatcher))

        def shutdown() -> None:
            if self._observability is not None:
                self._observability.shutdown()

        app.terminating(shutdown)

    def middleware(self, app: Application) -> Iterable[MiddlewareSpec]:
        from foundry.observability.middleware import ObservabilityMiddleware
        from foundry.observability.runtime import Observability

        return [
            MiddlewareSpec(
                ObservabilityMiddleware,
                {"observability": app.make(Observability)},
                priority=Priority.OBSERVABILITY,
                name="observability",
            )
        ]

    def routes(self, app: Application) -> Iterable[Any]:
        from foundry.observability.runtime import Observability

        observability = app.make(Observability)
        if not observability.settings.metrics_enabled:
            return []
        from foundry.observability.endpoint import metrics_router

        observability.expose()
        return [metrics_router(observability)]
