"""OpenTelemetry traces of requests and database queries, exported over OTLP/HTTP.

Enabled by ``OTEL_EXPORTER_OTLP_ENDPOINT``; needs ``foundry-observability[otel]``.
Request spans come from the observability middleware (pure ASGI, placed at
``Priority.OBSERVABILITY``), named ``GET /products/{id}`` from the route template it
already resolved for metrics, continuing a caller's ``traceparent``. When something outside
it already traces the request — FastAPI's own telemetry, which switches itself on once a
global tracer provider exists, or an instrumentation a user added — that span is the
request span and no second one is made. Query spans come from
opentelemetry-instrumentation-sqlalchemy, attached to ``Database.engine.sync_engine``
only (no global patching of ``create_engine``), so they are children of the request span.
"""

from __future__ import annotations

import logging
import weakref
from typing import Any, cast

from foundry.domain.context import current_request_id
from foundry.domain.errors import MissingDependencyError
from foundry.observability.formatters import set_trace_ids_source
from foundry.observability.routes import UNMATCHED

__all__ = ["Tracing", "current_trace_ids", "traces_endpoint"]

logger = logging.getLogger("foundry.observability")

_instrumented: weakref.WeakSet[Any] = weakref.WeakSet()


def traces_endpoint(base: str) -> str:
    """``http://collector:4318`` -> ``http://collector:4318/v1/traces`` (the OTLP rule
    for the generic endpoint variable)."""
    return base.rstrip("/") + "/v1/traces"


def current_trace_ids() -> tuple[str, str] | None:
    """``(trace_id, span_id)`` of the active span as lowercase hex, or None."""
    from opentelemetry import trace

    context = trace.get_current_span().get_span_context()
    if not context.is_valid:
        return None
    return format(context.trace_id, "032x"), format(context.span_id, "016x")


class _HeaderGetter:
    """Reads propagation headers from an ASGI header list."""

    def get(self, carrier: dict[str, list[str]], key: str) -> list[str] | None:
        return carrier.get(key.lower())

    def keys(self, carrier: dict[str, list[str]]) -> list[str]:
        return list(carrier)


_GETTER = _HeaderGetter()
_PROPAGATED = frozenset({b"traceparent", b"tracestate", b"baggage"})


class Tracing:
    """A tracer provider exporting to one OTLP/HTTP endpoint.

    Args:
        endpoint: the collector's base URL (``/v1/traces`` is appended).
        service_name: ``service.name`` of every span.
        version: ``service.version``.
        environment: ``deployment.environment.name``.
        set_global: also make it the global tracer provider (when none is configured),
            so spans users start with ``trace.get_tracer(...)`` are exported too.
        exporter: a span exporter to use instead of OTLP/HTTP.

    Raises:
        MissingDependencyError: the ``otel`` extra is not installed.
    """

    def __init__(
        self,
        *,
        endpoint: str,
        service_name: str,
        version: str = "0.1.0",
        environment: str = "local",
        set_global: bool = True,
        exporter: Any = None,
    ) -> None:
        try:
            from opentelemetry import context as otel_context
            from opentelemetry import trace
            from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
            from opentelemetry.propagate import extract
            from opentelemetry.sdk.resources import Resource
            from opentelemetry.sdk.trace import TracerProvider
            from opentelemetry.sdk.trace.export import BatchSpanProcessor
        except ImportError:
            raise MissingDependencyError(
                "Tracing (OTEL_EXPORTER_OTLP_ENDPOINT is set)",
                "'foundry-observability[otel]'",
            ) from None
        from foundry.observability import __version__

        resource = Resource.create(
            {
                "service.name": service_name,
                "service.version": version,
                "deployment.environment.name": environment,
            }
        )
        self.provider = TracerProvider(resource=resource)
        self.exporter = exporter or OTLPSpanExporter(endpoint=traces_endpoint(endpoint))
        self.provider.add_span_processor(BatchSpanProcessor(self.exporter))
        self.is_global = False
        if set_global and isinstance(trace.get_tracer_provider(), trace.ProxyTracerProvider):
            trace.set_tracer_provider(self.provider)
            self.is_global = True
        self.tracer = self.provider.get_tracer("foundry.observability", __version__)
        self._server_kind = trace.SpanKind.SERVER
        self._error = trace.StatusCode.ERROR
        self._set_span_in_context = trace.set_span_in_context
        self._current_span = trace.get_current_span
        self._attach = otel_context.attach
        self._detach = otel_context.detach
        self._extract = extract
        set_trace_ids_source(current_trace_ids)
        self._closed = False

    # --- database --------------------------------------------------------------------

    def instrument_engine(self, engine: Any) -> bool:
        """Trace every query of this engine (``AsyncEngine`` or ``Engine``), once.

        Returns:
            True when instrumented now, False when it already was.
        """
        from opentelemetry.instrumentation.sqlalchemy.engine import EngineTracer
        from opentelemetry.metrics import get_meter

        sync_engine = getattr(engine, "sync_engine", engine)
        if sync_engine in _instrumented:
            return False
        usage = get_meter("foundry.observability").create_up_down_counter(
            "db.client.connections.usage", unit="connections"
        )
        EngineTracer(self.tracer, sync_engine, usage, enable_commenter=False)  # type: ignore[no-untyped-call]
        _instrumented.add(sync_engine)
        return True

    # --- requests --------------------------------------------------------------------

    def start_request(self, scope: Any, method: str, route: str) -> tuple[Any, Any] | None:
        """Start and activate the span of an HTTP request; None when an outer layer
        already traces it (that span gets the request id instead)."""
        request_id = current_request_id()
        outer = self._current_span()
        if outer.is_recording():
            if request_id is not None:
                outer.set_attribute("foundry.request_id", request_id)
            return None
        carrier: dict[str, list[str]] = {}
        user_agent = None
        for name, value in scope.get("headers", ()):
            if name in _PROPAGATED:
                carrier.setdefault(name.decode("latin-1"), []).append(value.decode("latin-1"))
            elif name == b"user-agent":
                user_agent = value.decode("latin-1")
        parent = self._extract(carrier, getter=cast(Any, _GETTER)) if carrier else None
        attributes: dict[str, Any] = {
            "http.request.method": method,
            "url.path": scope.get("path", ""),
            "url.scheme": scope.get("scheme", "http"),
        }
        if route != UNMATCHED:
            attributes["http.route"] = route
        if user_agent is not None:
            attributes["user_agent.original"] = user_agent
        client = scope.get("client")
        if client:
            attributes["client.address"] = client[0]
        if request_id is not None:
            attributes["foundry.request_id"] = request_id
        name = method if route == UNMATCHED else f"{method} {route}"
        span = self.tracer.start_span(
            name, context=parent, kind=self._server_kind, attributes=attributes
        )
        token = self._attach(self._set_span_in_context(span, parent))
        return span, token

    def finish_request(
        self, started: tuple[Any, Any], status: int, error: BaseException | None = None
    ) -> None:
        """Record the outcome, end the span and restore the previous context."""
        span, token = started
        span.set_attribute("http.response.status_code", status)
        if error is not None:
            span.record_exception(error)
            span.set_status(self._error, f"{type(error).__name__}: {error}")
        elif status >= 500:
            span.set_status(self._error)
        span.end()
        self._detach(token)

    # --- lifecycle -------------------------------------------------------------------

    def flush(self, timeout_ms: int = 5000) -> bool:
        """Export every finished span now; False when the exporter did not finish."""
        return bool(self.provider.force_flush(timeout_ms))

    def shutdown(self) -> None:
        """Flush and stop exporting (idempotent)."""
        if self._closed:
            return
        self._closed = True
        try:
            self.provider.shutdown()
        except Exception as exc:  # never fail an app's shutdown over telemetry
            logger.warning("Shutting down tracing failed: %s", exc)
