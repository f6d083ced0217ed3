"""Presence books in Redis, consistent across instances and safe against crashes.

Per presence channel three keys hold the books: ``sockets`` (hash: socket id -> member
JSON), ``expiry`` (sorted set: socket id -> expiry in Redis time, ms) and ``users`` (hash:
user id -> connection count). Each change is one Lua script, so two instances never both
announce the same user's arrival or departure. Every instance refreshes its own entries'
expiry on each heartbeat; entries of a crashed instance are not refreshed, expire, and the
next prune by any instance removes them and announces ``member_removed`` once.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, TypeVar

from foundry.broadcast.connection import PresenceMember

__all__ = ["RedisPresence"]

T = TypeVar("T")

_NOW = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
"""

# KEYS: sockets, expiry, users, index   ARGV: socket, user_id, member, ttl_ms, channel
JOIN = (
    _NOW
    + """
local existed = redis.call('HEXISTS', KEYS[1], ARGV[1])
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[4]), ARGV[1])
redis.call('SADD', KEYS[4], ARGV[5])
if existed == 1 then return 0 end
if redis.call('HINCRBY', KEYS[3], ARGV[2], 1) == 1 then return 1 end
return 0
"""
)

_FORGET = """
local function forget(sockets, expiry, users, socket)
  local member = redis.call('HGET', sockets, socket)
  redis.call('ZREM', expiry, socket)
  if not member then return nil end
  redis.call('HDEL', sockets, socket)
  local uid = cjson.decode(member)['u']
  if redis.call('HINCRBY', users, uid, -1) <= 0 then
    redis.call('HDEL', users, uid)
    return member
  end
  return false
end
local function tidy(sockets, users, index, channel)
  if redis.call('HLEN', sockets) == 0 then
    redis.call('DEL', users)
    redis.call('SREM', index, channel)
  end
end
"""

# KEYS: sockets, expiry, users, index   ARGV: socket, channel
LEAVE = (
    _FORGET
    + """
local gone = forget(KEYS[1], KEYS[2], KEYS[3], ARGV[1])
tidy(KEYS[1], KEYS[3], KEYS[4], ARGV[2])
if gone then return gone end
return nil
"""
)

# KEYS: sockets, expiry   ARGV: socket, ttl_ms   -> 1 refreshed, 0 entry is gone
TOUCH = (
    _NOW
    + """
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[2]), ARGV[1])
return 1
"""
)

# KEYS: sockets, expiry, users, index   ARGV: channel  -> members whose last entry expired
PRUNE = (
    _NOW
    + _FORGET
    + """
local gone = {}
for _, socket in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now)) do
  local member = forget(KEYS[1], KEYS[2], KEYS[3], socket)
  if member then table.insert(gone, member) end
end
tidy(KEYS[1], KEYS[3], KEYS[4], ARGV[1])
return gone
"""
)


def encode_member(member: PresenceMember) -> str:
    return json.dumps({"u": member.user_id, "i": member.user_info}, separators=(",", ":"))


def decode_member(raw: str | bytes) -> PresenceMember:
    data = json.loads(raw)
    return PresenceMember(str(data["u"]), data.get("i"))


class RedisPresence:
    """Implements :class:`~foundry.broadcast.presence.PresenceStore` on Redis.

    Args:
        client: a ``redis.asyncio.Redis`` (``decode_responses`` off).
        prefix: key prefix including the app id (``foundry_broadcast:app:``).
        ttl: seconds an entry lives without a heartbeat.
        guard: wraps each Redis call, turning connection errors into
            ``BroadcastUnavailableError``.
    """

    def __init__(
        self,
        client: Any,
        prefix: str,
        ttl: float,
        guard: Callable[[str, Callable[[], Awaitable[T]]], Awaitable[T]],
    ) -> None:
        self._client = client
        self._prefix = prefix
        self._ttl_ms = int(ttl * 1000)
        self._guard: Callable[[str, Callable[[], Awaitable[Any]]], Awaitable[Any]] = guard
        self.index = f"{prefix}presence_channels"
        self._join = client.register_script(JOIN)
        self._leave = client.register_script(LEAVE)
        self._touch = client.register_script(TOUCH)
        self._prune = client.register_script(PRUNE)

    def keys(self, channel: str) -> list[str]:
        base = f"{self._prefix}presence:{channel}:"
        return [f"{base}sockets", f"{base}expiry", f"{base}users", self.index]

    async def join(self, channel: str, socket_id: str, member: PresenceMember) -> bool:
        args = [socket_id, member.user_id, encode_member(member), self._ttl_ms, channel]
        result = await self._guard(
            "join a presence channel", lambda: self._join(keys=self.keys(channel), args=args)
        )
        return bool(int(result))

    async def leave(self, channel: str, socket_id: str) -> PresenceMember | None:
        result = await self._guard(
            "leave a presence channel",
            lambda: self._leave(keys=self.keys(channel), args=[socket_id, channel]),
        )
        return decode_member(result) if result else None

    async def members(self, channel: str) -> dict[str, Any]:
        await self.prune([channel])
        raw = await self._guard(
            "read presence members", lambda: self._client.hvals(self.keys(channel)[0])
        )
        members: dict[str, Any] = {}
        for item in raw:
            member = decode_member(item)
            members.setdefault(member.user_id, member.user_info)
        return members

    async def user_counts(self) -> dict[str, int]:
        channels = await self.channels()
        await self.prune(channels)

        async def count() -> list[int]:
            pipe = self._client.pipeline(transaction=False)
            for channel in channels:
                pipe.hlen(self.keys(channel)[2])
            return list(await pipe.execute())

        counts = await self._guard("count presence members", count)
        return {channel: int(n) for channel, n in zip(channels, counts, strict=True) if int(n)}

    async def channels(self) -> list[str]:
        raw = await self._guard("list presence channels", lambda: self._client.smembers(self.index))
        return sorted(item.decode() if isinstance(item, bytes) else str(item) for item in raw)

    async def touch(self, entries: Iterable[tuple[str, str]]) -> list[bool]:
        """Refresh ``(channel, socket)`` entries; False for entries no longer in Redis."""
        entries = list(entries)
        if not entries:
            return []

        async def run() -> list[Any]:
            pipe = self._client.pipeline(transaction=False)
            for channel, socket_id in entries:
                await self._touch(
                    keys=self.keys(channel)[:2], args=[socket_id, self._ttl_ms], client=pipe
                )
            return list(await pipe.execute())

        results = await self._guard("refresh presence", run)
        return [bool(int(r)) for r in results]

    def _pruner(self, channel: str) -> Callable[[], Awaitable[Any]]:
        def run() -> Awaitable[Any]:
            return self._prune(keys=self.keys(channel), args=[channel])  # type: ignore[no-any-return]

        return run

    async def prune(
        self, channels: Iterable[str] | None = None
    ) -> list[tuple[str, PresenceMember]]:
        """Remove expired entries; ``(channel, member)`` for each user who thereby left."""
        names = list(channels) if channels is not None else await self.channels()
        gone: list[tuple[str, PresenceMember]] = []
        for channel in names:
            result = await self._guard("prune presence", self._pruner(channel))
            gone.extend((channel, decode_member(raw)) for raw in result or ())
        return gone
