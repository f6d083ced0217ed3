"""The account area: profile, TOTP two-factor set-up, recovery codes, API tokens."""

from __future__ import annotations

from typing import TYPE_CHECKING

from foundry.auth_scaffolding.api_tokens import NewToken, parse_abilities
from foundry.auth_scaffolding.errors import AuthFailed
from foundry.auth_scaffolding.events import (
    ApiTokenCreated,
    ApiTokenRevoked,
    RecoveryCodesGenerated,
    TwoFactorDisabled,
    TwoFactorEnabled,
)
from foundry.auth_scaffolding.flows.common import check_email, fire, invalid, record
from foundry.auth_scaffolding.two_factor import (
    Totp,
    generate_recovery_codes,
    hash_recovery_code,
    new_secret,
)
from foundry.domain.errors import ConflictError

if TYPE_CHECKING:
    from foundry.auth_scaffolding.mail import VerifyEmailMail
    from foundry.auth_scaffolding.models import User
    from foundry.auth_scaffolding.request_auth import RequestAuth
    from foundry.auth_scaffolding.services import AuthServices

__all__ = [
    "confirm_two_factor",
    "create_token",
    "disable_two_factor",
    "enable_two_factor",
    "regenerate_recovery_codes",
    "revoke_token",
    "update_profile",
]


async def update_profile(
    auth: RequestAuth, user: User, name: str | None, email: str | None
) -> tuple[User, VerifyEmailMail | None]:
    """Change name and e-mail; a new e-mail must be verified again (the mail is returned)."""
    from foundry.auth_scaffolding.flows.verification import verification_mail

    services = auth.services
    name = (name or "").strip()
    if not name or len(name) > 255:
        raise invalid("name", "The name is required (at most 255 characters).")
    address = check_email(email)
    changes: dict[str, object] = {"name": name}
    if address != user.email:
        other = await services.users.find_by_email(address)
        if other is not None:
            raise invalid("email", "The email has already been taken.")
        changes.update(email=address, email_verified_at=None)
    updated = await services.users.update(user.id, **changes) or user
    auth.set_user(updated)
    await record(auth, "profile_updated", user.auth_identifier, email_changed="email" in changes)
    mail = await verification_mail(services, updated) if "email" in changes else None
    return updated, mail


async def enable_two_factor(auth: RequestAuth, user: User) -> User:
    """Start TOTP set-up: a new secret, not yet required until confirmed with a code."""
    if user.has_two_factor:
        raise ConflictError("Two-factor authentication is already enabled; disable it first.")
    updated = await auth.services.users.update(
        user.id,
        two_factor_secret=new_secret(),
        two_factor_confirmed_at=None,
        two_factor_recovery_codes=None,
        two_factor_last_step=None,
    )
    assert updated is not None
    auth.set_user(updated)
    return updated


async def confirm_two_factor(auth: RequestAuth, user: User, code: str | None) -> list[str]:
    """Turn TOTP on with a code from the app; returns the 8 recovery codes (shown once)."""
    services = auth.services
    if user.two_factor_secret is None or user.has_two_factor:
        raise ConflictError("There is no pending two-factor set-up to confirm; enable it first.")
    step = Totp(user.two_factor_secret).match(code or "", services.clock.now())
    if step is None or not await services.users.claim_totp_step(user.id, step):
        raise AuthFailed("The provided two-factor code was invalid.", field="code")
    codes = generate_recovery_codes()
    updated = await services.users.update(
        user.id,
        two_factor_confirmed_at=services.clock.now(),
        two_factor_recovery_codes=[hash_recovery_code(c) for c in codes],
    )
    auth.session.regenerate()
    auth.set_user(updated)
    await fire(auth, TwoFactorEnabled(user.auth_identifier, user.email, auth.ip_address))
    await record(auth, "two_factor_enabled", user.auth_identifier)
    return codes


async def disable_two_factor(auth: RequestAuth, user: User) -> None:
    updated = await auth.services.users.update(
        user.id,
        two_factor_secret=None,
        two_factor_confirmed_at=None,
        two_factor_recovery_codes=None,
        two_factor_last_step=None,
    )
    auth.set_user(updated)
    await fire(auth, TwoFactorDisabled(user.auth_identifier, user.email, auth.ip_address))
    await record(auth, "two_factor_disabled", user.auth_identifier)


async def regenerate_recovery_codes(services: AuthServices, user: User) -> list[str]:
    """Replace the user's recovery codes; returns the new ones (shown once)."""
    if not user.has_two_factor:
        raise ConflictError(
            f"{user.email} has no two-factor authentication, so it has no recovery codes."
        )
    codes = generate_recovery_codes()
    await services.users.update(
        user.id, two_factor_recovery_codes=[hash_recovery_code(c) for c in codes]
    )
    await services.events.fire(RecoveryCodesGenerated(user.auth_identifier, user.email))
    await services.users.record("recovery_codes_generated", user.auth_identifier)
    return codes


async def create_token(
    auth: RequestAuth,
    user: User,
    name: str | None,
    abilities: str | list[str] | None,
    expires_in_days: str | int | None,
) -> NewToken:
    services = auth.services
    days: int | None = None
    if expires_in_days not in (None, ""):
        try:
            days = int(str(expires_in_days))
        except ValueError:
            days = -1
        if days < 1 or days > 3650:
            raise invalid("expires_in_days", "The expiry must be 1 to 3650 days, or empty.")
    issued = await services.tokens.create(
        user.auth_identifier,
        name or "",
        parse_abilities(abilities),
        services.tokens.expiry_in_days(days),
    )
    await fire(
        auth,
        ApiTokenCreated(
            user.auth_identifier,
            user.email,
            auth.ip_address,
            token_id=str(issued.record.id),
            abilities=tuple(issued.record.abilities),
        ),
    )
    await record(auth, "api_token_created", user.auth_identifier, token_id=str(issued.record.id))
    return issued


async def revoke_token(auth: RequestAuth, user: User, token_id: str) -> None:
    await auth.services.tokens.revoke(user.auth_identifier, token_id)
    await fire(auth, ApiTokenRevoked(user.auth_identifier, user.email, auth.ip_address, token_id))
    await record(auth, "api_token_revoked", user.auth_identifier, token_id=token_id)
