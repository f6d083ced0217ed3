"""Guards as FastAPI dependencies, and ``authenticate(request)`` for other packages.

::

    from fastapi import Depends
    from foundry.auth_scaffolding import current_user, require_abilities

    @router.get("/posts")
    async def posts(user = Depends(current_user)): ...

    @router.post("/posts", dependencies=[Depends(require_abilities("posts:write"))])
    async def create_post(): ...

``current_user`` accepts the session cookie or an ``Authorization: Bearer`` token checked
by every verifier tagged ``auth.token_verifiers`` (this package's personal API tokens,
OAuth access tokens). Session users hold every ability; tokens hold theirs.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends
from starlette.requests import HTTPConnection, Request

from foundry.auth_scaffolding.errors import (
    CsrfTokenMismatch,
    EmailNotVerified,
    MissingAbility,
    PasswordConfirmationRequired,
    SessionRequired,
    Unauthenticated,
)
from foundry.auth_scaffolding.models import User
from foundry.auth_scaffolding.request_auth import request_auth
from foundry.auth_scaffolding.session import CSRF_KEY
from foundry.auth_scaffolding.tokens import same
from foundry.domain.auth import Authenticatable

__all__ = [
    "authenticate",
    "current_user",
    "optional_user",
    "require_abilities",
    "require_password_confirmed",
    "require_verified",
    "session_user",
    "verify_csrf",
]

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
FORM_TYPES = frozenset(
    {"", "application/x-www-form-urlencoded", "multipart/form-data", "text/plain"}
)


async def authenticate(request: HTTPConnection) -> Authenticatable | None:
    """The user a request speaks for (session cookie or bearer token), or None.

    Hand it to packages that ask "who is this?" without importing this one — for
    instance, tag an object with this as its ``authenticate`` method under
    ``auth.authenticators`` (the provider does) for ``foundry-broadcast``'s private
    channels.
    """
    auth = await request_auth(request)
    return await auth.user()


async def optional_user(request: Request) -> User | None:
    """The signed-in user, or None (for pages that greet guests too)."""
    return await (await request_auth(request)).user()


async def current_user(request: Request) -> User:
    """The signed-in user; 401 otherwise (browsers are sent to the login page)."""
    auth = await request_auth(request)
    user = await auth.user()
    if user is None:
        if auth.bearer_given and auth.access_token is None:
            raise Unauthenticated(
                "The bearer token is invalid, expired or revoked; create a new one.",
                code="INVALID_TOKEN",
            )
        raise Unauthenticated("Sign in to continue: send the session cookie or a bearer token.")
    return user


async def session_user(request: Request) -> User:
    """The user of a *session* (cookie) login: account settings are not for API tokens."""
    user = await current_user(request)
    if (await request_auth(request)).via_bearer:
        raise SessionRequired(
            "Account settings need a browser session; API tokens cannot change them."
        )
    return user


async def require_verified(request: Request) -> User:
    """The signed-in user with a verified e-mail address; 403 otherwise."""
    user = await current_user(request)
    if not user.is_verified:
        raise EmailNotVerified("Verify your e-mail address first: follow the link we sent you.")
    return user


def require_abilities(*abilities: str) -> Callable[[Request], Awaitable[User]]:
    """A dependency requiring every ability of a bearer token (sessions hold them all)."""
    wanted = tuple(abilities)

    async def check_abilities(request: Request) -> User:
        user = await current_user(request)
        grant = (await request_auth(request)).access_token
        if grant is not None:
            missing = [ability for ability in wanted if not grant.can(ability)]
            if missing:
                raise MissingAbility(missing)
        return user

    check_abilities.__name__ = "require_" + "_".join(a.replace(":", "_") for a in wanted)
    return check_abilities


async def require_password_confirmed(request: Request) -> User:
    """The signed-in user who entered their password recently (``auth.password_timeout``,
    3 hours by default); 423 otherwise (browsers go to the confirmation page)."""
    user = await session_user(request)
    auth = await request_auth(request)
    settings = auth.services.settings
    if not auth.session.confirmed_within(settings.password_timeout, auth.services.clock.now()):
        raise PasswordConfirmationRequired("Confirm your password to continue.")
    return user


async def verify_csrf(request: Request) -> None:
    """Refuse a state-changing request without the session's CSRF token (419).

    The token comes from the form field ``_token`` or the ``X-CSRF-Token`` /
    ``X-XSRF-Token`` header. Exempt: bearer-token requests (no ambient credentials) and
    JSON requests that carry no session cookie (a browser cannot send those cross-site
    without a CORS preflight); every form post and every cookie-carrying request is
    checked, the login form included.
    """
    if request.method not in UNSAFE_METHODS:
        return
    auth = await request_auth(request)
    if auth.via_bearer:
        return
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    form_like = content_type in FORM_TYPES
    if not form_like and not auth.session.from_cookie:
        return
    given = request.headers.get("x-csrf-token") or request.headers.get("x-xsrf-token")
    if not given and content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = await request.form()
        value = form.get("_token")
        given = value if isinstance(value, str) else None
    expected = auth.session.get(CSRF_KEY)
    if not given or not expected or not same(str(given), str(expected)):
        raise CsrfTokenMismatch(
            "The page expired or the CSRF token is missing: reload the form and submit it "
            "again (API clients send X-CSRF-Token or use a bearer token)."
        )


CurrentUser = Annotated[User, Depends(current_user)]
"""An endpoint parameter annotated with this receives the signed-in user (or 401)."""

SessionUser = Annotated[User, Depends(session_user)]
VerifiedUser = Annotated[User, Depends(require_verified)]
ConfirmedUser = Annotated[User, Depends(require_password_confirmed)]

__all__ += ["ConfirmedUser", "CurrentUser", "SessionUser", "VerifiedUser"]


class SessionAuthenticator:
    """``authenticate(request)`` as an object: tagged ``auth.authenticators`` by the
    provider, where packages such as ``foundry-broadcast`` look for request guards."""

    async def authenticate(self, request: HTTPConnection) -> Authenticatable | None:
        return await authenticate(request)


__all__ += ["SessionAuthenticator"]
