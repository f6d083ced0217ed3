"""The auth package's errors: narrow subclasses of the domain's hierarchy.

Each carries the status the HTTP layer answers with; the package's exception handlers turn
them into the JSON envelope for API clients and into redirects for browsers (to the login
page, the verification notice, the password confirmation page).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from foundry.domain.errors import (
    AuthenticationError,
    AuthorizationError,
    FoundryError,
    ServiceUnavailableError,
    ValidationError,
)

__all__ = [
    "AuthFailed",
    "CsrfTokenMismatch",
    "EmailNotVerified",
    "InvalidToken",
    "LoginLockedOut",
    "MailNotConfigured",
    "MissingAbility",
    "PasswordConfirmationRequired",
    "Unauthenticated",
]


class Unauthenticated(AuthenticationError):
    """No session user and no valid bearer token (401; browsers go to the login page)."""

    challenge = "Bearer"


class AuthFailed(ValidationError):
    """Wrong credentials or code. One message whatever was wrong, so nothing is revealed."""

    code = "AUTH_FAILED"

    def __init__(self, message: str, field: str = "email") -> None:
        super().__init__(message, fields={field: [message]})


class InvalidToken(ValidationError):
    """A reset or verification link that is unknown, used or expired."""

    code = "INVALID_TOKEN"

    def __init__(self, message: str) -> None:
        super().__init__(message, fields={"token": [message]})


class LoginLockedOut(FoundryError):
    """Too many failed attempts for this (e-mail, address); ``retry_after`` seconds."""

    code = "TOO_MANY_ATTEMPTS"
    status = 429

    def __init__(self, retry_after: float) -> None:
        seconds = max(1, int(retry_after + 0.999))
        super().__init__(
            f"Too many attempts. Try again in {seconds} second{'s' if seconds != 1 else ''}.",
            context={"retry_after": seconds},
        )
        self.retry_after = seconds


class CsrfTokenMismatch(FoundryError):
    """A state-changing request without the session's CSRF token (419, as Laravel)."""

    code = "CSRF_TOKEN_MISMATCH"
    status = 419


class EmailNotVerified(AuthorizationError):
    """The route needs a verified e-mail address."""

    code = "EMAIL_NOT_VERIFIED"


class PasswordConfirmationRequired(FoundryError):
    """The route needs the password confirmed recently (423, as Laravel)."""

    code = "PASSWORD_CONFIRMATION_REQUIRED"
    status = 423


class MissingAbility(AuthorizationError):
    """The bearer token lacks an ability the route needs."""

    code = "MISSING_ABILITY"

    def __init__(self, missing: list[str]) -> None:
        super().__init__(
            f"The token lacks the abilit{'y' if len(missing) == 1 else 'ies'} "
            f"{', '.join(missing)}; create a token that holds "
            f"{'it' if len(missing) == 1 else 'them'}.",
            context={"missing": missing},
        )


class MailNotConfigured(ServiceUnavailableError):
    """No ``Mailer`` is bound, so links cannot be e-mailed."""

    code = "MAIL_NOT_CONFIGURED"

    def __init__(self, context: Mapping[str, Any] | None = None) -> None:
        super().__init__(
            "E-mail is not configured, so this link cannot be sent. Operator: install "
            "foundry-mail and set MAIL_MAILER (or bind foundry.domain.mail.Mailer).",
            context=context,
        )


class SessionRequired(AuthorizationError):
    """Account settings are changed from a browser session, never with an API token."""

    code = "SESSION_REQUIRED"


__all__ += ["SessionRequired"]
