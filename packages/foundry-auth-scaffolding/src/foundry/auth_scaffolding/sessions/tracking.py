"""A per-process cache of Redis session keys that Redis itself keeps honest.

Reading the session is the one Redis round trip every cookie-authenticated request makes,
and with redis-py on loopback it costs more than the rest of the request. Redis's
server-assisted client-side caching removes it without trading away revocation: one
connection per process asks Redis (``CLIENT TRACKING ON REDIRECT <itself> BCAST PREFIX
<session prefix>``) to announce every change to a key under the prefix — made by any
client, on any app instance — on ``__redis__:invalidate``. Records read while that
connection is subscribed are kept, and dropped the moment Redis names their key. A logout,
"log out other devices" or a password change on another instance therefore ends the
session here within the message's delivery, not after a time-to-live.

The rules that keep it safe:

- records are cached only while the listener is subscribed; when its connection drops (or
  stops answering the health ``PING``), everything cached is forgotten and reads go to
  Redis until it is back (reconnecting with back-off);
- a read that overlapped any invalidation is not cached (a generation counter), so a change
  announced while the ``GET`` was in flight cannot leave a stale record behind;
- a cached record still ends at its own ``expires_at`` and is read again after
  ``max_age`` seconds at the latest;
- a server that refuses ``CLIENT TRACKING`` (Redis before 6.0, an ACL without it) leaves
  the cache off, with one warning.

Values are kept as the text Redis returned and decoded on every hit, so a request that
mutates its session data in place cannot change what the next request reads.

The listener speaks RESP2 on its own connection (pub/sub delivery of invalidations), apart
from the store's client.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import Any

__all__ = ["TrackedCache"]

log = logging.getLogger("foundry.auth")

CHANNEL = "__redis__:invalidate"
CLIENT_NAME = "foundry-session-cache"
"""How the listener shows in ``CLIENT LIST``."""
HEALTH_INTERVAL = 5.0
"""Seconds of silence after which the listener PINGs; no answer within as long again
means the connection is dead (a half-open TCP connection raises nothing by itself)."""
MAX_BACKOFF = 30.0


class TrackedCache:
    """Values of keys under a prefix, cached while Redis's invalidations are received."""

    def __init__(
        self,
        url: str,
        prefix: str,
        *,
        max_age: float = 30.0,
        limit: int = 10_000,
        health_interval: float = HEALTH_INTERVAL,
    ) -> None:
        self._url = url
        self._prefix = prefix
        self._max_age = max_age
        self._limit = limit
        self._health_interval = health_interval
        self._entries: dict[str, tuple[float, str]] = {}
        self._generation = 0
        self._live = False
        self._refused = False
        self._task: asyncio.Task[None] | None = None
        self._connection: Any = None
        self.hits = 0
        """Reads answered from the cache (for tests and diagnostics)."""

    @property
    def live(self) -> bool:
        """Whether invalidations are being received (values are cached only then)."""
        return self._live

    def start(self) -> None:
        """Start the listener on the running loop (once; a refused server stays off)."""
        if self._task is None and not self._refused:
            self._task = asyncio.get_running_loop().create_task(self._listen())

    def get(self, key: str) -> str | None:
        """The cached value of ``key``, when there is a fresh one."""
        if not self._live:
            return None
        entry = self._entries.get(key)
        if entry is None:
            return None
        if entry[0] <= time.monotonic():
            self._entries.pop(key, None)
            return None
        self.hits += 1
        return entry[1]

    def generation(self) -> int:
        """Take before reading Redis; hand to :meth:`put` with what the read returned."""
        return self._generation

    def put(self, key: str, value: str, generation: int) -> None:
        """Keep ``value`` unless an invalidation arrived since ``generation`` was taken."""
        if not self._live or generation != self._generation:
            return
        if len(self._entries) >= self._limit:
            self._entries.clear()
        self._entries[key] = (time.monotonic() + self._max_age, value)

    def forget(self, key: str) -> None:
        """Drop ``key`` now: this process is changing it (Redis's message follows). Reads
        in flight meanwhile are not cached either."""
        self._generation += 1
        self._entries.pop(key, None)

    def _invalidate(self, keys: Any) -> None:
        self._generation += 1
        if keys is None:  # FLUSHDB / FLUSHALL: everything may be gone
            self._entries.clear()
            return
        for key in keys if isinstance(keys, list | tuple) else (keys,):
            self._entries.pop(key.decode() if isinstance(key, bytes) else str(key), None)

    def _drop_everything(self) -> None:
        self._live = False
        self._generation += 1
        self._entries.clear()

    async def _listen(self) -> None:
        from redis.exceptions import RedisError, ResponseError

        delay = 0.5
        while True:
            try:
                await self._subscribe()
                delay = 0.5
                await self._receive()
            except asyncio.CancelledError:
                raise
            except ResponseError as exc:
                self._drop_everything()
                self._refused = True
                log.warning(
                    "Redis refused CLIENT TRACKING (%s): sessions are read from Redis on "
                    "every request (Redis 6 or later, with the command allowed, caches them).",
                    exc,
                )
                await self._disconnect()
                return
            except (RedisError, OSError) as exc:
                if self._live:
                    log.warning("session cache off until Redis is back: %s", exc)
            finally:
                self._drop_everything()
            await self._disconnect()
            await asyncio.sleep(delay)
            delay = min(delay * 2, MAX_BACKOFF)

    async def _subscribe(self) -> None:
        from redis.asyncio import ConnectionPool

        pool = ConnectionPool.from_url(
            self._url, protocol=2, decode_responses=True, client_name=CLIENT_NAME
        )
        connection = pool.make_connection()  # type: ignore[no-untyped-call]
        self._connection = connection
        await connection.connect()
        await connection.send_command("CLIENT", "ID")
        client_id = await connection.read_response()
        await connection.send_command(
            "CLIENT", "TRACKING", "ON", "REDIRECT", client_id, "BCAST", "PREFIX", self._prefix
        )
        await connection.read_response()
        await connection.send_command("SUBSCRIBE", CHANNEL)
        await connection.read_response()
        self._entries.clear()
        self._generation += 1
        self._live = True

    async def _receive(self) -> None:
        from redis.exceptions import ConnectionError as RedisConnectionError

        connection = self._connection
        waiting_for_pong = False
        while True:
            message = await connection.read_response(timeout=self._health_interval)
            if message is None:
                if waiting_for_pong:
                    raise RedisConnectionError("no answer to PING: the connection is dead")
                await connection.send_command("PING")
                waiting_for_pong = True
                continue
            waiting_for_pong = False
            if isinstance(message, list) and len(message) == 3 and message[0] == "message":
                self._invalidate(message[2])

    async def _disconnect(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            with contextlib.suppress(Exception):
                await connection.disconnect()

    async def aclose(self) -> None:
        """Stop listening and forget everything."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._drop_everything()
        await self._disconnect()
