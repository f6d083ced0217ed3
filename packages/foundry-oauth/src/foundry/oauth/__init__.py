"""Social login for Foundry (Laravel Socialite's job) on authlib's OAuth 2.0 client.

GitHub, Google, Facebook and any OpenID Connect issuer by discovery URL; ``state`` bound to
the browser by a sealed cookie, PKCE (S256), nonce and ID token verification against the
issuer's JWKS; provider accounts linked to users in ``oauth_identities`` with their tokens
encrypted under a key derived from ``APP_KEY``.

Public names are imported on first use: the CLI imports every provider at start-up, and
importing the provider imports this package first.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from foundry.oauth.crypto import Sealer, SealError, TokenCipher, derive_key
    from foundry.oauth.drivers import Drivers, OAuthDriver
    from foundry.oauth.errors import (
        AccountConflict,
        EmailMissing,
        EmailNotVerified,
        IdentityTokenInvalid,
        ProviderDenied,
        ProviderMisconfigured,
        ProviderUnavailable,
        ProviderUnknown,
        SocialLoginError,
        StateExpired,
        StateInvalid,
        TokenExchangeFailed,
    )
    from foundry.oauth.identities import IdentityRepository
    from foundry.oauth.linking import AccountLinker, LinkOutcome
    from foundry.oauth.models import OAuthIdentity
    from foundry.oauth.provider import OAuthServiceProvider
    from foundry.oauth.service import CallbackResult, SocialLogin
    from foundry.oauth.settings import OAuthSettings, ProviderSettings
    from foundry.oauth.state import FlowState, StateCookies
    from foundry.oauth.user import ProviderToken, SocialUser

__version__ = "0.1.0"

_EXPORTS = {
    "AccountConflict": "errors",
    "AccountLinker": "linking",
    "CallbackResult": "service",
    "Drivers": "drivers",
    "EmailMissing": "errors",
    "EmailNotVerified": "errors",
    "FlowState": "state",
    "IdentityRepository": "identities",
    "IdentityTokenInvalid": "errors",
    "LinkOutcome": "linking",
    "OAuthDriver": "drivers",
    "OAuthIdentity": "models",
    "OAuthServiceProvider": "provider",
    "OAuthSettings": "settings",
    "ProviderDenied": "errors",
    "ProviderMisconfigured": "errors",
    "ProviderSettings": "settings",
    "ProviderToken": "user",
    "ProviderUnavailable": "errors",
    "ProviderUnknown": "errors",
    "SealError": "crypto",
    "Sealer": "crypto",
    "SocialLogin": "service",
    "SocialLoginError": "errors",
    "SocialUser": "user",
    "StateCookies": "state",
    "StateExpired": "errors",
    "StateInvalid": "errors",
    "TokenCipher": "crypto",
    "TokenExchangeFailed": "errors",
    "derive_key": "crypto",
}

__all__ = [
    "AccountConflict",
    "AccountLinker",
    "CallbackResult",
    "Drivers",
    "EmailMissing",
    "EmailNotVerified",
    "FlowState",
    "IdentityRepository",
    "IdentityTokenInvalid",
    "LinkOutcome",
    "OAuthDriver",
    "OAuthIdentity",
    "OAuthServiceProvider",
    "OAuthSettings",
    "ProviderDenied",
    "ProviderMisconfigured",
    "ProviderSettings",
    "ProviderToken",
    "ProviderUnavailable",
    "ProviderUnknown",
    "SealError",
    "Sealer",
    "SocialLogin",
    "SocialLoginError",
    "SocialUser",
    "StateCookies",
    "StateExpired",
    "StateInvalid",
    "TokenCipher",
    "TokenExchangeFailed",
    "__version__",
    "derive_key",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'foundry.oauth' has no attribute {name!r}")
    value = getattr(import_module(f"foundry.oauth.{module}"), name)
    globals()[name] = value
    return value
