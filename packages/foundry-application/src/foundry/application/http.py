"""``create_app()``: the FastAPI application of a booted Foundry app.

Every provider's routers, middleware and exception handlers are added in boot order; the
middleware stack is ordered by each spec's priority (lower is outer). The app's start-up
and terminating hooks run in the FastAPI lifespan. FastAPI is imported only here, so the
CLI never pays for it unless it serves HTTP.
"""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from foundry.application.kernel import Application
from foundry.domain.http import APP_STATE_KEY, MiddlewareSpec
from foundry.domain.provider import ServiceProvider

if TYPE_CHECKING:
    from fastapi import FastAPI

__all__ = ["create_app", "middleware_stack"]


def middleware_stack(app: Application) -> list[MiddlewareSpec]:
    """Every provider's middleware, outermost first."""
    specs: list[MiddlewareSpec] = []
    for provider in app.providers:
        specs.extend(provider.middleware(app))
    return sorted(specs, key=lambda spec: spec.priority)


def create_app(
    base_path: str | Path | None = None,
    *,
    providers: Sequence[ServiceProvider | type[ServiceProvider]] = (),
    discover: bool = True,
    application: Application | None = None,
    **fastapi_options: Any,
) -> FastAPI:
    """Boot the application and assemble its FastAPI app.

    Args:
        base_path: the app root (found from the working directory when omitted).
        providers: extra providers (see :class:`Application`).
        discover: load installed providers.
        application: an already built :class:`Application` to serve.
        fastapi_options: passed to ``FastAPI(...)`` (title, docs_url ...).
    """
    from fastapi import FastAPI

    app = application or Application(base_path, providers=providers, discover=discover)
    app.boot()

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await app.serve()
        # Everything built so far (providers, routes, pools) lives as long as the server.
        # Moving it out of the collector's reach spares every later full collection from
        # walking it: under load those pauses were the tail of the latency distribution.
        gc.collect()
        gc.freeze()
        try:
            yield
        finally:
            await app.terminate()

    options: dict[str, Any] = {
        "title": str(app.config.get("app.name") or "Foundry"),
        "version": app.version,
        # Starlette's debug page shows tracebacks: never in production, whatever APP_DEBUG says
        "debug": app.debug and not app.is_production(),
        "lifespan": lifespan,
    }
    options.update(fastapi_options)
    api = FastAPI(**options)
    setattr(api.state, APP_STATE_KEY, app)
    app.instance(FastAPI, api)
    for provider in app.providers:
        for router in provider.routes(app):
            api.include_router(router)
        for key, handler in provider.exception_handlers(app).items():
            api.add_exception_handler(key, handler)
    # add_middleware puts each new middleware outside the previous ones: add innermost first
    for spec in reversed(middleware_stack(app)):
        api.add_middleware(spec.cls, **dict(spec.options))
    if _enabled(app.config.get("app.route_index", True)):
        from foundry.application.route_index import install_route_index

        install_route_index(api)
    return api


def _enabled(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() not in ("0", "false", "no", "off")
    return value is None or bool(value)
