"""Register, login, the two-factor challenge, logout and password confirmation."""

from __future__ import annotations

from fastapi import APIRouter, BackgroundTasks, Depends
from starlette.requests import Request
from starlette.responses import Response

from foundry.auth_scaffolding.flows import login as flows
from foundry.auth_scaffolding.flows.verification import verification_mail
from foundry.auth_scaffolding.guards import SessionUser, verify_csrf
from foundry.auth_scaffolding.request_auth import request_auth
from foundry.auth_scaffolding.responses import (
    failure,
    flag,
    json_data,
    page,
    read_input,
    redirect,
    safe_next,
    text,
    wants_json,
)
from foundry.domain.errors import FoundryError

__all__ = ["guest_router"]

NEXT_KEY = "login.next"


def guest_router() -> APIRouter:
    router = APIRouter(prefix="/auth", tags=["auth"], dependencies=[Depends(verify_csrf)])

    @router.get("/csrf-token", summary="The session's CSRF token (for JavaScript clients)")
    async def csrf_token(request: Request) -> Response:
        auth = await request_auth(request)
        return json_data({"csrf_token": auth.session.csrf_token()})

    @router.get("/register", summary="The registration form")
    async def register_form(request: Request) -> Response:
        auth = await request_auth(request)
        if wants_json(request):
            return json_data({"csrf_token": auth.session.csrf_token()})
        if await auth.user() is not None:
            return await redirect(request, "/auth/user")
        return await page(request, "register.html")

    @router.post("/register", summary="Create an account and sign in")
    async def register(request: Request, background: BackgroundTasks) -> Response:
        auth = await request_auth(request)
        data = await read_input(request)
        try:
            user = await flows.register(
                auth,
                name=text(data, "name"),
                email=text(data, "email"),
                password=text(data, "password"),
                confirmation=text(data, "password_confirmation"),
            )
        except FoundryError as exc:
            return await failure(request, exc, "register.html", data)
        services = auth.services
        if services.mail.configured:
            background.add_task(services.mail.send, await verification_mail(services, user))
        if wants_json(request):
            body = {"data": user.public(), "csrf_token": auth.session.csrf_token()}
            return json_data(body, 201)
        to = "/auth/email/verify" if services.settings.require_verification else "/auth/user"
        return await redirect(request, to, "Welcome! Your account has been created.")

    @router.get("/login", summary="The login form")
    async def login_form(request: Request) -> Response:
        auth = await request_auth(request)
        target = safe_next(request.query_params.get("next"))
        if wants_json(request):
            return json_data({"csrf_token": auth.session.csrf_token()})
        if await auth.user() is not None:
            return await redirect(request, target)
        return await page(request, "login.html", {"next": target})

    @router.post("/login", summary="Sign in with e-mail and password")
    async def login(request: Request) -> Response:
        auth = await request_auth(request)
        data = await read_input(request)
        target = safe_next(text(data, "next"))
        try:
            result = await flows.attempt(
                auth, text(data, "email"), text(data, "password"), remember=flag(data, "remember")
            )
        except FoundryError as exc:
            return await failure(request, exc, "login.html", data, {"next": target})
        if result.two_factor:
            auth.session.set(NEXT_KEY, target)
            if wants_json(request):
                body = {"two_factor": True, "csrf_token": auth.session.csrf_token()}
                return json_data(body)
            return await redirect(request, "/auth/two-factor-challenge")
        if wants_json(request):
            body = {"data": result.user.public(), "csrf_token": auth.session.csrf_token()}
            return json_data(body)
        return await redirect(request, target)

    @router.get("/two-factor-challenge", summary="The two-factor code form")
    async def challenge_form(request: Request) -> Response:
        auth = await request_auth(request)
        pending = await flows.pending_two_factor(auth)
        if wants_json(request):
            return json_data(
                {"pending": pending is not None, "csrf_token": auth.session.csrf_token()}
            )
        if pending is None:
            return await redirect(
                request, "/auth/login", "Your login attempt expired; sign in again."
            )
        return await page(request, "two-factor-challenge.html")

    @router.post("/two-factor-challenge", summary="Finish signing in with a TOTP or recovery code")
    async def challenge(request: Request) -> Response:
        auth = await request_auth(request)
        data = await read_input(request)
        try:
            user = await flows.two_factor_challenge(
                auth, text(data, "code"), text(data, "recovery_code")
            )
        except FoundryError as exc:
            return await failure(request, exc, "two-factor-challenge.html", data)
        target = safe_next(auth.session.pop(NEXT_KEY))
        if wants_json(request):
            return json_data({"data": user.public(), "csrf_token": auth.session.csrf_token()})
        return await redirect(request, target)

    @router.post("/logout", summary="Sign out of this session")
    async def logout(request: Request) -> Response:
        auth = await request_auth(request)
        await flows.logout(auth)
        if wants_json(request):
            return json_data({"message": "Logged out.", "csrf_token": auth.session.csrf_token()})
        return await redirect(request, "/auth/login", "You have been logged out.")

    @router.get("/confirm-password", summary="The password confirmation form")
    async def confirm_form(request: Request, user: SessionUser) -> Response:
        target = safe_next(request.query_params.get("next"))
        if wants_json(request):
            auth = await request_auth(request)
            return json_data({"csrf_token": auth.session.csrf_token()})
        return await page(request, "confirm-password.html", {"next": target})

    @router.post("/confirm-password", summary="Confirm the password before a sensitive action")
    async def confirm(request: Request, user: SessionUser) -> Response:
        auth = await request_auth(request)
        data = await read_input(request)
        target = safe_next(text(data, "next"))
        try:
            await flows.confirm_password(auth, user, text(data, "password"))
        except FoundryError as exc:
            return await failure(request, exc, "confirm-password.html", data, {"next": target})
        if wants_json(request):
            return json_data({"confirmed": True, "csrf_token": auth.session.csrf_token()})
        return await redirect(request, target)

    return router
