"""Forgotten passwords (reset links), password changes, and ending other sessions.

Reset tokens are 256-bit, stored as SHA-256 digests, expire after
``AUTH_PASSWORD_RESET_LIFETIME`` seconds and are deleted when used (the delete must
succeed for the reset to go ahead, so two concurrent uses cannot both pass). A reset or a
change replaces the user's session generation, ends their other sessions and deletes
their API tokens.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from foundry.auth_scaffolding.errors import AuthFailed, InvalidToken, MailNotConfigured
from foundry.auth_scaffolding.events import (
    Failed,
    OtherDevicesLoggedOut,
    PasswordChanged,
    PasswordReset,
    PasswordResetLinkSent,
)
from foundry.auth_scaffolding.flows.common import (
    check_email,
    check_new_password,
    fire,
    guard_throttle,
    invalid,
    record,
)
from foundry.auth_scaffolding.mail import ResetPasswordMail
from foundry.auth_scaffolding.session import EPOCH_KEY
from foundry.auth_scaffolding.throttle import throttle_key
from foundry.auth_scaffolding.tokens import digest, new_token

if TYPE_CHECKING:
    from foundry.auth_scaffolding.models import User
    from foundry.auth_scaffolding.request_auth import RequestAuth
    from foundry.auth_scaffolding.services import AuthServices

__all__ = [
    "RESET_LINK_SENT",
    "change_password",
    "end_user_sessions",
    "logout_other_devices",
    "prune_resets",
    "reset_password",
    "send_reset_link",
]

RESET_LINK_SENT = "If an account exists for that address, we have e-mailed a password reset link."
INVALID_RESET = "This password reset link is invalid or has expired; ask for a new one."
RESEND_AFTER = timedelta(seconds=60)


async def send_reset_link(auth: RequestAuth, email: str | None) -> ResetPasswordMail | None:
    """Make a reset token for the account (if there is one) and return the mail to send.

    The caller sends it after answering, so the answer and its timing are the same
    whether the account exists or not; a second request within a minute sends nothing.

    Raises:
        MailNotConfigured: no Mailer is bound.
        ValidationError: the e-mail is missing or malformed.
    """
    from sqlalchemy import delete
    from sqlmodel import col, select

    from foundry.auth_scaffolding.models import PasswordReset as ResetRow

    services = auth.services
    if not services.mail.configured:
        raise MailNotConfigured()
    address = check_email(email)
    user = await services.users.find_by_email(address)
    now = services.clock.now()
    if user is None:
        return None
    token = new_token()
    async with services.users.database.session() as db:
        recent = (
            await db.exec(
                select(ResetRow)
                .where(ResetRow.email == address)
                .where(ResetRow.created_at > now - RESEND_AFTER)
            )
        ).first()
        if recent is not None:
            return None
        await db.exec(delete(ResetRow).where(col(ResetRow.email) == address))
        db.add(
            ResetRow(
                email=address,
                token=digest(token),
                expires_at=now + timedelta(seconds=services.settings.reset_lifetime),
                created_at=now,
            )
        )
    await fire(auth, PasswordResetLinkSent(user.auth_identifier, user.email, auth.ip_address))
    await record(auth, "password_reset_requested", user.auth_identifier)
    query = urlencode({"token": token, "email": user.email})
    return ResetPasswordMail(
        services.views,
        user.email,
        user.name,
        url=services.url(f"/auth/password/reset?{query}"),
        minutes=max(1, services.settings.reset_lifetime // 60),
    )


async def reset_password(
    auth: RequestAuth,
    token: str | None,
    email: str | None,
    password: str | None,
    confirmation: str | None,
) -> User:
    """Set a new password with a reset token (used up by this call).

    Raises:
        InvalidToken: unknown, used or expired token, or not this e-mail's.
        ValidationError: the new password is unacceptable (the token stays valid).
    """
    from sqlalchemy import delete
    from sqlmodel import col, select

    from foundry.auth_scaffolding.models import PasswordReset as ResetRow

    services = auth.services
    if not token:
        raise InvalidToken(INVALID_RESET)
    address = check_email(email)
    secret = check_new_password(services.settings, password, confirmation)
    now = services.clock.now()
    async with services.users.database.session() as db:
        row = (await db.exec(select(ResetRow).where(ResetRow.token == digest(token)))).first()
        if row is None or row.email != address:
            raise InvalidToken(INVALID_RESET)
        used: Any = await db.exec(delete(ResetRow).where(col(ResetRow.id) == row.id))
        if not used.rowcount or row.expires_at <= now:
            raise InvalidToken(INVALID_RESET)
    user = await services.users.find_by_email(address)
    if user is None:
        raise InvalidToken(INVALID_RESET)
    updated = await services.users.update(user.id, password_hash=await services.hasher.hash(secret))
    await end_user_sessions(services, user.auth_identifier)
    await fire(auth, PasswordReset(user.auth_identifier, user.email, auth.ip_address))
    await record(auth, "password_reset", user.auth_identifier)
    return updated or user


async def end_user_sessions(
    services: AuthServices, user_id: str, *, tokens: bool = True, except_id: str | None = None
) -> str:
    """A new session generation for the user; every stored session (but ``except_id``)
    and, with ``tokens``, every API token of the user ends. Returns the new generation."""
    epoch = await services.users.rotate_epoch(user_id)
    await services.store.destroy_for_user(user_id, except_id=except_id)
    if tokens:
        await services.tokens.revoke_all(user_id)
    return epoch


async def _keep_this_session(auth: RequestAuth, user: User, epoch: str) -> None:
    auth.session.regenerate()
    auth.session.set(EPOCH_KEY, epoch)
    auth.set_user(await auth.services.users.find(user.id, fresh=True))


async def change_password(
    auth: RequestAuth,
    user: User,
    current: str | None,
    password: str | None,
    confirmation: str | None,
) -> None:
    """Change the password of a signed-in user (the current one is required).

    This session continues under a new id; the user's other sessions and API tokens end.
    """
    services = auth.services
    key = throttle_key("password", user.auth_identifier, auth.ip_address)
    await guard_throttle(auth, key, user.email, user.auth_identifier)
    if not current or not await services.hasher.verify(user.password_hash, current):
        await services.throttle.failed(key)
        await fire(auth, Failed(user.auth_identifier, user.email, auth.ip_address, "password"))
        raise AuthFailed("The current password is incorrect.", field="current_password")
    await services.throttle.clear(key)
    secret = check_new_password(services.settings, password, confirmation)
    if secret == current:
        raise invalid("password", "The new password must differ from the current one.")
    await services.users.update(user.id, password_hash=await services.hasher.hash(secret))
    epoch = await end_user_sessions(services, user.auth_identifier)
    await _keep_this_session(auth, user, epoch)
    await fire(auth, PasswordChanged(user.auth_identifier, user.email, auth.ip_address))
    await record(auth, "password_changed", user.auth_identifier)


async def logout_other_devices(auth: RequestAuth, user: User, password: str | None) -> int:
    """End the user's other sessions (the password is required); returns how many."""
    services = auth.services
    key = throttle_key("password", user.auth_identifier, auth.ip_address)
    await guard_throttle(auth, key, user.email, user.auth_identifier)
    if not password or not await services.hasher.verify(user.password_hash, password):
        await services.throttle.failed(key)
        raise AuthFailed("The provided password is incorrect.", field="password")
    await services.throttle.clear(key)
    others = [
        r for r in await services.store.for_user(user.auth_identifier) if r.id != auth.session.id
    ]
    epoch = await end_user_sessions(services, user.auth_identifier, tokens=False)
    await _keep_this_session(auth, user, epoch)
    await fire(
        auth, OtherDevicesLoggedOut(user.auth_identifier, user.email, auth.ip_address, len(others))
    )
    await record(auth, "other_sessions_ended", user.auth_identifier, sessions=len(others))
    return len(others)


async def prune_resets(services: AuthServices) -> dict[str, int]:
    """Delete expired password reset and e-mail verification rows."""
    from sqlalchemy import delete
    from sqlmodel import col

    from foundry.auth_scaffolding.models import EmailVerification
    from foundry.auth_scaffolding.models import PasswordReset as ResetRow

    now = services.clock.now()
    async with services.users.database.session() as db:
        resets: Any = await db.exec(delete(ResetRow).where(col(ResetRow.expires_at) <= now))
        verifications: Any = await db.exec(
            delete(EmailVerification).where(col(EmailVerification.expires_at) <= now)
        )
    return {
        "password_resets": int(resets.rowcount or 0),
        "email_verifications": int(verifications.rowcount or 0),
    }
