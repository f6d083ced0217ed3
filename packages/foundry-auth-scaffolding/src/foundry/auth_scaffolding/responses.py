"""Answering browsers and API clients from the same routes.

``Accept: application/json`` (or a JSON body without ``text/html`` accepted) gets JSON:
data on success, the framework's error envelope ``{"error": {"code", "message",
"status", "fields"?}}`` on failure. Everyone else gets HTML: pages rendered from the
templates, failures re-rendered in the form with the messages beside their fields (and
the input kept, passwords excepted), successes redirected (303) with a flash message.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from foundry.auth_scaffolding.errors import (
    CsrfTokenMismatch,
    EmailNotVerified,
    LoginLockedOut,
    PasswordConfirmationRequired,
    Unauthenticated,
)
from foundry.auth_scaffolding.request_auth import request_auth
from foundry.domain.errors import FoundryError, ValidationError

__all__ = [
    "auth_exception_handler",
    "failure",
    "json_data",
    "page",
    "read_input",
    "redirect",
    "safe_next",
    "wants_json",
]

_SECRET_FIELDS = frozenset(
    {"password", "password_confirmation", "current_password", "_token", "code", "recovery_code"}
)


def wants_json(request: Request) -> bool:
    accept = request.headers.get("accept", "").lower()
    if "application/json" in accept:
        return "text/html" not in accept.split("application/json")[0]
    content_type = request.headers.get("content-type", "").lower()
    return content_type.startswith("application/json") and "text/html" not in accept


async def read_input(request: Request) -> dict[str, Any]:
    """The body as a flat dict, from a form or a JSON object."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == "application/json":
        try:
            body = await request.json()
        except ValueError:
            raise ValidationError(
                "The request body is not valid JSON.", fields={"body": ["Send a JSON object."]}
            ) from None
        if not isinstance(body, dict):
            raise ValidationError("Send a JSON object.", fields={"body": ["Send a JSON object."]})
        return body
    if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = await request.form()
        return {key: value for key, value in form.items() if isinstance(value, str)}
    return {}


def text(data: Mapping[str, Any], key: str) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    return value if isinstance(value, str) else str(value)


def flag(data: Mapping[str, Any], key: str) -> bool:
    value = data.get(key)
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in ("1", "true", "on", "yes")


def safe_next(value: str | None, default: str = "/auth/user") -> str:
    """A local path to continue to (never another site: ``//evil`` and ``http:`` refused)."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return default
    return value


def json_data(data: Any, status: int = 200, headers: Mapping[str, str] | None = None) -> Response:
    body = json.dumps(data, default=str, separators=(",", ":"))
    return Response(body, status, headers=dict(headers or {}), media_type="application/json")


def _envelope(exc: FoundryError) -> Response:
    headers: dict[str, str] = {}
    if exc.status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    if isinstance(exc, LoginLockedOut):
        headers["Retry-After"] = str(exc.retry_after)
    return json_data({"error": exc.to_dict()}, exc.status, headers)


async def page(
    request: Request, template: str, context: Mapping[str, Any] | None = None, status: int = 200
) -> Response:
    """Render ``template`` with the session's CSRF token, flash message and user."""
    auth = await request_auth(request)
    services = auth.services
    full: dict[str, Any] = {
        "request": request,
        "csrf_token": auth.session.csrf_token(),
        "flash": auth.session.take_flash(),
        "user": await auth.user(),
        "two_factor_feature": services.settings.two_factor,
        "mail_configured": services.mail.configured,
        "errors": {},
        "old": {},
        "message": None,
    }
    full.update(context or {})
    html = services.views.render(template, full)
    return HTMLResponse(html, status, headers={"Cache-Control": "no-store"})


async def redirect(request: Request, to: str, flash: str | None = None) -> Response:
    if flash:
        (await request_auth(request)).session.flash(flash)
    return RedirectResponse(to, status_code=303)


async def failure(
    request: Request,
    exc: FoundryError,
    template: str,
    old: Mapping[str, Any] | None = None,
    context: Mapping[str, Any] | None = None,
) -> Response:
    """The error as the envelope (JSON) or the form again with its messages (HTML)."""
    if wants_json(request):
        return _envelope(exc)
    fields = exc.fields if isinstance(exc, ValidationError) else {}
    kept = {k: v for k, v in (old or {}).items() if k not in _SECRET_FIELDS}
    response = await page(
        request,
        template,
        {**(context or {}), "errors": fields, "old": kept, "message": exc.message},
        status=exc.status,
    )
    if isinstance(exc, LoginLockedOut):
        response.headers["Retry-After"] = str(exc.retry_after)
    return response


async def auth_exception_handler(request: Request, exc: Exception) -> Response:
    """What the guards' errors become: the envelope for API clients; for browsers a
    redirect to where the user can fix it (log in, verify, confirm the password)."""
    assert isinstance(exc, FoundryError)
    if wants_json(request):
        return _envelope(exc)
    here = quote(
        request.url.path + (f"?{request.url.query}" if request.url.query else ""), safe="/?=&"
    )
    if isinstance(exc, Unauthenticated):
        return RedirectResponse(f"/auth/login?next={quote(here, safe='')}", status_code=303)
    if isinstance(exc, EmailNotVerified):
        return RedirectResponse("/auth/email/verify", status_code=303)
    if isinstance(exc, PasswordConfirmationRequired):
        return RedirectResponse(
            f"/auth/confirm-password?next={quote(here, safe='')}", status_code=303
        )
    template = "expired.html" if isinstance(exc, CsrfTokenMismatch) else "error.html"
    return await page(request, template, {"message": exc.message, "error": exc}, exc.status)
