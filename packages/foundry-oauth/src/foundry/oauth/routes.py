"""``GET /auth/oauth/{provider}/redirect`` and ``GET /auth/oauth/{provider}/callback``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from foundry.domain.errors import FoundryError
from foundry.oauth.responses import error_response, redirect_response, wants_json
from foundry.oauth.settings import REDIRECT_PATH
from foundry.oauth.state import cookie_header

if TYPE_CHECKING:
    from foundry.domain.application import Application
    from foundry.oauth.service import SocialLogin

__all__ = ["build_router"]


def build_router(app: Application) -> APIRouter:
    """The two routes of every provider, resolving :class:`SocialLogin` per request."""
    router = APIRouter(prefix="/auth/oauth", tags=["oauth"])

    def service() -> SocialLogin:
        from foundry.oauth.service import SocialLogin

        return app.make(SocialLogin)

    @router.get(
        "/{provider}/redirect",
        name="oauth.redirect",
        summary="Send the browser to the provider to sign in (or link the signed-in account)",
    )
    async def redirect(provider: str, request: Request) -> Response:
        try:
            url, cookie = await service().redirect(provider, request)
        except FoundryError as exc:
            return error_response(request, exc, retry="/")
        return redirect_response(url, [cookie])

    @router.get(
        "/{provider}/callback",
        name="oauth.callback",
        summary="Finish signing in with the provider's authorization code",
    )
    async def callback(provider: str, request: Request) -> Response:
        from foundry.oauth.settings import OAuthSettings

        settings = app.make(OAuthSettings)
        name = provider.lower()
        configured = name in settings.providers
        clear = [cookie_header(name, "", 0, secure=settings.secure_cookies)] if configured else []
        retry = REDIRECT_PATH.format(provider=name) if configured else "/"
        try:
            result = await service().callback(name, request, request.query_params)
        except FoundryError as exc:
            return error_response(request, exc, retry=retry, cookies=clear)
        if wants_json(request):
            response: Response = JSONResponse({"data": result.to_dict()})
            response.headers["Cache-Control"] = "no-store"
            for cookie in clear:
                response.headers.append("set-cookie", cookie)
            return response
        return redirect_response(result.redirect_to, clear)

    return router
