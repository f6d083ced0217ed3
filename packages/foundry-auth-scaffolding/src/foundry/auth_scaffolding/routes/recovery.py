"""Forgotten passwords and e-mail verification."""

from __future__ import annotations

from fastapi import APIRouter, BackgroundTasks, Depends
from starlette.requests import Request
from starlette.responses import Response

from foundry.auth_scaffolding.errors import MailNotConfigured
from foundry.auth_scaffolding.flows import passwords
from foundry.auth_scaffolding.flows.verification import verification_mail, verify_email
from foundry.auth_scaffolding.guards import CurrentUser, verify_csrf
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
from foundry.domain.errors import FoundryError

__all__ = ["recovery_router"]

RESEND_KEY = "verification.sent_at"
RESEND_EVERY = 60.0


def recovery_router() -> APIRouter:
    router = APIRouter(prefix="/auth", tags=["auth"], dependencies=[Depends(verify_csrf)])

    @router.get("/password/forgot", summary="The forgotten-password form")
    async def forgot_form(request: Request) -> Response:
        auth = await request_auth(request)
        if wants_json(request):
            body = {"mail_configured": auth.services.mail.configured}
            return json_data({**body, "csrf_token": auth.session.csrf_token()})
        return await page(request, "forgot-password.html")

    @router.post("/password/forgot", summary="E-mail a password reset link")
    async def forgot(request: Request, background: BackgroundTasks) -> Response:
        auth = await request_auth(request)
        data = await read_input(request)
        try:
            mail = await passwords.send_reset_link(auth, text(data, "email"))
        except FoundryError as exc:
            return await failure(request, exc, "forgot-password.html", data)
        if mail is not None:
            background.add_task(auth.services.mail.send, mail)
        if wants_json(request):
            return json_data({"message": passwords.RESET_LINK_SENT})
        return await redirect(request, "/auth/password/forgot", passwords.RESET_LINK_SENT)

    @router.get("/password/reset", summary="The new-password form of a reset link")
    async def reset_form(request: Request) -> Response:
        auth = await request_auth(request)
        if wants_json(request):
            return json_data({"csrf_token": auth.session.csrf_token()})
        context = {
            "token": request.query_params.get("token", ""),
            "old": {"email": request.query_params.get("email", "")},
        }
        return await page(request, "reset-password.html", context)

    @router.post("/password/reset", summary="Set a new password with a reset token")
    async def reset(request: Request) -> Response:
        auth = await request_auth(request)
        data = await read_input(request)
        try:
            await passwords.reset_password(
                auth,
                text(data, "token"),
                text(data, "email"),
                text(data, "password"),
                text(data, "password_confirmation"),
            )
        except FoundryError as exc:
            context = {"token": text(data, "token") or ""}
            return await failure(request, exc, "reset-password.html", data, context)
        message = "Your password has been reset. Sign in with the new one."
        if wants_json(request):
            return json_data({"message": message})
        return await redirect(request, "/auth/login", message)

    @router.get("/email/verify", summary="The please-verify notice")
    async def verify_notice(request: Request, user: CurrentUser) -> Response:
        if wants_json(request):
            return json_data({"verified": user.is_verified})
        if user.is_verified:
            return await redirect(request, "/auth/user")
        return await page(request, "verify-email.html")

    @router.get("/email/verify/{token}", summary="Verify an e-mail address from its link")
    async def verify(request: Request, token: str, background: BackgroundTasks) -> Response:
        auth = await request_auth(request)
        try:
            user, welcome = await verify_email(auth, token)
        except FoundryError as exc:
            return await failure(request, exc, "error.html")
        if welcome is not None:
            background.add_task(auth.services.mail.send, welcome)
        message = "Your e-mail address is verified."
        if wants_json(request):
            return json_data({"message": message, "data": user.public()})
        target = "/auth/user" if await auth.user() is not None else "/auth/login"
        return await redirect(request, target, message)

    @router.post("/email/resend", summary="Send the verification link again")
    async def resend(request: Request, user: CurrentUser, background: BackgroundTasks) -> Response:
        auth = await request_auth(request)
        services = auth.services
        if user.is_verified:
            message = "Your e-mail address is already verified."
        else:
            now = services.clock.timestamp()
            last = float(auth.session.get(RESEND_KEY) or 0)
            if not services.mail.configured:
                return await failure(request, MailNotConfigured(), "verify-email.html")
            if now - last >= RESEND_EVERY:
                auth.session.set(RESEND_KEY, now)
                background.add_task(services.mail.send, await verification_mail(services, user))
            message = "A new verification link has been sent to your e-mail address."
        if wants_json(request):
            return json_data({"message": message})
        return await redirect(request, "/auth/email/verify", message)

    return router
