"""The null store: caches nothing (``CACHE_DRIVER=null`` to switch caching off).

Every read misses and every write is dropped, so code behaves as if each value had just
expired. Counters answer as if counting from zero each time. Locks are always granted —
with nothing cached there is no shared state to protect, and code that takes a lock still
runs — as Laravel's ``NoLock`` does.
"""

from __future__ import annotations

from typing import Any

from foundry.cache.stores.base import MISSING, Store

__all__ = ["NullStore"]


class NullStore(Store):
    """A store that keeps nothing."""

    driver = "null"
    shared = False

    def __init__(self, *, name: str = "null", prefix: str = "") -> None:
        super().__init__(name=name, prefix=prefix)

    @property
    def address(self) -> str:
        return "null (nothing is stored)"

    async def get(self, key: str) -> Any:
        return MISSING

    async def put(self, key: str, value: Any, ttl: float | None) -> None:
        return None

    async def add(self, key: str, value: Any, ttl: float | None) -> bool:
        return False

    async def forget(self, key: str) -> bool:
        return False

    async def pull(self, key: str) -> Any:
        return MISSING

    async def increment(self, key: str, amount: int) -> int:
        return amount

    async def flush(self) -> None:
        return None

    async def acquire_lock(self, name: str, owner: str, ttl: float | None) -> bool:
        return True

    async def release_lock(self, name: str, owner: str) -> bool:
        return True

    async def force_release_lock(self, name: str) -> None:
        return None

    async def lock_owner(self, name: str) -> str | None:
        return None
