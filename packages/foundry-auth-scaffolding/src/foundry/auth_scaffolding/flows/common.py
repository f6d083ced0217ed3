"""Input checks and helpers the flows share."""

from __future__ import annotations

from typing import TYPE_CHECKING

from foundry.auth_scaffolding.errors import LoginLockedOut
from foundry.auth_scaffolding.events import AuthEvent, Lockout
from foundry.auth_scaffolding.users import normalise_email, valid_email
from foundry.domain.errors import ValidationError

if TYPE_CHECKING:
    from foundry.auth_scaffolding.request_auth import RequestAuth
    from foundry.auth_scaffolding.settings import AuthSettings

__all__ = ["check_email", "check_new_password", "fire", "guard_throttle", "invalid", "record"]


def invalid(field: str, message: str) -> ValidationError:
    return ValidationError(message, fields={field: [message]})


def check_email(value: str | None) -> str:
    email = normalise_email(value or "")
    if not email:
        raise invalid("email", "The email field is required.")
    if not valid_email(email):
        raise invalid("email", "The email must be a valid email address.")
    return email


def check_new_password(
    settings: AuthSettings, password: str | None, confirmation: str | None
) -> str:
    """The new password, or a ValidationError naming what is wrong with it."""
    password = password or ""
    if len(password) < settings.min_password_length:
        raise invalid(
            "password",
            f"The password must be at least {settings.min_password_length} characters.",
        )
    if len(password) > 1024:
        raise invalid("password", "The password may not be longer than 1024 characters.")
    if confirmation is None or confirmation != password:
        raise invalid("password_confirmation", "The password confirmation does not match.")
    return password


async def fire(auth: RequestAuth, event: AuthEvent) -> None:
    await auth.services.events.fire(event)


async def record(auth: RequestAuth, activity: str, user_id: str | None, **details: object) -> None:
    """Append to ``user_activity_log`` once the response is sent."""
    users, ip, agent = auth.services.users, auth.ip_address, auth.user_agent

    async def write() -> None:
        await users.record(activity, user_id, ip_address=ip, user_agent=agent, **details)

    await auth.later(write)


async def guard_throttle(
    auth: RequestAuth, key: str, email: str | None, user_id: str | None
) -> None:
    """Refuse the attempt (firing ``Lockout``) while ``key`` is locked out."""
    wait = await auth.services.throttle.blocked_for(key)
    if wait > 0:
        error = LoginLockedOut(wait)
        await fire(
            auth,
            Lockout(
                user_id=user_id,
                email=email,
                ip_address=auth.ip_address,
                retry_after=error.retry_after,
            ),
        )
        await record(auth, "lockout", user_id, retry_after=error.retry_after)
        raise error
