"""``GET|POST /oauth/authorize``: the authorization endpoint and its consent page.

GET validates the request first (an unknown client or an unregistered redirect URI is
shown as an error page, never redirected to), then needs a logged-in user (found through
the ``auth.authenticators`` guards; visitors go to ``OAUTH_LOGIN_URL`` with a ``next``
back here), then shows the consent page — or, for a first-party client that did not ask
for ``prompt=consent``, approves at once. POST is the consent form: same user, a valid
``_token``, and ``decision=approve`` or ``deny``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from authlib.oauth2.rfc6749.errors import OAuth2Error  # type: ignore[import-untyped]
from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from foundry.oauth_server.bridge import read_request, run_in_thread
from foundry.oauth_server.csrf import COOKIE, FIELD
from foundry.oauth_server.http import OAuthHttp
from foundry.oauth_server.models import ResourceOwner
from foundry.oauth_server.pages import consent_page, error_page
from foundry.oauth_server.scopes import split_scopes

__all__ = ["authorize_router"]

PURPOSE = "consent"
REQUEST_FIELDS = (
    "response_type",
    "client_id",
    "redirect_uri",
    "scope",
    "state",
    "code_challenge",
    "code_challenge_method",
    "nonce",
    "prompt",
    "response_mode",
)


def _failure(http: OAuthHttp, error: OAuth2Error) -> Response:
    if error.redirect_uri:
        response: Response = http.server.handle_error_response(None, error)
        return response
    return error_page(error.error or "invalid_request", error.get_error_description() or "")


def _owner(user: Any) -> ResourceOwner:
    auth_time = getattr(user, "auth_time", None)
    return ResourceOwner(str(user.auth_identifier), int(auth_time) if auth_time else None)


def authorize_router(resolve: Callable[[], OAuthHttp]) -> APIRouter:
    router = APIRouter(tags=["oauth"])

    @router.get("/oauth/authorize", include_in_schema=True, name="oauth.authorize")
    async def authorize(request: Request) -> Response:
        http = resolve()
        if http.insecure(request):
            return error_page("invalid_request", "The authorization endpoint requires https.")
        user = await http.user(request)
        oauth_request = await read_request(request)
        owner = _owner(user) if user is not None else None
        try:
            grant = await run_in_thread(
                lambda: http.server.get_consent_grant(oauth_request, end_user=owner)
            )
        except OAuth2Error as error:
            return _failure(http, error)
        if user is None:
            return http.login_redirect(request)
        client = oauth_request.client
        prompts = split_scopes(oauth_request.payload.data.get("prompt"))
        if client.first_party and "consent" not in prompts:
            return await _respond(http, oauth_request, owner, grant)
        cookie, fresh = http.csrf_cookie(request)
        fields = {
            name: oauth_request.payload.data[name]
            for name in REQUEST_FIELDS
            if oauth_request.payload.data.get(name) is not None
        }
        fields[FIELD] = http.csrf.token(cookie, str(user.auth_identifier), PURPOSE)
        page = consent_page(
            action="/oauth/authorize",
            client_name=client.name,
            user_email=str(getattr(user, "email", "")),
            scopes=http.core.scopes.describe(split_scopes(oauth_request.scope)),
            fields=fields,
        )
        if fresh:
            http.set_csrf_cookie(page, request, cookie)
        return page

    @router.post("/oauth/authorize", include_in_schema=True, name="oauth.consent")
    async def consent(request: Request) -> Response:
        http = resolve()
        if http.insecure(request):
            return error_page("invalid_request", "The authorization endpoint requires https.")
        oauth_request = await read_request(request, drop=(FIELD, "decision"))
        user = await http.user(request)
        if user is None:
            query = {k: v for k, v in oauth_request.form.items() if k in REQUEST_FIELDS}
            return http.login_redirect(request, "/oauth/authorize?" + urlencode(query))
        form = await _form(request)
        if not http.csrf.check(
            form.get(FIELD), request.cookies.get(COOKIE), str(user.auth_identifier), PURPOSE
        ):
            return error_page(
                "invalid_request",
                "The consent form expired or did not come from this site; go back to the "
                "application and start again.",
                status=403,
            )
        decision = form.get("decision")
        if decision not in ("approve", "deny"):
            return error_page("invalid_request", "Choose Approve or Deny.")
        owner = _owner(user)
        try:
            grant = await run_in_thread(
                lambda: http.server.get_consent_grant(oauth_request, end_user=owner)
            )
        except OAuth2Error as error:
            return _failure(http, error)
        return await _respond(http, oauth_request, owner if decision == "approve" else None, grant)

    return router


async def _respond(http: OAuthHttp, oauth_request: Any, owner: Any, grant: Any) -> Response:
    response: Response = await run_in_thread(
        lambda: http.server.create_authorization_response(
            oauth_request, grant_user=owner, grant=grant
        )
    )
    return response


async def _form(request: Request) -> dict[str, str]:
    from urllib.parse import parse_qsl

    body = (await request.body()).decode("utf-8", errors="replace")
    found: dict[str, str] = {}
    for key, value in parse_qsl(body, keep_blank_values=True):
        found.setdefault(key, value)
    return found
