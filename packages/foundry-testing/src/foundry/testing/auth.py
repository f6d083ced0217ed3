"""``acting_as``: requests authenticated as a user, through the token-verifier contract.

The test registers a :class:`TestTokenVerifier` under the container tag
``auth.token_verifiers`` (where every guard that accepts bearer tokens looks) and the test
client sends ``Authorization: Bearer <token>``. The token is random per call, so it can
never be mistaken for a real one, and the grant it maps to is an ordinary
:class:`~foundry.domain.auth.AccessToken`: the guard cannot tell it from a real login.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from foundry.domain.auth import TOKEN_VERIFIERS_TAG as VERIFIERS_TAG
from foundry.domain.auth import AccessToken, Authenticatable

__all__ = ["VERIFIERS_TAG", "TestTokenVerifier"]


class TestTokenVerifier:
    """Implements :class:`foundry.domain.auth.TokenVerifier` for tokens issued by a test."""

    __test__ = False

    def __init__(self) -> None:
        self._grants: dict[str, AccessToken] = {}

    def issue(self, user: Authenticatable, abilities: Iterable[str] = ("*",)) -> str:
        """A new random bearer token that verifies as ``user`` with ``abilities``.

        Raises:
            TypeError: ``user`` has no ``auth_identifier``.
        """
        identifier = getattr(user, "auth_identifier", None)
        if identifier is None:
            raise TypeError(
                f"acting_as() needs a user with an auth_identifier (the Authenticatable "
                f"contract); {type(user).__name__} has none."
            )
        token = secrets.token_urlsafe(32)
        self._grants[token] = AccessToken(
            subject=str(identifier),
            abilities=frozenset(abilities),
            user_id=str(identifier),
            token_id=f"testing-{len(self._grants) + 1}",
        )
        return token

    async def verify(self, token: str) -> AccessToken | None:
        for known, grant in self._grants.items():
            if secrets.compare_digest(known, token):
                return grant
        return None
