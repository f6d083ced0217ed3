"""The ``/auth/user`` area: profile, password, two-factor, sessions, API tokens.

Reading the profile accepts a bearer token; every change needs a browser session (and a
CSRF token), and two-factor changes a recently confirmed password. With
``AUTH_REQUIRE_EMAIL_VERIFICATION=true`` the area needs a verified address.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Depends
from starlette.requests import Request
from starlette.responses import Response

from foundry.auth_scaffolding.flows import account, passwords
from foundry.auth_scaffolding.guards import (
    ConfirmedUser,
    current_user,
    require_verified,
    session_user,
    verify_csrf,
)
from foundry.auth_scaffolding.models import User
from foundry.auth_scaffolding.request_auth import request_auth
from foundry.auth_scaffolding.responses import (
    failure,
    json_data,
    page,
    read_input,
    redirect,
    text,
    wants_json,
)
from foundry.auth_scaffolding.settings import AuthSettings
from foundry.auth_scaffolding.two_factor import Totp, qr_svg
from foundry.domain.errors import ConflictError, FoundryError, NotFoundError

__all__ = ["account_router"]


async def account_user(request: Request) -> User:
    """A session user; verified too when ``AUTH_REQUIRE_EMAIL_VERIFICATION`` is on."""
    user = await session_user(request)
    if (await request_auth(request)).services.settings.require_verification:
        return await require_verified(request)
    return user


async def reader(request: Request) -> User:
    """A session or bearer user; verified too when verification is required."""
    user = await current_user(request)
    if (await request_auth(request)).services.settings.require_verification:
        return await require_verified(request)
    return user


Reader = Annotated[User, Depends(reader)]
Account = Annotated[User, Depends(account_user)]


def account_router(settings: AuthSettings) -> APIRouter:
    router = APIRouter(prefix="/auth/user", tags=["auth"], dependencies=[Depends(verify_csrf)])

    async def profile_page(request: Request, user: User, **context: Any) -> Response:
        auth = await request_auth(request)
        activity = await auth.services.users.activity(user.id, limit=10)
        return await page(request, "user/profile.html", {"activity": activity, **context})

    @router.get("", summary="The signed-in user")
    async def profile(request: Request, user: Reader) -> Response:
        if wants_json(request):
            return json_data({"data": user.public()})
        return await profile_page(request, user)

    @router.post("/profile", summary="Change name and e-mail")
    async def update_profile(
        request: Request, user: Account, background: BackgroundTasks
    ) -> Response:
        auth = await request_auth(request)
        data = await read_input(request)
        try:
            updated, mail = await account.update_profile(
                auth, user, text(data, "name"), text(data, "email")
            )
        except FoundryError as exc:
            return await failure(request, exc, "user/profile.html", data, {"activity": []})
        if mail is not None:
            background.add_task(auth.services.mail.send, mail)
        if wants_json(request):
            return json_data({"data": updated.public()})
        return await redirect(request, "/auth/user", "Profile saved.")

    @router.post("/password", summary="Change the password (the current one is required)")
    async def change_password(request: Request, user: Account) -> Response:
        auth = await request_auth(request)
        data = await read_input(request)
        try:
            await passwords.change_password(
                auth,
                user,
                text(data, "current_password"),
                text(data, "password"),
                text(data, "password_confirmation"),
            )
        except FoundryError as exc:
            return await failure(request, exc, "user/profile.html", data, {"activity": []})
        message = "Password changed. Your other sessions and API tokens have ended."
        if wants_json(request):
            return json_data({"message": message, "csrf_token": auth.session.csrf_token()})
        return await redirect(request, "/auth/user", message)

    @router.get("/sessions", summary="The user's sessions")
    async def sessions(request: Request, user: Account) -> Response:
        auth = await request_auth(request)
        records = await auth.services.store.for_user(user.auth_identifier)
        rows = [
            {
                "ip_address": r.ip_address,
                "user_agent": r.user_agent,
                "last_activity": r.last_activity.isoformat(),
                "expires_at": r.expires_at.isoformat(),
                "current": r.id == auth.session.id,
            }
            for r in records
        ]
        if wants_json(request):
            return json_data({"data": rows})
        return await page(request, "user/sessions.html", {"sessions": rows})

    @router.post("/sessions/logout-others", summary="Log out every other device")
    async def logout_others(request: Request, user: Account) -> Response:
        auth = await request_auth(request)
        data = await read_input(request)
        try:
            ended = await passwords.logout_other_devices(auth, user, text(data, "password"))
        except FoundryError as exc:
            return await failure(request, exc, "user/sessions.html", data, {"sessions": []})
        message = f"Logged out of {ended} other session{'s' if ended != 1 else ''}."
        if wants_json(request):
            body = {"message": message, "ended": ended, "csrf_token": auth.session.csrf_token()}
            return json_data(body)
        return await redirect(request, "/auth/user/sessions", message)

    async def tokens_page(request: Request, user: User, **context: Any) -> Response:
        auth = await request_auth(request)
        tokens = await auth.services.tokens.for_user(user.auth_identifier)
        return await page(request, "user/tokens.html", {"tokens": tokens, **context})

    @router.get("/tokens", summary="The user's personal API tokens")
    async def tokens(request: Request, user: Account) -> Response:
        if wants_json(request):
            auth = await request_auth(request)
            found = await auth.services.tokens.for_user(user.auth_identifier)
            return json_data({"data": [t.public() for t in found]})
        return await tokens_page(request, user)

    @router.post("/tokens", summary="Create a personal API token (shown once)")
    async def create_token(request: Request, user: Account) -> Response:
        auth = await request_auth(request)
        data = await read_input(request)
        try:
            issued = await account.create_token(
                auth, user, text(data, "name"), data.get("abilities"), data.get("expires_in_days")
            )
        except FoundryError as exc:
            if wants_json(request):
                return await failure(request, exc, "user/tokens.html")
            return await tokens_page(
                request, user, errors=getattr(exc, "fields", {}), message=exc.message, old=data
            )
        if wants_json(request):
            return json_data({"token": issued.plain_text, "data": issued.record.public()}, 201)
        return await tokens_page(request, user, plain_text=issued.plain_text)

    async def revoke(request: Request, user: User, token_id: str) -> Response:
        auth = await request_auth(request)
        try:
            await account.revoke_token(auth, user, token_id)
        except NotFoundError as exc:
            return await failure(request, exc, "error.html")
        if wants_json(request):
            return json_data({"message": "Token revoked."})
        return await redirect(request, "/auth/user/tokens", "Token revoked.")

    @router.post("/tokens/{token_id}/delete", summary="Revoke a token (HTML form)")
    async def revoke_form(request: Request, token_id: str, user: Account) -> Response:
        return await revoke(request, user, token_id)

    @router.delete("/tokens/{token_id}", summary="Revoke a token")
    async def revoke_token(request: Request, token_id: str, user: Account) -> Response:
        return await revoke(request, user, token_id)

    if settings.two_factor:
        _two_factor_routes(router)
    return router


def _two_factor_routes(router: APIRouter) -> None:
    async def two_factor_page(request: Request, user: User, **context: Any) -> Response:
        auth = await request_auth(request)
        pending = user.two_factor_secret is not None and not user.has_two_factor
        extra: dict[str, Any] = {"pending": pending}
        if pending and auth.session.confirmed_within(
            auth.services.settings.password_timeout, auth.services.clock.now()
        ):
            assert user.two_factor_secret is not None
            uri = Totp(user.two_factor_secret).provisioning_uri(
                user.email, auth.services.settings.app_name
            )
            extra.update(qr=qr_svg(uri), secret=user.two_factor_secret)
        remaining = len(user.two_factor_recovery_codes or [])
        return await page(
            request,
            "user/two-factor.html",
            {"remaining_codes": remaining, **extra, **context},
        )

    @router.get("/two-factor", summary="Two-factor status and set-up")
    async def status(request: Request, user: Account) -> Response:
        if wants_json(request):
            return json_data(
                {
                    "enabled": user.has_two_factor,
                    "pending": user.two_factor_secret is not None and not user.has_two_factor,
                    "recovery_codes_remaining": len(user.two_factor_recovery_codes or []),
                }
            )
        return await two_factor_page(request, user)

    @router.post("/two-factor/enable", summary="Start two-factor set-up (a new secret)")
    async def enable(request: Request, user: ConfirmedUser) -> Response:
        auth = await request_auth(request)
        try:
            updated = await account.enable_two_factor(auth, user)
        except ConflictError as exc:
            return await failure(request, exc, "error.html")
        if wants_json(request):
            assert updated.two_factor_secret is not None
            uri = Totp(updated.two_factor_secret).provisioning_uri(
                updated.email, auth.services.settings.app_name
            )
            body = {"secret": updated.two_factor_secret, "otpauth_url": uri, "qr_svg": qr_svg(uri)}
            return json_data(body)
        return await redirect(request, "/auth/user/two-factor")

    @router.get("/two-factor/qr-code", summary="The set-up QR code (SVG)")
    async def qr_code(request: Request, user: ConfirmedUser) -> Response:
        auth = await request_auth(request)
        if user.two_factor_secret is None or user.has_two_factor:
            exc = NotFoundError("There is no pending two-factor set-up; enable it first.")
            return await failure(request, exc, "error.html")
        uri = Totp(user.two_factor_secret).provisioning_uri(
            user.email, auth.services.settings.app_name
        )
        return Response(
            qr_svg(uri), media_type="image/svg+xml", headers={"Cache-Control": "no-store"}
        )

    @router.post("/two-factor/confirm", summary="Confirm set-up with a code; shows recovery codes")
    async def confirm(request: Request, user: ConfirmedUser) -> Response:
        auth = await request_auth(request)
        data = await read_input(request)
        try:
            codes = await account.confirm_two_factor(auth, user, text(data, "code"))
        except FoundryError as exc:
            if wants_json(request):
                return await failure(request, exc, "error.html")
            return await two_factor_page(
                request, user, errors=getattr(exc, "fields", {}), message=exc.message
            )
        if wants_json(request):
            return json_data({"recovery_codes": codes, "csrf_token": auth.session.csrf_token()})
        fresh = await auth.services.users.find(user.id, fresh=True)
        return await two_factor_page(request, fresh or user, recovery_codes=codes)

    @router.post("/two-factor/disable", summary="Turn two-factor authentication off")
    async def disable(request: Request, user: ConfirmedUser) -> Response:
        auth = await request_auth(request)
        await account.disable_two_factor(auth, user)
        if wants_json(request):
            return json_data({"enabled": False})
        return await redirect(request, "/auth/user/two-factor", "Two-factor authentication is off.")

    @router.post("/two-factor/recovery-codes", summary="Replace the recovery codes (shown once)")
    async def regenerate(request: Request, user: ConfirmedUser) -> Response:
        auth = await request_auth(request)
        try:
            codes = await account.regenerate_recovery_codes(auth.services, user)
        except ConflictError as exc:
            return await failure(request, exc, "error.html")
        if wants_json(request):
            return json_data({"recovery_codes": codes})
        fresh = await auth.services.users.find(user.id, fresh=True)
        return await two_factor_page(request, fresh or user, recovery_codes=codes)
