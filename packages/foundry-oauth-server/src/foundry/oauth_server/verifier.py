"""The bearer check on the hot path: JWT signature, then a cached revocation lookup.

Bound under ``auth.token_verifiers`` so ``current_user``, ``/invoke`` and broadcasting
accept OAuth access tokens. A token that verified once is remembered (by its exact text)
until it expires, so repeated requests skip the signature check; its revocation state is
read from the ``Cache`` contract when one is bound (shared by every instance on Redis) or
from a small in-process table, for at most ``OAUTH_REVOCATION_CACHE_TTL`` seconds.
Revoking through this server forgets the cached state at once.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from foundry.domain.auth import AccessToken
from foundry.domain.clock import Clock
from foundry.oauth_server.signing import AccessClaims, TokenSigner, UnknownKeyId
from foundry.oauth_server.storage.base import OAuthStore

__all__ = ["OAuthTokenVerifier", "RevocationCache"]

CACHE_PREFIX = "oauth:token-state:"
MEMO_LIMIT = 10_000
KEY_RELOAD_INTERVAL = 30.0


class RevocationCache:
    """``token_state(jti)`` with a short-lived cache in front of the store."""

    def __init__(
        self,
        store: OAuthStore,
        ttl: float,
        cache: Any | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.store = store
        self.ttl = ttl
        self.cache = cache
        self._clock = clock
        self._local: dict[str, tuple[str, float]] = {}

    async def state(self, jti: str) -> str:
        if self.ttl <= 0:
            return await self.store.token_state(jti)
        if self.cache is not None:
            key = CACHE_PREFIX + jti
            found = await self.cache.get(key)
            if isinstance(found, str):
                return found
            state = await self.store.token_state(jti)
            await self.cache.set(key, state, self.ttl)
            return state
        now = self._clock()
        cached = self._local.get(jti)
        if cached is not None and cached[1] > now:
            return cached[0]
        state = await self.store.token_state(jti)
        if len(self._local) >= MEMO_LIMIT:
            self._local.clear()
        self._local[jti] = (state, now + self.ttl)
        return state

    async def forget(self, jtis: Iterable[str]) -> None:
        for jti in jtis:
            self._local.pop(jti, None)
            if self.cache is not None:
                await self.cache.forget(CACHE_PREFIX + jti)


class OAuthTokenVerifier:
    """Implements ``foundry.domain.auth.TokenVerifier`` for this server's access tokens."""

    def __init__(
        self,
        signer: TokenSigner,
        revocations: RevocationCache,
        clock: Clock,
        reload_keys: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        self.signer = signer
        self.revocations = revocations
        self.clock = clock
        self._reload_keys = reload_keys
        self._last_reload = float("-inf")
        self._memo: dict[str, tuple[AccessClaims, AccessToken]] = {}

    async def verify(self, token: str) -> AccessToken | None:
        """The grant of a valid, unrevoked access token from this server; None otherwise
        (including for tokens that are not JWTs, which other verifiers may know)."""
        claims = await self.claims(token)
        if claims is None:
            return None
        return self._memo[token][1] if token in self._memo else _grant(claims)

    async def claims(self, token: str) -> AccessClaims | None:
        """The token's checked claims when it is valid and not revoked."""
        if token.count(".") != 2:
            return None
        memo = self._memo.get(token)
        if memo is not None and memo[0].expires_at > self.clock.timestamp():
            claims = memo[0]
        else:
            self._memo.pop(token, None)
            found = await self._check(token)
            if found is None:
                return None
            claims = found
            if len(self._memo) >= MEMO_LIMIT:
                self._memo.clear()
            self._memo[token] = (claims, _grant(claims))
        if await self.revocations.state(claims.jti) != "active":
            return None
        return claims

    async def _check(self, token: str) -> AccessClaims | None:
        try:
            return self.signer.check(token)
        except UnknownKeyId:
            # A key rotated in by another instance: reload (at most every 30 s) and retry.
            now = time.monotonic()
            if self._reload_keys is None or now - self._last_reload < KEY_RELOAD_INTERVAL:
                return None
            self._last_reload = now
            await self._reload_keys()
            try:
                return self.signer.check(token)
            except UnknownKeyId:
                return None


def _grant(claims: AccessClaims) -> AccessToken:
    return AccessToken(
        subject=claims.subject,
        abilities=frozenset(claims.scopes),
        user_id=claims.user_id,
        client_id=claims.client_id,
        token_id=claims.jti,
        expires_at=datetime.fromtimestamp(claims.expires_at, UTC),
    )
