"""The memory store: this process only, objects kept as they are.

A cachetools ``TLRUCache`` bounded to ``capacity`` entries (least recently used first out
when full) whose time-to-use function reads each entry's own expiry, so every key has its
own TTL. Values are not serialised: ``get`` returns the very object ``set`` stored (mutating
it afterwards changes the cached value too). Locks live in a separate table that capacity
never evicts. A mutex makes each operation atomic even when threads share the store.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

from foundry.cache.errors import NotAnIntegerError
from foundry.cache.stores.base import MISSING, Store
from foundry.domain.clock import Clock, SystemClock

__all__ = ["MemoryStore"]


class _Entry(NamedTuple):
    value: Any
    expires: float  # on the clock's monotonic scale; inf = forever


def _expiry(_key: str, entry: _Entry, _now: float) -> float:
    return entry.expires


class MemoryStore(Store):
    """Entries in this process's memory.

    Args:
        name: the configured store name.
        prefix: put before every key.
        capacity: most entries kept (``CACHE_MEMORY_CAPACITY``).
        clock: measures TTLs (its monotonic reading); a ``FrozenClock`` makes expiry exact
            in tests.
    """

    driver = "memory"
    shared = False

    def __init__(
        self,
        *,
        name: str = "memory",
        prefix: str = "",
        capacity: int = 10_000,
        clock: Clock | None = None,
    ) -> None:
        from cachetools import TLRUCache

        super().__init__(name=name, prefix=prefix)
        if capacity < 1:
            raise ValueError(f"The memory cache capacity must be at least 1, not {capacity}")
        self.capacity = capacity
        self._clock: Clock = clock or SystemClock()
        self._entries: TLRUCache[str, _Entry] = TLRUCache(
            maxsize=capacity, ttu=_expiry, timer=self._clock.monotonic
        )
        self._locks: dict[str, tuple[str, float]] = {}
        self._mutex = threading.Lock()

    @property
    def address(self) -> str:
        return f"memory (capacity {self.capacity})"

    def _expires(self, ttl: float | None) -> float:
        return math.inf if ttl is None else self._clock.monotonic() + ttl

    def __len__(self) -> int:
        """Live entries (all prefixes)."""
        with self._mutex:
            return sum(1 for _ in self._entries)

    async def get(self, key: str) -> Any:
        with self._mutex:
            entry = self._entries.get(self.prefix + key)
        return MISSING if entry is None else entry.value

    async def get_many(self, keys: Iterable[str]) -> dict[str, Any]:
        prefix, found = self.prefix, {}
        with self._mutex:
            for key in keys:
                entry = self._entries.get(prefix + key)
                if entry is not None:
                    found[key] = entry.value
        return found

    async def put(self, key: str, value: Any, ttl: float | None) -> None:
        with self._mutex:
            self._entries[self.prefix + key] = _Entry(value, self._expires(ttl))

    async def put_many(self, values: Mapping[str, Any], ttl: float | None) -> None:
        expires = self._expires(ttl)
        with self._mutex:
            for key, value in values.items():
                self._entries[self.prefix + key] = _Entry(value, expires)

    async def add(self, key: str, value: Any, ttl: float | None) -> bool:
        full = self.prefix + key
        with self._mutex:
            if full in self._entries:
                return False
            self._entries[full] = _Entry(value, self._expires(ttl))
            return True

    async def forget(self, key: str) -> bool:
        with self._mutex:
            return self._entries.pop(self.prefix + key, None) is not None

    async def has(self, key: str) -> bool:
        with self._mutex:
            return self.prefix + key in self._entries

    async def pull(self, key: str) -> Any:
        with self._mutex:
            entry = self._entries.pop(self.prefix + key, None)
        return MISSING if entry is None else entry.value

    async def increment(self, key: str, amount: int) -> int:
        full = self.prefix + key
        with self._mutex:
            entry = self._entries.get(full)
            if entry is None:
                entry = _Entry(0, math.inf)
            elif type(entry.value) is not int:
                raise NotAnIntegerError(key, f"a {type(entry.value).__name__}")
            value: int = entry.value + amount
            self._entries[full] = _Entry(value, entry.expires)
            return value

    async def flush(self) -> None:
        prefix = self.prefix
        with self._mutex:
            if not prefix:
                self._entries.clear()
                self._locks.clear()
                return
            for key in [k for k in self._entries if k.startswith(prefix)]:
                self._entries.pop(key, None)
            for key in [k for k in self._locks if k.startswith(prefix)]:
                del self._locks[key]

    async def prune(self) -> int:
        """Drop expired entries now (they are otherwise dropped as new ones arrive)."""
        with self._mutex:
            expired = self._entries.expire()
        return sum(1 for key, _ in expired if key.startswith(self.prefix))

    # --- locks ----------------------------------------------------------------------

    def _live_lock(self, full: str) -> tuple[str, float] | None:
        held = self._locks.get(full)
        if held is not None and held[1] <= self._clock.monotonic():
            del self._locks[full]
            return None
        return held

    async def acquire_lock(self, name: str, owner: str, ttl: float | None) -> bool:
        full = self.prefix + name
        with self._mutex:
            if self._live_lock(full) is not None:
                return False
            self._locks[full] = (owner, self._expires(ttl))
            return True

    async def release_lock(self, name: str, owner: str) -> bool:
        full = self.prefix + name
        with self._mutex:
            held = self._live_lock(full)
            if held is None or held[0] != owner:
                return False
            del self._locks[full]
            return True

    async def force_release_lock(self, name: str) -> None:
        with self._mutex:
            self._locks.pop(self.prefix + name, None)

    async def lock_owner(self, name: str) -> str | None:
        with self._mutex:
            held = self._live_lock(self.prefix + name)
        return None if held is None else held[0]
