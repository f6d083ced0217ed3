"""The observability middleware: request metrics, request spans, server start-up.

Pure ASGI (no ``BaseHTTPMiddleware``: streaming responses and background tasks pass
through untouched, and there is no extra task per request). Per request it resolves the
route template once, updates the cached label children of that route, and wraps ``send``
only to read the status code. The metrics path is left out of its own metrics and traces.

It also watches the ASGI lifespan: ``lifespan.startup`` is the sign that a server is
running this app, so the server log handler is installed then; after the app has shut
down, the last spans are exported before the server is told shutdown is complete.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any

from foundry.observability.metrics import METHODS
from foundry.observability.routes import RouteTemplates, route_path

if TYPE_CHECKING:
    from foundry.observability.runtime import Observability

__all__ = ["ObservabilityMiddleware"]

logger = logging.getLogger("foundry.observability")

Scope = dict[str, Any]
Message = dict[str, Any]


class ObservabilityMiddleware:
    """Records ``http_requests_*`` metrics and request spans for an ASGI app.

    Args:
        app: the next ASGI app.
        observability: the application's :class:`~foundry.observability.Observability`.
        router: the router whose templates label requests (default: the Starlette app's,
            found in the scope).
    """

    def __init__(self, app: Any, *, observability: Observability, router: Any = None) -> None:
        self.app = app
        self.observability = observability
        observability.prepare_http()
        settings = observability.settings
        self._metrics = observability.metrics
        self._tracing = observability.tracing
        self._excluded = settings.metrics_path if settings.metrics_enabled else None
        self._routes = RouteTemplates(router)
        self._perf = time.perf_counter

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        kind = scope["type"]
        if kind != "http":
            if kind == "lifespan":
                await self._lifespan(scope, receive, send)
            else:
                await self.app(scope, receive, send)
            return
        metrics = self._metrics
        tracing = self._tracing
        path = route_path(scope)
        if (metrics is None and tracing is None) or path == self._excluded:
            await self.app(scope, receive, send)
            return
        raw_method = scope["method"]
        method = raw_method if raw_method in METHODS else "OTHER"
        route = self._routes.resolve(scope, raw_method, path)
        status = 500

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        series = metrics.series(method, route) if metrics is not None else None
        span = tracing.start_request(scope, method, route) if tracing is not None else None
        if series is not None:
            series.in_progress.inc()
        started = self._perf()
        error: BaseException | None = None
        try:
            await self.app(scope, receive, send_status)
        except BaseException as exc:
            error = exc
            raise
        finally:
            if series is not None:
                series.duration.observe(self._perf() - started)
                series.in_progress.dec()
                series.count(status)
            if span is not None:
                tracing.finish_request(span, status, error)  # type: ignore[union-attr]

    async def _lifespan(self, scope: Scope, receive: Any, send: Any) -> None:
        observability = self.observability

        async def on_receive() -> Message:
            message: Message = await receive()
            if message["type"] == "lifespan.startup":
                observability.start_server()
            return message

        async def on_send(message: Message) -> None:
            if message["type"] == "lifespan.shutdown.complete":
                try:
                    observability.shutdown()
                except Exception:
                    logger.exception("Stopping observability failed")
            await send(message)

        await self.app(scope, on_receive, on_send)
