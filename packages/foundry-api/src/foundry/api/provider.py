"""The HTTP kernel's provider: middleware, error envelopes, routes, ``serve``, ``route:list``.

Everything is read from configuration once, when the FastAPI application is assembled
(``create_app()``), never per request. FastAPI and the middleware modules are imported only
then, so the CLI pays nothing for this package until it serves HTTP.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from foundry.api.settings import ENV, ApiSettings
from foundry.domain.config import ConfigRepository
from foundry.domain.provider import ServiceProvider

if TYPE_CHECKING:
    from foundry.domain.application import Application
    from foundry.domain.container import Container
    from foundry.domain.http import MiddlewareSpec

__all__ = ["ApiServiceProvider", "shows_debug_details"]


def shows_debug_details(app: Application) -> bool:
    """Whether 500 envelopes carry the exception: ``APP_DEBUG``, and never in production."""
    return app.debug and not app.is_production()


def _settings(container: Container) -> ApiSettings:
    return ApiSettings.from_config(container.make(ConfigRepository))


class ApiServiceProvider(ServiceProvider):
    """Binds :class:`ApiSettings` and contributes the HTTP kernel to ``create_app()``."""

    name = "api"
    commands = (
        "foundry.api.commands.serve:ServeCommand",
        "foundry.api.commands.route_list:RouteListCommand",
    )
    env = ENV

    def register(self, app: Application) -> None:
        app.singleton(ApiSettings, _settings)

    def middleware(self, app: Application) -> Iterable[MiddlewareSpec]:
        from foundry.api.stack import middleware_specs

        return middleware_specs(app.make(ApiSettings), debug=shows_debug_details(app))

    def exception_handlers(self, app: Application) -> Mapping[Any, Any]:
        from foundry.api.handlers import exception_handlers

        return exception_handlers(debug=shows_debug_details(app))

    def routes(self, app: Application) -> Iterable[Any]:
        from fastapi import APIRouter, FastAPI

        from foundry.api.command_routes import add_command_routes
        from foundry.api.openapi import document_error_envelope
        from foundry.api.upload_route import add_upload_route

        if app.bound(FastAPI):  # the application being assembled (create_app binds it)
            document_error_envelope(app.make(FastAPI))
        settings = app.make(ApiSettings)
        # One router for all: each included router is one more match on every request.
        router = APIRouter()
        add_command_routes(router, app, invoke_enabled=settings.invoke_enabled)
        add_upload_route(router, app, settings)
        return (router,)
