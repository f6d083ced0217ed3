"""The ``Cache`` API over one store: TTL forms, ``remember`` without stampedes, tags.

A :class:`Repository` is what ``app.make(Cache)`` and ``manager.store(name)`` return. It
checks keys and TTLs, turns a zero or negative TTL into a deletion, and adds what a store
need not know about: ``remember`` with stampede protection and tagged views.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping
from contextlib import asynccontextmanager, suppress
from typing import TYPE_CHECKING, Any, TypeVar, cast

from foundry.cache.errors import InvalidKeyError
from foundry.cache.stores.base import MISSING, Store
from foundry.cache.ttl import seconds
from foundry.domain.cache import TTL
from foundry.domain.errors import ServiceUnavailableError

if TYPE_CHECKING:
    from foundry.cache.locks import StoreLock
    from foundry.cache.tags import TaggedCache

__all__ = ["Repository", "check_key"]

T = TypeVar("T")


def check_key(key: object) -> str:
    """``key`` when it is a non-empty string.

    Raises:
        InvalidKeyError: anything else (the message shows what was given).
    """
    if isinstance(key, str) and key:
        return key
    raise InvalidKeyError(f"Cache keys are non-empty strings; got {key!r}")


class _KeyLocks:
    """One asyncio lock per key in use, per event loop; dropped when nobody waits."""

    def __init__(self) -> None:
        self._locks: dict[tuple[int, str], tuple[asyncio.Lock, list[int]]] = {}

    @asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        slot = (id(asyncio.get_running_loop()), key)
        entry = self._locks.get(slot)
        if entry is None:
            entry = self._locks[slot] = (asyncio.Lock(), [0])
        lock, users = entry
        users[0] += 1
        try:
            async with lock:
                yield
        finally:
            users[0] -= 1
            if not users[0]:
                del self._locks[slot]


class Repository:
    """The cache contract over a :class:`~foundry.cache.stores.base.Store`.

    Args:
        store: the backend.
        remember_wait: seconds ``remember`` waits for another instance computing the same
            key before computing it too (shared stores only).
        remember_lock_ttl: seconds the cross-instance ``remember`` lock lives, so a crashed
            instance cannot block the key for longer.
    """

    def __init__(
        self, store: Store, *, remember_wait: float = 5.0, remember_lock_ttl: float = 30.0
    ) -> None:
        self.store = store
        self.remember_wait = remember_wait
        self.remember_lock_ttl = remember_lock_ttl
        self._computing = _KeyLocks()

    @property
    def name(self) -> str:
        """The configured store name."""
        return self.store.name

    async def get(self, key: str, default: Any = None) -> Any:
        """The value of ``key``, or ``default`` when it is missing or expired."""
        value = await self.store.get(check_key(key))
        return default if value is MISSING else value

    async def set(self, key: str, value: Any, ttl: TTL = None) -> None:
        """Store ``value`` for ``ttl`` (seconds or a timedelta; None keeps it forever)."""
        lifetime = seconds(ttl)
        if lifetime is not None and lifetime <= 0:
            await self.store.forget(check_key(key))
            return
        await self.store.put(check_key(key), value, lifetime)

    async def forever(self, key: str, value: Any) -> None:
        """Store ``value`` with no expiry."""
        await self.store.put(check_key(key), value, None)

    async def add(self, key: str, value: Any, ttl: TTL = None) -> bool:
        """Store only if ``key`` holds no value; True when stored (atomic)."""
        lifetime = seconds(ttl)
        if lifetime is not None and lifetime <= 0:
            return False
        return await self.store.add(check_key(key), value, lifetime)

    async def forget(self, key: str) -> bool:
        """Remove ``key``; True when it held a value."""
        return await self.store.forget(check_key(key))

    async def has(self, key: str) -> bool:
        """Whether ``key`` holds a value (``None`` counts as a value)."""
        return await self.store.has(check_key(key))

    async def pull(self, key: str, default: Any = None) -> Any:
        """Remove ``key`` and return its value (or ``default``), in one atomic step."""
        value = await self.store.pull(check_key(key))
        return default if value is MISSING else value

    async def increment(self, key: str, amount: int = 1) -> int:
        """Add ``amount`` atomically; a missing key counts from 0. Returns the new value.

        Raises:
            NotAnIntegerError: the key holds something other than an int.
        """
        if type(amount) is not int:
            raise TypeError(f"increment() takes an int amount, not {type(amount).__name__}")
        return await self.store.increment(check_key(key), amount)

    async def decrement(self, key: str, amount: int = 1) -> int:
        """Subtract ``amount`` atomically; see :meth:`increment`."""
        if type(amount) is not int:
            raise TypeError(f"decrement() takes an int amount, not {type(amount).__name__}")
        return await self.store.increment(check_key(key), -amount)

    async def get_many(self, keys: Iterable[str]) -> dict[str, Any]:
        """The asked keys that hold a value, with their values (one round trip on Redis
        and the database; missing keys are left out, as Django's ``get_many`` does)."""
        return await self.store.get_many([check_key(key) for key in keys])

    async def set_many(self, values: Mapping[str, Any], ttl: TTL = None) -> None:
        """Store every pair for ``ttl`` (one round trip on Redis and the database)."""
        lifetime = seconds(ttl)
        checked = {check_key(key): value for key, value in values.items()}
        if lifetime is not None and lifetime <= 0:
            for key in checked:
                await self.store.forget(key)
            return
        await self.store.put_many(checked, lifetime)

    async def remember(self, key: str, ttl: TTL, factory: Callable[[], T | Awaitable[T]]) -> T:
        """The cached value of ``key``, or ``factory()``'s result stored for ``ttl``.

        Concurrent callers of one key share one computation: within a process they wait
        on an asyncio lock; across processes (shared stores) the computing instance holds
        the store's lock ``remember:<key>`` and the others wait up to ``remember_wait``
        seconds for it, then read what it stored. If it has not finished by then they
        compute the value themselves rather than wait without end.
        """
        value = await self.store.get(check_key(key))
        if value is not MISSING:
            return cast(T, value)
        async with self._computing.hold(key):
            value = await self.store.get(key)
            if value is not MISSING:
                return cast(T, value)
            if not self.store.shared:
                return await self._fill(key, ttl, factory)
            lock = self.store.lock(f"remember:{key}", self.remember_lock_ttl)
            if await lock.block(self.remember_wait):
                try:
                    value = await self.store.get(key)
                    if value is not MISSING:
                        return cast(T, value)
                    return await self._fill(key, ttl, factory)
                finally:
                    with suppress(ServiceUnavailableError):
                        await lock.release()
            value = await self.store.get(key)  # the holder may have just stored it
            if value is not MISSING:
                return cast(T, value)
            return await self._fill(key, ttl, factory)

    async def _fill(self, key: str, ttl: TTL, factory: Callable[[], T | Awaitable[T]]) -> T:
        result = factory()
        value: T = await result if inspect.isawaitable(result) else result
        await self.set(key, value, ttl)
        return value

    async def flush(self) -> None:
        """Remove every entry of this store under its prefix."""
        await self.store.flush()

    def lock(self, name: str, ttl: float, owner: str | None = None) -> StoreLock:
        """An atomic lock named ``name`` that frees itself after ``ttl`` seconds.

        Pass ``owner`` (the token of a lock taken elsewhere) to release that lock here.
        """
        return self.store.lock(check_key(name), ttl, owner)

    def tags(self, *names: str) -> TaggedCache:
        """A view whose entries ``tags(...).flush()`` invalidates together."""
        from foundry.cache.tags import TaggedCache

        return TaggedCache(self, names)

    async def close(self) -> None:
        """Close the store's connections."""
        await self.store.close()

    def __repr__(self) -> str:
        return f"<Repository {self.store!r}>"
