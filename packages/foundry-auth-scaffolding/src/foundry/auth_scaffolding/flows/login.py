"""Registration, login (with the two-factor challenge), logout, password confirmation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from foundry.auth_scaffolding.errors import AuthFailed
from foundry.auth_scaffolding.events import (
    Failed,
    Login,
    Logout,
    PasswordConfirmed,
    RecoveryCodeUsed,
    Registered,
    TwoFactorChallenged,
)
from foundry.auth_scaffolding.flows.common import (
    check_email,
    check_new_password,
    fire,
    guard_throttle,
    invalid,
    record,
)
from foundry.auth_scaffolding.session import CONFIRMED_KEY
from foundry.auth_scaffolding.throttle import throttle_key
from foundry.auth_scaffolding.two_factor import Totp, match_recovery_code
from foundry.domain.context import set_user_id

if TYPE_CHECKING:
    from foundry.auth_scaffolding.models import User
    from foundry.auth_scaffolding.request_auth import RequestAuth
    from foundry.auth_scaffolding.services import AuthServices

__all__ = [
    "CREDENTIALS_FAILED",
    "LoginResult",
    "attempt",
    "begin_two_factor",
    "complete_login",
    "confirm_password",
    "create_user",
    "logout",
    "pending_two_factor",
    "register",
    "two_factor_challenge",
]

CREDENTIALS_FAILED = "These credentials do not match our records."
PENDING_KEY = "login.pending_user"
PENDING_REMEMBER = "login.remember"
PENDING_AT = "login.pending_at"
PENDING_LIFETIME = timedelta(minutes=5)


@dataclass(frozen=True, slots=True)
class LoginResult:
    """``two_factor`` when a code is still needed; else the login is complete."""

    user: User
    two_factor: bool = False


async def create_user(
    services: AuthServices,
    *,
    name: str | None,
    email: str | None,
    password: str | None,
    confirmation: str | None,
    verified: bool = False,
) -> User:
    """Check the input and insert the user (a ValidationError names each bad field)."""
    name = (name or "").strip()
    if not name:
        raise invalid("name", "The name field is required.")
    if len(name) > 255:
        raise invalid("name", "The name may not be longer than 255 characters.")
    address = check_email(email)
    secret = check_new_password(services.settings, password, confirmation)
    hashed = await services.hasher.hash(secret)
    return await services.users.create(
        name=name, email=address, password_hash=hashed, verified=verified
    )


async def register(
    auth: RequestAuth,
    *,
    name: str | None,
    email: str | None,
    password: str | None,
    confirmation: str | None,
) -> User:
    """Create the account and sign it in (the caller sends the verification mail)."""
    user = await create_user(
        auth.services, name=name, email=email, password=password, confirmation=confirmation
    )
    await fire(auth, Registered(user.auth_identifier, user.email, auth.ip_address))
    await record(auth, "registered", user.auth_identifier)
    await complete_login(auth, user, remember=False, via="register")
    return user


async def attempt(
    auth: RequestAuth, email: str | None, password: str | None, *, remember: bool = False
) -> LoginResult:
    """Check credentials, throttled per (e-mail, address).

    An unknown e-mail costs a verification against a dummy hash and fails with the same
    message as a wrong password, so neither the answer nor its timing tells them apart.

    Raises:
        ValidationError: a field is missing.
        LoginLockedOut: too many failures for this (e-mail, address).
        AuthFailed: the credentials are wrong.
    """
    services = auth.services
    address = (email or "").strip().lower()
    if not address:
        raise invalid("email", "The email field is required.")
    if not password:
        raise invalid("password", "The password field is required.")
    key = throttle_key("login", address, auth.ip_address)
    user = await services.users.find_by_email(address)
    user_id = user.auth_identifier if user is not None else None
    await guard_throttle(auth, key, address, user_id)
    if user is None:
        valid = await services.hasher.dummy_verify(password)
    else:
        valid = await services.hasher.verify(user.password_hash, password)
    if not valid or user is None:
        await services.throttle.failed(key)
        await fire(auth, Failed(user_id, address, auth.ip_address))
        await record(auth, "login_failed", user_id)
        raise AuthFailed(CREDENTIALS_FAILED)
    await services.throttle.clear(key)
    if services.hasher.needs_rehash(user.password_hash):
        rehashed = await services.users.update(
            user.id, password_hash=await services.hasher.hash(password)
        )
        user = rehashed or user
    if user.has_two_factor:
        await begin_two_factor(auth, user, remember=remember)
        return LoginResult(user, two_factor=True)
    await complete_login(auth, user, remember=remember)
    return LoginResult(user)


async def begin_two_factor(auth: RequestAuth, user: User, *, remember: bool) -> None:
    """Hold ``user``'s login at the two-factor challenge (under a new session id)."""
    session = auth.session
    session.regenerate()
    session.set(PENDING_KEY, user.auth_identifier)
    session.set(PENDING_REMEMBER, remember)
    session.set(PENDING_AT, auth.services.clock.now().isoformat())
    await fire(auth, TwoFactorChallenged(user.auth_identifier, user.email, auth.ip_address))


async def complete_login(
    auth: RequestAuth, user: User, *, remember: bool, via: str = "password"
) -> None:
    """Sign ``user`` in on this session, under a new session id."""
    now = auth.services.clock.now()
    auth.session.login(user.auth_identifier, user.remember_token, remember=remember, now=now)
    auth.access_token = None
    auth.set_user(user)
    set_user_id(user.auth_identifier)
    await fire(auth, Login(user.auth_identifier, user.email, auth.ip_address, remember, via))
    await record(auth, "login", user.auth_identifier, remember=remember, via=via)


async def pending_two_factor(auth: RequestAuth) -> User | None:
    """The user waiting at the two-factor challenge, if the wait has not expired."""
    session = auth.session
    user_id, started = session.get(PENDING_KEY), session.get(PENDING_AT)
    if not user_id or not started:
        return None
    if auth.services.clock.now() - datetime.fromisoformat(str(started)) > PENDING_LIFETIME:
        for key in (PENDING_KEY, PENDING_REMEMBER, PENDING_AT):
            session.pop(key)
        return None
    return await auth.services.users.find(str(user_id), fresh=True)


async def two_factor_challenge(
    auth: RequestAuth, code: str | None, recovery_code: str | None
) -> User:
    """Finish a login with a TOTP code (each time step accepted once) or a recovery code
    (each usable once).

    Raises:
        AuthFailed: no login is waiting, or the code is wrong or already used.
        LoginLockedOut: too many wrong codes.
    """
    services = auth.services
    user = await pending_two_factor(auth)
    if user is None or not user.has_two_factor or user.two_factor_secret is None:
        raise AuthFailed("Your login attempt has expired; sign in again.", field="code")
    key = throttle_key("two-factor", user.auth_identifier, auth.ip_address)
    await guard_throttle(auth, key, user.email, user.auth_identifier)
    accepted = False
    if code:
        step = Totp(user.two_factor_secret).match(code, services.clock.now())
        accepted = step is not None and await services.users.claim_totp_step(user.id, step)
    elif recovery_code:
        stored = list(user.two_factor_recovery_codes or [])
        index = match_recovery_code(recovery_code, stored)
        if index is not None:
            stored.pop(index)
            await services.users.update(user.id, two_factor_recovery_codes=stored)
            await fire(
                auth, RecoveryCodeUsed(user.auth_identifier, user.email, remaining=len(stored))
            )
            accepted = True
    if not accepted:
        await services.throttle.failed(key)
        await fire(auth, Failed(user.auth_identifier, user.email, auth.ip_address, "two_factor"))
        await record(auth, "two_factor_failed", user.auth_identifier)
        field = "recovery_code" if recovery_code and not code else "code"
        raise AuthFailed("The provided two-factor code was invalid.", field=field)
    await services.throttle.clear(key)
    remember = bool(auth.session.get(PENDING_REMEMBER))
    for name in (PENDING_KEY, PENDING_REMEMBER, PENDING_AT):
        auth.session.pop(name)
    await complete_login(auth, user, remember=remember, via="two_factor")
    return user


async def logout(auth: RequestAuth) -> None:
    """End this session (a new, empty one takes its place)."""
    user = await auth.user()
    auth.session.invalidate()
    auth.set_user(None)
    if user is not None:
        await fire(auth, Logout(user.auth_identifier, user.email, auth.ip_address))
        await record(auth, "logout", user.auth_identifier)


async def confirm_password(auth: RequestAuth, user: User, password: str | None) -> None:
    """Re-check the password of a signed-in user (throttled); the session id changes.

    Raises:
        AuthFailed: the password is wrong.
        LoginLockedOut: too many wrong passwords.
    """
    services = auth.services
    key = throttle_key("confirm", user.auth_identifier, auth.ip_address)
    await guard_throttle(auth, key, user.email, user.auth_identifier)
    if not password or not await services.hasher.verify(user.password_hash, password):
        await services.throttle.failed(key)
        await fire(auth, Failed(user.auth_identifier, user.email, auth.ip_address, "confirm"))
        raise AuthFailed("The provided password is incorrect.", field="password")
    await services.throttle.clear(key)
    auth.session.regenerate()
    auth.session.set(CONFIRMED_KEY, services.clock.now().isoformat())
    await fire(auth, PasswordConfirmed(user.auth_identifier, user.email, auth.ip_address))
