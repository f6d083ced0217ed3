"""The back-channel endpoints: token, revocation, introspection, device authorization.

Form-encoded requests only (RFC 6749 §3.2); answers are JSON with ``Cache-Control:
no-store`` and, on failure, the RFC 6749 §5.2 error body.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from foundry.oauth_server.bridge import read_request, run_in_thread
from foundry.oauth_server.http import OAuthHttp, oauth_error

__all__ = ["token_router"]

FORM = "application/x-www-form-urlencoded"


def _refusal(http: OAuthHttp, request: Request) -> Response | None:
    if http.insecure(request):
        return oauth_error(400, "invalid_request", "OAuth endpoints require https.")
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != FORM:
        return oauth_error(400, "invalid_request", f"Send the parameters form-encoded ({FORM}).")
    return None


def token_router(resolve: Callable[[], OAuthHttp]) -> APIRouter:
    router = APIRouter(tags=["oauth"])

    @router.post("/oauth/token", name="oauth.token")
    async def token(request: Request) -> Response:
        http = resolve()
        refused = _refusal(http, request)
        if refused is not None:
            return refused
        await http.core.ensure_keys()
        oauth_request = await read_request(request)
        response: Response = await run_in_thread(
            lambda: http.server.create_token_response(oauth_request)
        )
        return response

    async def endpoint(request: Request, name: str) -> Response:
        http = resolve()
        refused = _refusal(http, request)
        if refused is not None:
            return refused
        oauth_request = await read_request(request)
        response: Response = await run_in_thread(
            lambda: http.server.create_endpoint_response(name, oauth_request)
        )
        return response

    @router.post("/oauth/revoke", name="oauth.revoke")
    async def revoke(request: Request) -> Response:
        return await endpoint(request, "revocation")

    @router.post("/oauth/introspect", name="oauth.introspect")
    async def introspect(request: Request) -> Response:
        return await endpoint(request, "introspection")

    @router.post("/oauth/device/code", name="oauth.device_code")
    async def device_code(request: Request) -> Response:
        return await endpoint(request, "device_authorization")

    return router
