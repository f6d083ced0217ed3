"""The Redis store: one cache for every application instance.

redis-py's asyncio client over a connection pool of ``pool_size`` connections (one pool per
event loop, since a connection belongs to the loop that opened it); a semaphore makes
callers wait for a free connection rather than fail while all are busy. Single operations
are single commands — ``GET``, ``SET ... PX``, ``SET NX``, ``INCRBY``, ``GETDEL``,
``EXISTS``, ``DEL`` — so each is atomic on the server; ``get_many`` is one ``MGET`` and
``set_many`` one pipelined round trip.
Locks are ``SET NX PX`` with the owner token as value and released by a Lua
compare-and-delete, so an owner whose lock expired cannot delete the next owner's.

A dead Redis never hangs a caller: waiting for a free connection, connecting, sending and
each reply are bounded by ``timeout`` (``CACHE_REDIS_TIMEOUT``) through redis-py's own
socket timeouts — no extra timer on the usual path, which would cost more than the rest of
this layer — redis-py's retries are off, and failures raise
:class:`~foundry.cache.errors.StoreUnavailableError` naming the store and the masked URL.
When Redis comes back the pool replaces its dead connections by itself.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit
from weakref import WeakKeyDictionary

from foundry.cache.errors import NotAnIntegerError, StoreUnavailableError
from foundry.cache.serialization import Serializer, serializer
from foundry.cache.stores.base import MISSING, Store
from foundry.domain.errors import ConfigurationError, MissingDependencyError

__all__ = ["RedisStore", "mask_url"]

T = TypeVar("T")

INSTALL = "'foundry-cache[redis]'"
_LOCK_PREFIX = "lock:"
_RELEASE = """
if redis.call("get", KEYS[1]) == ARGV[1] then
    return redis.call("del", KEYS[1])
end
return 0
"""
_GLOB = str.maketrans({c: "\\" + c for c in "*?[]\\"})


def mask_url(url: str) -> str:
    """The URL with its password replaced by ``******`` (safe for messages and logs).

    >>> mask_url("redis://default:s3cret@cache.internal:6379/1")
    'redis://default:******@cache.internal:6379/1'
    """
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    return urlunsplit(parts._replace(netloc=f"{parts.username or ''}:******@{host}"))


def _milliseconds(ttl: float) -> int:
    return max(1, math.ceil(ttl * 1000))


class RedisStore(Store):
    """Entries in Redis.

    Args:
        url: ``redis://[user:password@]host:6379/db``, ``rediss://`` for TLS or
            ``unix:///path/redis.sock`` (``REDIS_URL``).
        name: the configured store name.
        prefix: put before every key.
        timeout: seconds a connection or a command may take (``CACHE_REDIS_TIMEOUT``).
        pool_size: most connections open at once per event loop.
        serializer: writes and reads values (the application-wide one by default).

    Raises:
        MissingDependencyError: redis-py is not installed (``foundry-cache[redis]``).
        ConfigurationError: ``url`` is not a Redis URL.
    """

    driver = "redis"

    def __init__(
        self,
        url: str,
        *,
        name: str = "redis",
        prefix: str = "",
        timeout: float = 0.5,
        pool_size: int = 50,
        serializer: Serializer = serializer,
    ) -> None:
        super().__init__(name=name, prefix=prefix)
        try:
            from redis.asyncio.connection import parse_url
            from redis.exceptions import ConnectionError as RedisConnectionError
            from redis.exceptions import ResponseError
            from redis.exceptions import TimeoutError as RedisTimeoutError
        except ImportError:
            raise MissingDependencyError(f'The "{name}" cache store (redis)', INSTALL) from None
        try:
            parse_url(url)
        except ValueError as exc:
            raise ConfigurationError(
                f'The "{name}" cache store: {mask_url(url)} is not a Redis URL ({exc}); write '
                "it as redis://host:6379/0, rediss://host:6380/0 or unix:///path/redis.sock."
            ) from None
        self.url = url
        self.timeout = timeout
        self.pool_size = pool_size
        self._serializer = serializer
        # Resolved once: an import statement on every call costs more than this layer.
        self._timeouts = (TimeoutError, RedisTimeoutError)
        self._failures = (RedisConnectionError, OSError)
        self._refused = ResponseError
        self._last: tuple[asyncio.AbstractEventLoop, tuple[Any, asyncio.Semaphore]] | None = None
        self._clients: WeakKeyDictionary[
            asyncio.AbstractEventLoop, tuple[Any, asyncio.Semaphore]
        ] = WeakKeyDictionary()

    @property
    def address(self) -> str:
        return mask_url(self.url)

    def client(self) -> Any:
        """The ``redis.asyncio.Redis`` client of the running event loop."""
        return self._connection()[0]

    def _connection(self) -> tuple[Any, asyncio.Semaphore]:
        loop = asyncio.get_running_loop()
        last = self._last
        if last is not None and last[0] is loop:
            return last[1]
        found = self._clients.get(loop)
        if found is None:
            from redis.asyncio import ConnectionPool, Redis
            from redis.asyncio.retry import Retry
            from redis.backoff import NoBackoff

            pool = ConnectionPool.from_url(
                self.url,
                max_connections=self.pool_size,
                socket_timeout=self.timeout,
                socket_connect_timeout=self.timeout,
                retry=Retry(NoBackoff(), 0),
            )
            found = self._clients[loop] = (
                Redis(connection_pool=pool),
                asyncio.Semaphore(self.pool_size),
            )
        self._last = (loop, found)
        return found

    async def _call(self, action: str, work: Callable[[Any], Awaitable[T]]) -> T:
        client, gate = self._connection()
        if gate.locked():  # every connection is busy: wait for one, but not forever
            try:
                async with asyncio.timeout(self.timeout):
                    await gate.acquire()
            except TimeoutError:
                raise StoreUnavailableError(
                    self.name,
                    self.address,
                    f"{action} found all {self.pool_size} connections busy for {self.timeout:g}s",
                    hint="raise the store's pool_size or CACHE_REDIS_TIMEOUT",
                ) from None
        else:
            await gate.acquire()  # free: returns at once
        try:
            return await work(client)
        except self._timeouts:
            cause = f"{action} got no answer within {self.timeout:g}s"
        except self._failures as exc:
            cause = f"{action} failed ({type(exc).__name__}: {exc})"
        finally:
            gate.release()
        raise StoreUnavailableError(
            self.name,
            self.address,
            cause,
            hint="check that Redis is running and REDIS_URL (or the store's url) points to it",
        )

    def _load(self, raw: bytes | None) -> Any:
        return MISSING if raw is None else self._serializer.loads(raw)

    # --- entries --------------------------------------------------------------------

    async def get(self, key: str) -> Any:
        full = self.prefix + key
        return self._load(await self._call("GET", lambda r: r.get(full)))

    async def get_many(self, keys: Iterable[str]) -> dict[str, Any]:
        asked = list(keys)
        if not asked:
            return {}
        full = [self.prefix + key for key in asked]
        raws = await self._call("MGET", lambda r: r.mget(full))
        return {
            key: self._serializer.loads(raw)
            for key, raw in zip(asked, raws, strict=True)
            if raw is not None
        }

    async def put(self, key: str, value: Any, ttl: float | None) -> None:
        full, data = self.prefix + key, self._serializer.dumps(value)
        px = None if ttl is None else _milliseconds(ttl)
        await self._call("SET", lambda r: r.set(full, data, px=px))

    async def put_many(self, values: Mapping[str, Any], ttl: float | None) -> None:
        if not values:
            return
        encoded = {self.prefix + k: self._serializer.dumps(v) for k, v in values.items()}
        if ttl is None:
            await self._call("MSET", lambda r: r.mset(encoded))
            return
        px = _milliseconds(ttl)

        async def pipelined(client: Any) -> Any:
            pipe = client.pipeline(transaction=False)
            for full, data in encoded.items():
                pipe.set(full, data, px=px)
            return await pipe.execute()

        await self._call("SET (pipelined)", pipelined)

    async def add(self, key: str, value: Any, ttl: float | None) -> bool:
        full, data = self.prefix + key, self._serializer.dumps(value)
        px = None if ttl is None else _milliseconds(ttl)
        return bool(await self._call("SET NX", lambda r: r.set(full, data, px=px, nx=True)))

    async def forget(self, key: str) -> bool:
        full = self.prefix + key
        return bool(await self._call("DEL", lambda r: r.delete(full)))

    async def has(self, key: str) -> bool:
        full = self.prefix + key
        return bool(await self._call("EXISTS", lambda r: r.exists(full)))

    async def pull(self, key: str) -> Any:
        full = self.prefix + key
        return self._load(await self._call("GETDEL", lambda r: r.getdel(full)))

    async def increment(self, key: str, amount: int) -> int:
        full = self.prefix + key
        try:
            return int(await self._call("INCRBY", lambda r: r.incrby(full, amount)))
        except self._refused:
            held = await self.get(key)
            kind = "an integer out of range" if type(held) is int else f"a {type(held).__name__}"
            raise NotAnIntegerError(key, kind) from None

    async def flush(self) -> None:
        pattern = self.prefix.translate(_GLOB) + "*"
        cursor = 0

        async def page(client: Any) -> int:
            after, keys = await client.scan(cursor, match=pattern, count=1000)
            if keys:
                await client.unlink(*keys)
            return int(after)

        while True:
            cursor = await self._call("SCAN/UNLINK", page)
            if cursor == 0:
                return

    # --- locks ----------------------------------------------------------------------

    async def acquire_lock(self, name: str, owner: str, ttl: float | None) -> bool:
        full = self.prefix + _LOCK_PREFIX + name
        px = None if ttl is None else _milliseconds(ttl)
        return bool(
            await self._call("SET NX", lambda r: r.set(full, owner.encode(), px=px, nx=True))
        )

    async def release_lock(self, name: str, owner: str) -> bool:
        full = self.prefix + _LOCK_PREFIX + name
        return bool(await self._call("EVAL", lambda r: r.eval(_RELEASE, 1, full, owner)))

    async def force_release_lock(self, name: str) -> None:
        full = self.prefix + _LOCK_PREFIX + name
        await self._call("DEL", lambda r: r.delete(full))

    async def lock_owner(self, name: str) -> str | None:
        full = self.prefix + _LOCK_PREFIX + name
        raw = await self._call("GET", lambda r: r.get(full))
        return None if raw is None else bytes(raw).decode()

    async def close(self) -> None:
        """Close the pool of the running event loop (pools of finished loops are dropped)."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        found = self._clients.pop(loop, None)
        self._clients = WeakKeyDictionary()
        self._last = None
        if found is not None:
            await found[0].aclose()
            await found[0].connection_pool.aclose()
