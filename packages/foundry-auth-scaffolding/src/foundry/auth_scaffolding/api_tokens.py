"""Personal API tokens: issued once, stored as SHA-256 digests, checked cheaply.

A token reads ``fdy_<43 random characters>`` (256 bits). Its digest is the lookup key,
so verification is one indexed query — and none at all for a token verified in the last
few seconds (a per-process cache; revoking through this package clears it at once here,
other instances notice within the cache's lifetime, ``auth.token_cache_ttl`` seconds).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from foundry.auth_scaffolding.models import PersonalAccessToken
from foundry.auth_scaffolding.tokens import digest, new_token
from foundry.domain.auth import AccessToken
from foundry.domain.clock import Clock, SystemClock
from foundry.domain.errors import NotFoundError, ValidationError

if TYPE_CHECKING:
    from foundry.domain.database import Database

__all__ = ["PREFIX", "NewToken", "PersonalTokenVerifier", "PersonalTokens", "parse_abilities"]

PREFIX = "fdy_"
_TOUCH_EVERY = 60.0
_CACHE_LIMIT = 50_000


@dataclass(frozen=True, slots=True)
class NewToken:
    """A token just issued: ``plain_text`` is shown once and never stored."""

    plain_text: str
    record: PersonalAccessToken


def parse_abilities(value: str | Iterable[str] | None) -> list[str]:
    """``"posts:read, posts:write"`` or a list -> clean ability names (default ``["*"]``)."""
    if value is None:
        return ["*"]
    items = value.replace(",", " ").split() if isinstance(value, str) else list(value)
    cleaned = sorted({str(item).strip() for item in items if str(item).strip()})
    for ability in cleaned:
        if len(ability) > 100 or any(ch.isspace() for ch in ability):
            raise ValidationError(
                f"Ability {ability[:40]!r} is not valid: use names like posts:read.",
                fields={"abilities": ["Abilities are names like posts:read, without spaces."]},
            )
    return cleaned or ["*"]


class PersonalTokens:
    """Issues, lists, revokes and verifies personal API tokens."""

    def __init__(
        self, database: Database, clock: Clock | None = None, cache_ttl: float = 5.0
    ) -> None:
        self._database = database
        self._clock = clock or SystemClock()
        self._ttl = cache_ttl
        self._cache: dict[str, tuple[float, AccessToken]] = {}
        self._touched: dict[str, float] = {}

    async def create(
        self,
        user_id: str,
        name: str,
        abilities: Iterable[str] = ("*",),
        expires_at: datetime | None = None,
    ) -> NewToken:
        """Issue a token; the plain text is in the result and nowhere else."""
        name = name.strip()
        if not name or len(name) > 255:
            raise ValidationError(
                "Give the token a name (at most 255 characters).",
                fields={"name": ["Give the token a name (at most 255 characters)."]},
            )
        if expires_at is not None and expires_at <= self._clock.now():
            raise ValidationError(
                "The expiry must be in the future.",
                fields={"expires_at": ["The expiry must be in the future."]},
            )
        plain = PREFIX + new_token()
        record = PersonalAccessToken(
            user_id=uuid.UUID(user_id),
            name=name,
            token=digest(plain),
            abilities=list(abilities),
            expires_at=expires_at,
            created_at=self._clock.now(),
        )
        async with self._database.session() as db:
            db.add(record)
        return NewToken(plain, record)

    async def for_user(self, user_id: str) -> list[PersonalAccessToken]:
        from sqlmodel import col, select

        statement = (
            select(PersonalAccessToken)
            .where(PersonalAccessToken.user_id == uuid.UUID(user_id))
            .order_by(col(PersonalAccessToken.created_at).desc())
        )
        async with self._database.session() as db:
            return list((await db.exec(statement)).all())

    async def revoke(self, user_id: str, token_id: str) -> None:
        """Delete one of the user's tokens.

        Raises:
            NotFoundError: the user has no token with this id.
        """
        try:
            ident = uuid.UUID(token_id)
        except ValueError:
            ident = None
        async with self._database.session() as db:
            record = await db.get(PersonalAccessToken, ident) if ident else None
            if record is None or str(record.user_id) != user_id:
                raise NotFoundError(f"You have no API token with id {token_id}.")
            await db.delete(record)
            self._cache.pop(record.token, None)

    async def revoke_all(self, user_id: str) -> int:
        """Delete every token of the user (password change or reset); returns how many."""
        from sqlalchemy import delete
        from sqlmodel import col

        statement: Any = delete(PersonalAccessToken).where(
            col(PersonalAccessToken.user_id) == uuid.UUID(user_id)
        )
        async with self._database.session() as db:
            result = await db.exec(statement)
        self._cache = {k: v for k, v in self._cache.items() if v[1].user_id != user_id}
        return int(result.rowcount or 0)

    async def verify(self, token: str) -> AccessToken | None:
        """The grant of a valid, unexpired token of this package, else None."""
        if not token.startswith(PREFIX) or len(token) > 200:
            return None
        key = digest(token)
        now = time.monotonic()
        cached = self._cache.get(key)
        if cached is not None and cached[0] > now:
            grant = cached[1]
            if grant.expires_at is None or grant.expires_at > self._clock.now():
                return grant
            self._cache.pop(key, None)
            return None
        found = await self._lookup(key)
        if found is None:
            self._cache.pop(key, None)
            return None
        if self._ttl > 0:
            if len(self._cache) >= _CACHE_LIMIT:
                self._cache.clear()
            self._cache[key] = (now + self._ttl, found)
        return found

    async def _lookup(self, key: str) -> AccessToken | None:
        from sqlmodel import select

        wall = self._clock.now()
        async with self._database.session() as db:
            statement = select(PersonalAccessToken).where(PersonalAccessToken.token == key)
            record = (await db.exec(statement)).first()
            if record is None or (record.expires_at is not None and record.expires_at <= wall):
                return None
            last = self._touched.get(key, 0.0)
            if time.monotonic() - last >= _TOUCH_EVERY:
                record.last_used_at = wall
                db.add(record)
                self._touched[key] = time.monotonic()
                if len(self._touched) > _CACHE_LIMIT:
                    self._touched.clear()
        user_id = str(record.user_id)
        return AccessToken(
            subject=user_id,
            abilities=frozenset(record.abilities or ()),
            user_id=user_id,
            token_id=str(record.id),
            expires_at=record.expires_at,
        )

    async def prune_expired(self) -> int:
        """Delete expired tokens; returns how many."""
        from sqlalchemy import delete
        from sqlmodel import col

        statement: Any = delete(PersonalAccessToken).where(
            col(PersonalAccessToken.expires_at) <= self._clock.now()
        )
        async with self._database.session() as db:
            result = await db.exec(statement)
        return int(result.rowcount or 0)

    def expiry_in_days(self, days: int | None) -> datetime | None:
        return None if not days else self._clock.now() + timedelta(days=days)


class PersonalTokenVerifier:
    """Implements :class:`foundry.domain.auth.TokenVerifier` for personal API tokens
    (bound under the container tag ``auth.token_verifiers``)."""

    def __init__(self, tokens: PersonalTokens) -> None:
        self._tokens = tokens

    async def verify(self, token: str) -> AccessToken | None:
        return await self._tokens.verify(token)
