"""Events the auth flows fire through the bound ``EventDispatcher`` (none bound: no-op).

Listeners receive user ids and e-mail addresses, never passwords or tokens. Names follow
Laravel's (``Registered``, ``Login``, ``Failed``, ``Lockout``, ``Logout``,
``PasswordReset``, ``Verified``) so listeners written for those read the same.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from foundry.domain.events import Event, EventDispatcher

if TYPE_CHECKING:
    from foundry.domain.container import Container

__all__ = [
    "ApiTokenCreated",
    "ApiTokenRevoked",
    "AuthEvent",
    "EventBus",
    "Failed",
    "Lockout",
    "Login",
    "Logout",
    "OtherDevicesLoggedOut",
    "PasswordChanged",
    "PasswordConfirmed",
    "PasswordReset",
    "PasswordResetLinkSent",
    "RecoveryCodeUsed",
    "RecoveryCodesGenerated",
    "Registered",
    "TwoFactorChallenged",
    "TwoFactorDisabled",
    "TwoFactorEnabled",
    "Verified",
]

log = logging.getLogger("foundry.auth")


@dataclass(frozen=True, slots=True)
class AuthEvent(Event):
    """Base of the auth events: who, and from which address."""

    user_id: str | None = None
    email: str | None = None
    ip_address: str | None = None


@dataclass(frozen=True, slots=True)
class Registered(AuthEvent):
    """An account was created (by the form or ``make:user``)."""


@dataclass(frozen=True, slots=True)
class Login(AuthEvent):
    """A login completed (after the two-factor challenge when there is one)."""

    remember: bool = False
    via: str = "password"


@dataclass(frozen=True, slots=True)
class Failed(AuthEvent):
    """Credentials or a second factor were wrong (``user_id`` is None for unknown e-mails)."""

    reason: str = "credentials"


@dataclass(frozen=True, slots=True)
class Lockout(AuthEvent):
    """Too many failures for this (e-mail, address): attempts are refused for a while."""

    retry_after: int = 0


@dataclass(frozen=True, slots=True)
class Logout(AuthEvent):
    """A session was logged out."""


@dataclass(frozen=True, slots=True)
class OtherDevicesLoggedOut(AuthEvent):
    """Every other session of the user was ended."""

    sessions: int = 0


@dataclass(frozen=True, slots=True)
class PasswordResetLinkSent(AuthEvent):
    """A reset link was e-mailed."""


@dataclass(frozen=True, slots=True)
class PasswordReset(AuthEvent):
    """A password was reset through an e-mailed link."""


@dataclass(frozen=True, slots=True)
class PasswordChanged(AuthEvent):
    """A signed-in user changed their password."""


@dataclass(frozen=True, slots=True)
class PasswordConfirmed(AuthEvent):
    """A signed-in user re-entered their password."""


@dataclass(frozen=True, slots=True)
class Verified(AuthEvent):
    """An e-mail address was verified."""


@dataclass(frozen=True, slots=True)
class TwoFactorChallenged(AuthEvent):
    """The password was right and a second factor is now asked for."""


@dataclass(frozen=True, slots=True)
class TwoFactorEnabled(AuthEvent):
    """TOTP was confirmed with a real code and is now required at login."""


@dataclass(frozen=True, slots=True)
class TwoFactorDisabled(AuthEvent):
    """TOTP was switched off."""


@dataclass(frozen=True, slots=True)
class RecoveryCodesGenerated(AuthEvent):
    """A new set of recovery codes replaced the old one."""


@dataclass(frozen=True, slots=True)
class RecoveryCodeUsed(AuthEvent):
    """A recovery code was spent at the two-factor challenge."""

    remaining: int = 0


@dataclass(frozen=True, slots=True)
class ApiTokenCreated(AuthEvent):
    """A personal API token was issued."""

    token_id: str = ""
    abilities: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class ApiTokenRevoked(AuthEvent):
    """A personal API token was deleted."""

    token_id: str = ""


class EventBus:
    """Dispatches through the container's ``EventDispatcher`` when one is bound."""

    def __init__(self, container: Container) -> None:
        self._container = container

    async def fire(self, event: AuthEvent) -> None:
        if not self._container.bound(EventDispatcher):
            return
        try:
            await self._container.make(EventDispatcher).dispatch(event)
        except Exception:  # an event never breaks the flow that fired it
            log.exception("dispatching %s failed", event.event_name)
