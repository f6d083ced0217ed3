"""Authentication for Foundry: register, login, password reset, e-mail verification, TOTP
two-factor, sessions and personal API tokens, persisted in the database (sessions also in
Redis).

Public names are imported on first use: importing the provider imports this package
first, and the CLI imports every provider at start-up.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from foundry.auth_scaffolding.api_tokens import NewToken, PersonalTokens, PersonalTokenVerifier
    from foundry.auth_scaffolding.guards import (
        ConfirmedUser,
        CurrentUser,
        SessionAuthenticator,
        SessionUser,
        VerifiedUser,
        authenticate,
        current_user,
        optional_user,
        require_abilities,
        require_password_confirmed,
        require_verified,
        verify_csrf,
    )
    from foundry.auth_scaffolding.hashing import Argon2Hasher
    from foundry.auth_scaffolding.models import (
        ActivityLog,
        EmailVerification,
        PasswordReset,
        PersonalAccessToken,
        SessionRow,
        User,
    )
    from foundry.auth_scaffolding.provider import AuthServiceProvider
    from foundry.auth_scaffolding.services import AuthServices
    from foundry.auth_scaffolding.session import Session
    from foundry.auth_scaffolding.sessions import (
        DatabaseSessionStore,
        MemorySessionStore,
        RedisSessionStore,
    )
    from foundry.auth_scaffolding.settings import AuthSettings, HashingSettings
    from foundry.auth_scaffolding.stateful import PasswordlessRegistrar, SessionGuard
    from foundry.auth_scaffolding.two_factor import Totp
    from foundry.auth_scaffolding.users import DatabaseUserProvider, UserRepository

__version__ = "0.1.0"

_EXPORTS = {
    "ActivityLog": "models",
    "ConfirmedUser": "guards",
    "CurrentUser": "guards",
    "SessionAuthenticator": "guards",
    "SessionGuard": "stateful",
    "SessionUser": "guards",
    "VerifiedUser": "guards",
    "Argon2Hasher": "hashing",
    "AuthServiceProvider": "provider",
    "AuthServices": "services",
    "AuthSettings": "settings",
    "DatabaseSessionStore": "sessions",
    "DatabaseUserProvider": "users",
    "EmailVerification": "models",
    "HashingSettings": "settings",
    "MemorySessionStore": "sessions",
    "NewToken": "api_tokens",
    "PasswordlessRegistrar": "stateful",
    "PasswordReset": "models",
    "PersonalAccessToken": "models",
    "PersonalTokenVerifier": "api_tokens",
    "PersonalTokens": "api_tokens",
    "RedisSessionStore": "sessions",
    "Session": "session",
    "SessionRow": "models",
    "Totp": "two_factor",
    "User": "models",
    "UserRepository": "users",
    "authenticate": "guards",
    "current_user": "guards",
    "optional_user": "guards",
    "require_abilities": "guards",
    "require_password_confirmed": "guards",
    "require_verified": "guards",
    "verify_csrf": "guards",
}

__all__ = [
    "ActivityLog",
    "Argon2Hasher",
    "AuthServiceProvider",
    "AuthServices",
    "AuthSettings",
    "ConfirmedUser",
    "CurrentUser",
    "DatabaseSessionStore",
    "DatabaseUserProvider",
    "EmailVerification",
    "HashingSettings",
    "MemorySessionStore",
    "NewToken",
    "PasswordReset",
    "PasswordlessRegistrar",
    "PersonalAccessToken",
    "PersonalTokenVerifier",
    "PersonalTokens",
    "RedisSessionStore",
    "Session",
    "SessionAuthenticator",
    "SessionGuard",
    "SessionRow",
    "SessionUser",
    "Totp",
    "User",
    "UserRepository",
    "VerifiedUser",
    "__version__",
    "authenticate",
    "current_user",
    "optional_user",
    "require_abilities",
    "require_password_confirmed",
    "require_verified",
    "verify_csrf",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'foundry.auth_scaffolding' has no attribute {name!r}")
    value = getattr(import_module(f"foundry.auth_scaffolding.{module}"), name)
    globals()[name] = value
    return value
