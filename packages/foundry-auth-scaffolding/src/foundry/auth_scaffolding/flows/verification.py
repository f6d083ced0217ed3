"""E-mail verification links: 256-bit tokens, stored hashed, single-use, expiring."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from foundry.auth_scaffolding.errors import InvalidToken
from foundry.auth_scaffolding.events import Verified
from foundry.auth_scaffolding.flows.common import fire, record
from foundry.auth_scaffolding.mail import VerifyEmailMail, WelcomeMail
from foundry.auth_scaffolding.tokens import digest, new_token

if TYPE_CHECKING:
    from foundry.auth_scaffolding.models import User
    from foundry.auth_scaffolding.request_auth import RequestAuth
    from foundry.auth_scaffolding.services import AuthServices

__all__ = ["INVALID_LINK", "verification_mail", "verify_email"]

INVALID_LINK = "This verification link is invalid or has expired; ask for a new one."


async def verification_mail(services: AuthServices, user: User) -> VerifyEmailMail:
    """Replace the user's pending verification with a new one; returns the mail to send."""
    from sqlalchemy import delete
    from sqlmodel import col

    from foundry.auth_scaffolding.models import EmailVerification

    token = new_token()
    now = services.clock.now()
    lifetime = services.settings.verification_lifetime
    async with services.users.database.session() as db:
        await db.exec(delete(EmailVerification).where(col(EmailVerification.user_id) == user.id))
        db.add(
            EmailVerification(
                user_id=user.id,
                email=user.email,
                token=digest(token),
                expires_at=now + timedelta(seconds=lifetime),
                created_at=now,
            )
        )
    return VerifyEmailMail(
        services.views,
        user.email,
        user.name,
        url=services.url(f"/auth/email/verify/{token}"),
        hours=max(1, lifetime // 3600),
    )


async def verify_email(auth: RequestAuth, token: str) -> tuple[User, WelcomeMail | None]:
    """Mark the address verified; returns the user and the welcome mail to send (None
    when it was verified already).

    Raises:
        InvalidToken: unknown, used or expired link, or the address changed since.
    """
    from sqlalchemy import delete
    from sqlmodel import col, select

    from foundry.auth_scaffolding.models import EmailVerification

    services = auth.services
    now = services.clock.now()
    async with services.users.database.session() as db:
        statement = select(EmailVerification).where(EmailVerification.token == digest(token))
        row = (await db.exec(statement)).first()
        if row is None:
            raise InvalidToken(INVALID_LINK)
        used: Any = await db.exec(
            delete(EmailVerification).where(col(EmailVerification.id) == row.id)
        )
        if not used.rowcount or row.expires_at <= now:
            raise InvalidToken(INVALID_LINK)
    user = await services.users.find(row.user_id, fresh=True)
    if user is None or user.email != row.email:
        raise InvalidToken(INVALID_LINK)
    if user.email_verified_at is not None:
        return user, None
    updated = await services.users.update(user.id, email_verified_at=now) or user
    await fire(auth, Verified(user.auth_identifier, user.email, auth.ip_address))
    await record(auth, "email_verified", user.auth_identifier)
    welcome = WelcomeMail(services.views, user.email, user.name, url=services.url("/auth/user"))
    return updated, welcome
