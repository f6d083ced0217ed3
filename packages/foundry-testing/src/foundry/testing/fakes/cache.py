"""``CacheFake``: the ``Cache`` contract in a dict, for packages that use a cache but may not
depend on foundry-cache (the dependency rule), and for tests that look inside the store.

It keeps what a test wants to check: the value and the TTL of every write (``data``,
``ttls``), how often each key was read (``reads``), and it can play a cache server that is
down (``failing = True``: every operation raises ``ConnectionRefusedError``, as a Redis
client does). TTLs are recorded, never enforced, and tags are ignored (``tags()`` is the
store itself): tests that need expiry or tag flushing want foundry-cache's memory store::

    cache = CacheFake()
    app.instance(Cache, cache)
    ...
    assert cache.ttls["foundry:maintenance"] is None
    assert cache.reads["foundry:maintenance"] == 1
    cache.failing = True   # from now on the store is unreachable
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from foundry.domain.cache import TTL

__all__ = ["CacheFake", "LockFake"]

T = TypeVar("T")


class CacheFake:
    """A dict-backed ``foundry.domain.cache.Cache`` for one process and one event loop.

    ``data`` maps keys to values and ``ttls`` keys to the TTL of their last write (``None``:
    forever); ``reads`` counts :meth:`get` / :meth:`get_many` calls per key, so a test can
    see that a value was served from a local copy instead of the store. Subclass and
    override one method to make a store that misbehaves in one way only.
    """

    def __init__(self) -> None:
        self.data: dict[str, Any] = {}
        self.ttls: dict[str, TTL] = {}
        self.reads: dict[str, int] = {}
        self.failing = False

    def _check(self) -> None:
        """Raise what a client of an unreachable server raises, when ``failing`` is set."""
        if self.failing:
            raise ConnectionRefusedError(111, "Connection refused")

    async def get(self, key: str, default: Any = None) -> Any:
        self._check()
        self.reads[key] = self.reads.get(key, 0) + 1
        return self.data.get(key, default)

    async def set(self, key: str, value: Any, ttl: TTL = None) -> None:
        self._check()
        self.data[key] = value
        self.ttls[key] = ttl

    async def add(self, key: str, value: Any, ttl: TTL = None) -> bool:
        self._check()
        if key in self.data:
            return False
        await self.set(key, value, ttl)
        return True

    async def forget(self, key: str) -> bool:
        self._check()
        self.ttls.pop(key, None)
        return self.data.pop(key, None) is not None

    async def has(self, key: str) -> bool:
        self._check()
        return key in self.data

    async def pull(self, key: str, default: Any = None) -> Any:
        self._check()
        self.ttls.pop(key, None)
        return self.data.pop(key, default)

    async def increment(self, key: str, amount: int = 1) -> int:
        self._check()
        self.data[key] = int(self.data.get(key, 0)) + amount
        self.ttls.setdefault(key, None)
        return int(self.data[key])

    async def decrement(self, key: str, amount: int = 1) -> int:
        return await self.increment(key, -amount)

    async def get_many(self, keys: Iterable[str]) -> dict[str, Any]:
        """The keys that hold a value (missing keys are left out, as the contract says)."""
        self._check()
        found: dict[str, Any] = {}
        for key in keys:
            self.reads[key] = self.reads.get(key, 0) + 1
            if key in self.data:
                found[key] = self.data[key]
        return found

    async def set_many(self, values: Mapping[str, Any], ttl: TTL = None) -> None:
        for key, value in values.items():
            await self.set(key, value, ttl)

    async def remember(self, key: str, ttl: TTL, factory: Callable[[], T | Awaitable[T]]) -> T:
        self._check()
        if key not in self.data:
            value = factory()
            await self.set(key, await value if asyncio.iscoroutine(value) else value, ttl)
        result: T = self.data[key]
        return result

    async def flush(self) -> None:
        self._check()
        self.data.clear()
        self.ttls.clear()

    def lock(self, name: str, ttl: float, owner: str | None = None) -> LockFake:
        """A lock held in this store under ``lock:<name>`` (``ttl`` is not enforced)."""
        return LockFake(self, name, owner or secrets.token_hex(8))

    def tags(self, *names: str) -> CacheFake:
        """The store itself: tags are not modelled."""
        return self


@dataclass
class LockFake:
    """The ``Lock`` contract over a :class:`CacheFake`: the lock is the key ``lock:<name>``
    holding its owner's token, taken with ``add``, so it fails like the store does."""

    cache: CacheFake
    name: str
    owner: str

    @property
    def key(self) -> str:
        """Where the store keeps the lock."""
        return f"lock:{self.name}"

    async def acquire(self) -> bool:
        return await self.cache.add(self.key, self.owner)

    async def block(self, timeout: float) -> bool:
        try:
            async with asyncio.timeout(timeout):
                while True:
                    if await self.acquire():
                        return True
                    await asyncio.sleep(0.01)  # polled, as stores do: nothing signals a release
        except TimeoutError:
            return False

    async def release(self) -> bool:
        """Release when this owner holds the lock; another owner's lock is left alone."""
        self.cache._check()
        if self.cache.data.get(self.key) != self.owner:
            return False
        await self.cache.forget(self.key)
        return True

    async def force_release(self) -> None:
        await self.cache.forget(self.key)

    async def __aenter__(self) -> LockFake:
        """Wait for the lock (at most 10 s: a test that waits longer is stuck)."""
        if await self.block(10):
            return self
        raise TimeoutError(f"the lock {self.name!r} was not released within 10 s")

    async def __aexit__(self, *exc_info: object) -> None:
        await self.release()
