"""The package's router: the websocket, the auth endpoint and the Pusher HTTP API.

Plain Starlette endpoints (no FastAPI dependency injection): each answers for itself in
Foundry's error envelope, so the routes behave the same with or without the HTTP
kernel's exception handlers, and stay out of the OpenAPI schema.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from foundry.broadcast.auth_endpoint import authorise_subscription, error_response
from foundry.broadcast.rest import RestApi
from foundry.broadcast.websocket import socket_endpoint
from foundry.domain.errors import FoundryError

if TYPE_CHECKING:
    from foundry.domain.application import Application

__all__ = ["broadcast_router"]

Handler = Callable[[Request], Awaitable[Any]]


def _answer(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        try:
            return JSONResponse(await handler(request))
        except FoundryError as exc:
            return error_response(exc)

    endpoint.__name__ = handler.__name__
    return endpoint


def broadcast_router(app: Application) -> APIRouter:
    """Every route of the package, bound to ``app``."""
    api = RestApi(app)
    router = APIRouter()

    async def auth(request: Request) -> dict[str, str]:
        return await authorise_subscription(app, request)

    async def events(request: Request) -> dict[str, Any]:
        body = await api.verified_body(request, request.path_params["app_id"])
        return await api.trigger(body)

    async def batch_events(request: Request) -> dict[str, Any]:
        body = await api.verified_body(request, request.path_params["app_id"])
        return await api.trigger_batch(body)

    async def channels(request: Request) -> dict[str, Any]:
        await api.verified_body(request, request.path_params["app_id"])
        return await api.channels(dict(request.query_params))

    async def channel(request: Request) -> dict[str, Any]:
        await api.verified_body(request, request.path_params["app_id"])
        return await api.channel(request.path_params["channel"], dict(request.query_params))

    async def users(request: Request) -> dict[str, Any]:
        await api.verified_body(request, request.path_params["app_id"])
        return await api.users(request.path_params["channel"])

    router.add_websocket_route("/app/{key}", socket_endpoint(app), name="broadcast.socket")
    router.add_route("/broadcasting/auth", _answer(auth), methods=["POST"], include_in_schema=False)
    base = "/apps/{app_id}"
    for path, handler, method in (
        (f"{base}/events", events, "POST"),
        (f"{base}/batch_events", batch_events, "POST"),
        (f"{base}/channels", channels, "GET"),
        (f"{base}/channels/{{channel}}", channel, "GET"),
        (f"{base}/channels/{{channel}}/users", users, "GET"),
    ):
        router.add_route(path, _answer(handler), methods=[method], include_in_schema=False)
    return router
