"""Sessions in Redis: one key per session (expiring with it) and one set per user.

Keys are ``<prefix><sha256 of the id>`` holding the record as JSON, with the session's own
expiry as the key's; ``<prefix>user:<id>`` lists a user's sessions so "log out other
devices" and "end every session" find them without scanning.

Reads are served from a per-process cache that Redis keeps coherent across instances
(:mod:`foundry.auth_scaffolding.sessions.tracking`; ``SESSION_CLIENT_CACHE=false`` turns
it off).
"""

from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING, Any

from foundry.auth_scaffolding.sessions.codec import record_from_dict, record_to_dict
from foundry.auth_scaffolding.sessions.tracking import TrackedCache
from foundry.domain.clock import Clock, SystemClock
from foundry.domain.errors import MissingDependencyError
from foundry.domain.session import SessionRecord

if TYPE_CHECKING:
    from redis.asyncio import Redis

__all__ = ["RedisSessionStore"]


class RedisSessionStore:
    """Implements ``SessionStore`` on Redis (shared by every instance using ``url``)."""

    def __init__(
        self,
        url: str,
        *,
        prefix: str = "foundry:session:",
        clock: Clock | None = None,
        client_cache: bool = True,
    ) -> None:
        self._url = url
        self._prefix = prefix
        self._clock = clock or SystemClock()
        self._client: Redis | None = None
        self.cache = TrackedCache(url, prefix) if client_cache else None

    @property
    def client(self) -> Redis:
        if self._client is None:
            try:
                from redis.asyncio import Redis
            except ImportError:
                raise MissingDependencyError(
                    "SESSION_DRIVER=redis", "'foundry-auth-scaffolding[redis]'"
                ) from None
            self._client = Redis.from_url(self._url, decode_responses=True)
        return self._client

    def _key(self, session_id: str) -> str:
        return f"{self._prefix}{session_id}"

    def _user_key(self, user_id: str) -> str:
        return f"{self._prefix}user:{user_id}"

    async def read(self, session_id: str) -> SessionRecord | None:
        key = self._key(session_id)
        cache = self.cache
        raw: str | None = cache.get(key) if cache is not None else None
        if raw is None:
            generation = 0
            if cache is not None:
                cache.start()
                generation = cache.generation()
            fetched = await self.client.get(key)  # a str: the client decodes responses
            if fetched is None:
                return None
            raw = str(fetched)
            if cache is not None:
                cache.put(key, raw, generation)
        record = record_from_dict(json.loads(raw))
        return record if record.expires_at > self._clock.now() else None

    def _forget(self, session_id: str) -> None:
        if self.cache is not None:
            self.cache.forget(self._key(session_id))

    async def write(self, record: SessionRecord) -> None:
        self._forget(record.id)
        ttl = math.ceil((record.expires_at - self._clock.now()).total_seconds())
        if ttl <= 0:
            await self.destroy(record.id)
            return
        payload = json.dumps(record_to_dict(record), separators=(",", ":"))
        async with self.client.pipeline(transaction=True) as pipe:
            pipe.set(self._key(record.id), payload, ex=ttl)
            if record.user_id:
                user_key = self._user_key(record.user_id)
                pipe.sadd(user_key, record.id)
                pipe.expire(user_key, ttl, gt=True)
                pipe.expire(user_key, ttl, nx=True)
            await pipe.execute()
        self._forget(record.id)

    async def destroy(self, session_id: str) -> None:
        self._forget(session_id)
        raw = await self.client.get(self._key(session_id))
        async with self.client.pipeline(transaction=True) as pipe:
            pipe.delete(self._key(session_id))
            if raw is not None:
                user_id = json.loads(raw).get("user_id")
                if user_id:
                    pipe.srem(self._user_key(user_id), session_id)
            await pipe.execute()
        self._forget(session_id)

    async def _members(self, user_id: str) -> list[tuple[str, dict[str, Any] | None]]:
        ids = sorted(str(i) for i in await self.client.smembers(self._user_key(user_id)))
        if not ids:
            return []
        values = await self.client.mget([self._key(i) for i in ids])
        return [
            (i, json.loads(v) if v is not None else None) for i, v in zip(ids, values, strict=True)
        ]

    async def for_user(self, user_id: str) -> list[SessionRecord]:
        found: list[SessionRecord] = []
        stale: list[str] = []
        now = self._clock.now()
        for session_id, data in await self._members(user_id):
            record = record_from_dict(data) if data is not None else None
            if record is None or record.user_id != user_id or record.expires_at <= now:
                stale.append(session_id)
            else:
                found.append(record)
        if stale:
            await self.client.srem(self._user_key(user_id), *stale)
        return sorted(found, key=lambda r: r.last_activity, reverse=True)

    async def destroy_for_user(self, user_id: str, *, except_id: str | None = None) -> int:
        ended = 0
        async with self.client.pipeline(transaction=True) as pipe:
            for session_id, data in await self._members(user_id):
                if session_id == except_id:
                    continue
                self._forget(session_id)
                pipe.delete(self._key(session_id))
                pipe.srem(self._user_key(user_id), session_id)
                ended += data is not None and data.get("user_id") == user_id
            await pipe.execute()
        return ended

    async def gc(self) -> int:
        """Nothing to sweep: Redis expires each session key by itself."""
        return 0

    async def aclose(self) -> None:
        if self.cache is not None:
            await self.cache.aclose()
        if self._client is not None:
            await self._client.aclose()
            self._client = None
