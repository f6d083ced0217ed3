"""Authentication contracts: users, how to find them, and bearer-token verification."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

from foundry.domain.contracts import contract

__all__ = [
    "AUTHENTICATORS_TAG",
    "TOKEN_VERIFIERS_TAG",
    "AccessToken",
    "Authenticatable",
    "RequestAuthenticator",
    "StatefulGuard",
    "TokenVerifier",
    "UserProvider",
    "UserRegistrar",
]

TOKEN_VERIFIERS_TAG = "auth.token_verifiers"  # noqa: S105 - a container tag, not a secret
"""Container tag of every :class:`TokenVerifier` (personal API tokens, OAuth tokens)."""

AUTHENTICATORS_TAG = "auth.authenticators"
"""Container tag of every :class:`RequestAuthenticator` (the session guard ...)."""


@runtime_checkable
class Authenticatable(Protocol):
    """What the framework needs of a user object."""

    @property
    def auth_identifier(self) -> str:
        """The user's stable id, as a string."""
        ...

    @property
    def email(self) -> str: ...


@contract("foundry-auth-scaffolding")
@runtime_checkable
class UserProvider(Protocol):
    """Finds users and checks their credentials."""

    async def retrieve_by_id(self, identifier: str) -> Authenticatable | None: ...

    async def retrieve_by_credentials(
        self, credentials: Mapping[str, Any]
    ) -> Authenticatable | None:
        """Find by everything but the password (usually the e-mail)."""
        ...

    async def validate_credentials(
        self, user: Authenticatable, credentials: Mapping[str, Any]
    ) -> bool: ...


@dataclass(frozen=True, slots=True)
class AccessToken:
    """A verified bearer token: who it speaks for and what it may do."""

    subject: str
    abilities: frozenset[str] = field(default_factory=frozenset)
    user_id: str | None = None
    client_id: str | None = None
    token_id: str | None = None
    expires_at: datetime | None = None

    def can(self, ability: str) -> bool:
        """True for the ability itself or the ``*`` wildcard."""
        return ability in self.abilities or "*" in self.abilities


@contract("foundry-auth-scaffolding")
@runtime_checkable
class TokenVerifier(Protocol):
    """Checks a bearer token (personal API token, OAuth access token).

    Several verifiers may be bound under the container tag ``auth.token_verifiers``; the
    first that recognises a token answers.
    """

    async def verify(self, token: str) -> AccessToken | None:
        """The token's grant, or None when unknown, expired or revoked."""
        ...


@runtime_checkable
class RequestAuthenticator(Protocol):
    """Resolves the user an HTTP request speaks for (a session guard, an API-key guard).

    Bound and tagged ``auth.authenticators``, so any package that needs "who is asking"
    (broadcast channel auth, the admin, GraphQL) asks every guard without importing one.
    """

    async def authenticate(self, request: Any) -> Authenticatable | None:
        """The user, or None when this guard does not recognise the request."""
        ...


@contract("foundry-auth-scaffolding")
@runtime_checkable
class StatefulGuard(Protocol):
    """Signs a user in on the browser session of a request (Laravel's ``StatefulGuard``).

    For packages that establish who someone is without a password form — a social login
    (``foundry-oauth``), a magic link — and must then start the same session a password
    login starts: a new session id, the login events, and the second factor honoured.
    """

    async def login(
        self, request: Any, user: Authenticatable, *, remember: bool = False, via: str = "external"
    ) -> str | None:
        """Sign ``user`` in on ``request``'s session; the response carries the cookie.

        Args:
            request: the Starlette request being answered.
            user: who to sign in (as a ``UserProvider`` returned it).
            remember: keep the login beyond the browser session.
            via: how the user proved who they are, for events and the audit trail
                (``"oauth:github"``).

        Returns:
            None when the user is signed in; otherwise the path where the browser must
            go to finish signing in (the two-factor challenge).
        """
        ...


@contract("foundry-auth-scaffolding")
@runtime_checkable
class UserRegistrar(Protocol):
    """Creates accounts for people who sign up without choosing a password (social login).

    The account gets no usable password: its owner signs in the way they signed up, or
    sets a password through the password-reset flow.
    """

    async def create_user(self, *, name: str, email: str, email_verified: bool) -> Authenticatable:
        """Create and return the account.

        Raises:
            ValidationError: the e-mail address is malformed or already taken
                (``fields["email"]``).
        """
        ...
