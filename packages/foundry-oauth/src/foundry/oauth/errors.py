"""Why a social login stopped: one error per way a sign-in can go wrong.

Every error is a :class:`~foundry.domain.errors.FoundryError`, so the callback renders it as
a page for browsers or the JSON envelope ``{"error": {"code", "message", "status"}}`` for
API clients, and the commands print its message on one line. Messages never hold a token,
a code or a secret.
"""

from __future__ import annotations

from foundry.domain.errors import (
    AuthorizationError,
    ConfigurationError,
    ConflictError,
    FoundryError,
    NotFoundError,
    ValidationError,
)

__all__ = [
    "AccountConflict",
    "EmailMissing",
    "EmailNotVerified",
    "IdentityTokenInvalid",
    "ProviderDenied",
    "ProviderMisconfigured",
    "ProviderUnavailable",
    "ProviderUnknown",
    "SocialLoginError",
    "StateExpired",
    "StateInvalid",
    "TokenExchangeFailed",
]


class SocialLoginError(FoundryError):
    """Root of the errors a social sign-in answers with."""

    code = "OAUTH_ERROR"
    status = 400


class ProviderUnknown(NotFoundError):
    """The URL names a provider that ``OAUTH_PROVIDERS`` does not list."""

    code = "OAUTH_PROVIDER_UNKNOWN"


class ProviderMisconfigured(ConfigurationError):
    """A listed provider lacks a client id, a secret, a discovery URL or the app key."""

    code = "OAUTH_PROVIDER_MISCONFIGURED"
    status = 503


class ProviderUnavailable(SocialLoginError):
    """The provider did not answer, or answered something that is not OAuth."""

    code = "OAUTH_PROVIDER_UNAVAILABLE"
    status = 502


class ProviderDenied(SocialLoginError):
    """The person declined (or the provider refused) at the provider's consent screen."""

    code = "OAUTH_ACCESS_DENIED"
    status = 403


class StateInvalid(SocialLoginError):
    """The callback's ``state`` does not match the one this browser was given."""

    code = "OAUTH_STATE_INVALID"


class StateExpired(SocialLoginError):
    """The sign-in was started too long ago (``OAUTH_STATE_LIFETIME``)."""

    code = "OAUTH_STATE_EXPIRED"


class TokenExchangeFailed(SocialLoginError):
    """The provider refused to turn the authorization code into tokens."""

    code = "OAUTH_TOKEN_EXCHANGE_FAILED"
    status = 502


class IdentityTokenInvalid(SocialLoginError):
    """The OpenID Connect ID token failed verification (signature, issuer, audience, nonce,
    expiry)."""

    code = "OAUTH_ID_TOKEN_INVALID"
    status = 502


class EmailMissing(ValidationError):
    """The provider shared no e-mail address, so no account can be found or made."""

    code = "OAUTH_EMAIL_MISSING"


class EmailNotVerified(AuthorizationError):
    """An account uses the e-mail, but the provider has not verified the person owns it."""

    code = "OAUTH_EMAIL_NOT_VERIFIED"
    status = 409


class AccountConflict(ConflictError):
    """The identity belongs to another account, or the account has another identity at
    this provider."""

    code = "OAUTH_ACCOUNT_CONFLICT"
