"""``GET /metrics``: the Prometheus exposition, optionally behind a bearer token.

The body is rendered in a worker thread: in multiprocess mode a scrape reads every
worker's files, which must not stall the requests sharing the event loop. Prometheus
asking for OpenMetrics (``Accept: application/openmetrics-text``) gets it.
"""

from __future__ import annotations

import hmac
from typing import TYPE_CHECKING, Any

from foundry.domain.errors import AuthenticationError

if TYPE_CHECKING:
    from foundry.observability.runtime import Observability

__all__ = ["metrics_router"]


def _refusal() -> Any:
    from starlette.responses import JSONResponse

    error = AuthenticationError(
        "The metrics endpoint needs the token from METRICS_TOKEN: send "
        "Authorization: Bearer <token>."
    )
    return JSONResponse(
        {"error": error.to_dict()},
        status_code=error.status,
        headers={"WWW-Authenticate": 'Bearer realm="metrics"'},
    )


def metrics_router(observability: Observability) -> Any:
    """An ``APIRouter`` serving the metrics at ``METRICS_PATH`` (hidden from OpenAPI).

    Args:
        observability: whose metrics to serve; its ``metrics_token`` protects them.
    """
    from fastapi import APIRouter
    from starlette.concurrency import run_in_threadpool
    from starlette.responses import Response

    settings = observability.settings
    token = settings.metrics_token.encode() if settings.metrics_token else None

    async def metrics_endpoint(request: Any) -> Any:
        if token is not None:
            scheme, _, supplied = request.headers.get("authorization", "").partition(" ")
            if scheme.lower() != "bearer" or not hmac.compare_digest(
                supplied.strip().encode(), token
            ):
                return _refusal()
        metrics = observability.metrics
        if metrics is None:  # disabled after the route was added: answer as if absent
            return Response(status_code=404)
        body, content_type = await run_in_threadpool(metrics.render, request.headers.get("accept"))
        return Response(body, headers={"Content-Type": content_type})

    router = APIRouter()
    router.add_route(
        settings.metrics_path,
        metrics_endpoint,
        methods=["GET"],
        name="metrics",
        include_in_schema=False,
    )
    return router
