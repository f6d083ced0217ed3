"""The Redis store: one count for every application instance.

Each algorithm is one Lua script, run atomically by the server with ``EVALSHA`` (the SHA1
is computed here; on ``NOSCRIPT`` — first use, a restart, a ``SCRIPT FLUSH`` — the script
is loaded once with ``SCRIPT LOAD`` and the call repeated). The script reads the server's
``TIME``, so instances whose clocks disagree still agree on every count. Keys are
``RATE_LIMIT_PREFIX`` + the limiter's key, and every write sets a TTL (when the state
stops mattering), so Redis never fills with stale counts.

A dead Redis must never hang a request: every call, connection included, is bounded by
``timeout`` (``RATE_LIMIT_REDIS_TIMEOUT``, 0.25 s) as a whole. A restarted Redis must cost
no request either: the pool still holds connections the old server closed, so a connection
error is retried once (redis-py's own ``Retry``, connection errors only, no backoff) on a
fresh connection, inside the same time budget. Only when that fails too — Redis is really
gone — or the budget runs out does the store answer "unavailable" at once for ``cooldown``
seconds instead of waiting out another timeout on every request; after that the next call
reconnects by itself. A time-out is never retried: the budget is spent.
"""

from __future__ import annotations

import asyncio
import hashlib
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit
from weakref import WeakKeyDictionary

from foundry.domain.clock import Clock, SystemClock
from foundry.domain.errors import ConfigurationError, MissingDependencyError
from foundry.domain.ratelimit import RateLimitResult
from foundry.ratelimit.errors import RateLimitStoreError

if TYPE_CHECKING:
    from foundry.ratelimit.algorithms.base import Algorithm

__all__ = ["RedisStore", "mask_url"]

INSTALL = "'foundry-ratelimit[redis]'"


def mask_url(url: str) -> str:
    """``redis://:secret@host:6379/0`` -> ``redis://:***@host:6379/0``.

    >>> mask_url("redis://user:secret@cache:6379/0")
    'redis://user:***@cache:6379/0'
    """
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    return urlunsplit(parts._replace(netloc=f"{parts.username or ''}:***@{host}"))


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


class RedisStore:
    """Counts in Redis, shared by every instance.

    Args:
        url: the server (``REDIS_URL``), e.g. ``redis://127.0.0.1:6379/0``.
        prefix: put before every key (``RATE_LIMIT_PREFIX``).
        timeout: seconds any one call may take, connecting included.
        cooldown: seconds to answer "unavailable" without trying after a failure.
        clock: measures the cool-down (monotonic).

    Raises:
        MissingDependencyError: redis-py is not installed (the ``redis`` extra).
        ConfigurationError: ``url`` is not a Redis URL.
    """

    shared = True

    def __init__(
        self,
        url: str,
        *,
        prefix: str = "foundry:ratelimit:",
        timeout: float = 0.25,
        cooldown: float = 1.0,
        clock: Clock | None = None,
    ) -> None:
        try:
            from redis.asyncio.connection import parse_url
        except ImportError:
            raise MissingDependencyError("The Redis rate limit store", INSTALL) from None
        try:
            parse_url(url)
        except ValueError as exc:
            raise ConfigurationError(
                f"REDIS_URL={mask_url(url)} is not a Redis URL ({exc}); write it as "
                "redis://host:6379/0, rediss://host:6380/0 or unix:///path/redis.sock."
            ) from None
        self.url = url
        self.prefix = prefix
        self.timeout = timeout
        self.cooldown = cooldown
        self.clock: Clock = clock or SystemClock()
        self.label = f"redis {mask_url(url)}"
        self.scripts_loaded = 0
        """How many times a script was (re)loaded after ``NOSCRIPT``."""
        self._clients: WeakKeyDictionary[asyncio.AbstractEventLoop, Any] = WeakKeyDictionary()
        self._shas: dict[str, str] = {}
        self._down_until = 0.0

    def client(self) -> Any:
        """The ``redis.asyncio.Redis`` client of the running event loop (redis-py's
        connections belong to the loop that opened them)."""
        from redis.asyncio import Redis
        from redis.asyncio.retry import Retry
        from redis.backoff import NoBackoff
        from redis.exceptions import ConnectionError as RedisConnectionError

        loop = asyncio.get_running_loop()
        client = self._clients.get(loop)
        if client is None:
            # One retry, on connection errors only: redis-py disconnects the failed
            # connection first, so the retry opens a fresh one (a pooled connection that a
            # Redis restart closed). ``retry_on_error`` too, which redis-py 5 requires
            # before it retries at all.
            client = Redis.from_url(
                self.url,
                socket_timeout=self.timeout,
                socket_connect_timeout=self.timeout,
                retry=Retry(NoBackoff(), 1, supported_errors=(RedisConnectionError,)),
                retry_on_error=[RedisConnectionError],
            )
            self._clients[loop] = client
        return client

    def key(self, key: str) -> str:
        """The Redis key holding ``key``'s state."""
        return self.prefix + key

    def _sha(self, algorithm: Algorithm) -> str:
        sha = self._shas.get(algorithm.name)
        if sha is None:
            sha = self._shas[algorithm.name] = hashlib.sha1(
                algorithm.lua.encode(), usedforsecurity=False
            ).hexdigest()
        return sha

    async def _call(self, action: str, work: Any) -> Any:
        from redis.exceptions import RedisError

        if self.clock.monotonic() < self._down_until:
            raise RateLimitStoreError(
                self.label, f"{action} skipped: the last call failed under {self.cooldown:g}s ago"
            )
        try:
            async with asyncio.timeout(self.timeout):
                return await work()
        except TimeoutError:
            cause = f"{action} got no answer within {self.timeout:g}s"
        except (RedisError, OSError) as exc:
            cause = f"{action} failed ({type(exc).__name__}: {exc})"
        self._down_until = self.clock.monotonic() + self.cooldown
        raise RateLimitStoreError(self.label, cause)

    async def apply(
        self, key: str, algorithm: Algorithm, limit: int, window: float, cost: int, commit: bool
    ) -> RateLimitResult:
        from redis.exceptions import NoScriptError

        client = self.client()
        sha = self._sha(algorithm)
        args = (self.key(key), str(limit), repr(float(window)), str(cost), "0" if commit else "1")

        async def run() -> Any:
            try:
                return await client.evalsha(sha, 1, *args)
            except NoScriptError:
                await client.script_load(algorithm.lua)
                self.scripts_loaded += 1
                return await client.evalsha(sha, 1, *args)

        reply = await self._call(f"the {algorithm.name} script", run)
        allowed, remaining, reset_after, retry_after = reply
        return RateLimitResult(
            bool(int(allowed)),
            limit,
            int(remaining),
            max(0.0, float(_text(reset_after))),
            max(0.0, float(_text(retry_after))),
        )

    async def delete(self, key: str) -> bool:
        client = self.client()

        async def run() -> Any:
            return await client.delete(self.key(key))

        return bool(await self._call("DEL", run))

    async def aclose(self) -> None:
        """Close the current loop's client (clients of closed loops are dropped)."""
        clients = list(self._clients.items())
        self._clients.clear()
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            return
        for loop, client in clients:
            if loop is running:
                await client.aclose()
