"""``GET|POST /oauth/device``: where a person types the code a device shows (RFC 8628 §3.3).

GET without a code shows the entry form; GET with ``user_code`` (typed, or from the
``verification_uri_complete`` link) shows what the device asks for; POST approves or
denies it. Every step needs a logged-in user; the POST needs the form's ``_token``.
Wrong codes are counted per user: after 10 in 15 minutes the page refuses further tries
for a while (user codes are short, RFC 8628 §5.1).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import parse_qsl

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from foundry.oauth_server.credentials import digest
from foundry.oauth_server.csrf import COOKIE, FIELD
from foundry.oauth_server.endpoints import normalise_user_code
from foundry.oauth_server.http import OAuthHttp
from foundry.oauth_server.models import DeviceCode
from foundry.oauth_server.pages import device_page, message_page

__all__ = ["device_router"]

PURPOSE = "device"
ACTION = "/oauth/device"
MAX_FAILURES = 10
FAILURE_WINDOW = 900.0


class _Failures:
    """Wrong user codes per user, in this process."""

    def __init__(self) -> None:
        self._seen: dict[str, list[float]] = {}

    def blocked(self, user_id: str) -> bool:
        now = time.monotonic()
        recent = [t for t in self._seen.get(user_id, []) if now - t < FAILURE_WINDOW]
        self._seen[user_id] = recent
        return len(recent) >= MAX_FAILURES

    def add(self, user_id: str) -> None:
        if len(self._seen) > 10_000:
            self._seen.clear()
        self._seen.setdefault(user_id, []).append(time.monotonic())


def device_router(resolve: Callable[[], OAuthHttp]) -> APIRouter:
    router = APIRouter(tags=["oauth"])
    failures = _Failures()

    async def lookup(http: OAuthHttp, user_id: str, typed: str) -> tuple[DeviceCode | None, str]:
        if failures.blocked(user_id):
            return None, "Too many wrong codes. Wait a few minutes and try again."
        device = await http.core.store.find_device_by_user_code(digest(normalise_user_code(typed)))
        if device is None or device.expires_at <= http.core.now() or device.status != "pending":
            failures.add(user_id)
            return None, "That code is not valid or has expired. Check the device and try again."
        return device, ""

    @router.get("/oauth/device", name="oauth.device")
    async def enter(request: Request) -> Response:
        http = resolve()
        if http.insecure(request):
            return message_page("Connect a device", "This page requires https.", 400)
        user = await http.user(request)
        if user is None:
            return http.login_redirect(request)
        typed = request.query_params.get("user_code", "").strip()
        if not typed:
            return device_page(action=ACTION)
        user_id = str(user.auth_identifier)
        device, problem = await lookup(http, user_id, typed)
        if device is None:
            return device_page(action=ACTION, user_code=typed, error=problem, status=400)
        client = await http.core.active_client(device.client_id)
        if client is None:
            return device_page(action=ACTION, error="That device's application was removed.")
        cookie, fresh = http.csrf_cookie(request)
        page = device_page(
            action=ACTION,
            user_code=normalise_user_code(typed),
            client_name=client.name,
            scopes=http.core.scopes.describe(device.scopes),
            token=http.csrf.token(cookie, user_id, PURPOSE),
        )
        if fresh:
            http.set_csrf_cookie(page, request, cookie)
        return page

    @router.post("/oauth/device", name="oauth.device_decide")
    async def decide(request: Request) -> Response:
        http = resolve()
        if http.insecure(request):
            return message_page("Connect a device", "This page requires https.", 400)
        user = await http.user(request)
        if user is None:
            return http.login_redirect(request, ACTION)
        form = dict(parse_qsl((await request.body()).decode("utf-8", errors="replace")))
        user_id = str(user.auth_identifier)
        if not http.csrf.check(form.get(FIELD), request.cookies.get(COOKIE), user_id, PURPOSE):
            return message_page(
                "Connect a device",
                "The form expired or did not come from this site; enter the code again.",
                403,
            )
        decision = form.get("decision")
        if decision not in ("approve", "deny"):
            return message_page("Connect a device", "Choose Approve or Deny.", 400)
        device, problem = await lookup(http, user_id, form.get("user_code", ""))
        if device is None:
            return device_page(action=ACTION, error=problem, status=400)
        status = "approved" if decision == "approve" else "denied"
        if not await http.core.store.decide_device_code(
            device.id, status, user_id, http.core.now()
        ):
            return device_page(action=ACTION, error="That code was already used.", status=400)
        if status == "approved":
            return message_page("Device connected", "You can return to your device now.")
        return message_page("Request denied", "The device was not given access.")

    return router
