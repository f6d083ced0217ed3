"""Cache contract (Laravel's ``Cache`` facade): key/value with TTLs, tags and locks.

Every operation is async and atomic on every store. TTLs are seconds (or a timedelta);
``None`` means forever.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from datetime import timedelta
from types import TracebackType
from typing import Any, Protocol, TypeVar, runtime_checkable

from foundry.domain.contracts import contract

__all__ = ["TTL", "Cache", "Lock"]

T = TypeVar("T")
TTL = float | int | timedelta | None


@runtime_checkable
class Lock(Protocol):
    """An atomic lock with an owner token; only the owner can release it."""

    @property
    def name(self) -> str: ...

    @property
    def owner(self) -> str: ...

    async def acquire(self) -> bool:
        """Take the lock if free; False when someone else holds it."""
        ...

    async def block(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds for the lock; False if it never came free."""
        ...

    async def release(self) -> bool:
        """Release if this owner holds it (safe against releasing another's lock)."""
        ...

    async def force_release(self) -> None: ...

    async def __aenter__(self) -> Lock: ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...


@contract("foundry-cache")
@runtime_checkable
class Cache(Protocol):
    """A cache store (or the default store of the cache manager)."""

    async def get(self, key: str, default: Any = None) -> Any: ...

    async def set(self, key: str, value: Any, ttl: TTL = None) -> None: ...

    async def add(self, key: str, value: Any, ttl: TTL = None) -> bool:
        """Store only if absent; True when stored."""
        ...

    async def forget(self, key: str) -> bool: ...

    async def has(self, key: str) -> bool: ...

    async def pull(self, key: str, default: Any = None) -> Any:
        """Get and delete."""
        ...

    async def increment(self, key: str, amount: int = 1) -> int: ...

    async def decrement(self, key: str, amount: int = 1) -> int: ...

    async def get_many(self, keys: Iterable[str]) -> dict[str, Any]:
        """The keys that hold a value, with their values (missing keys are left out)."""
        ...

    async def set_many(self, values: Mapping[str, Any], ttl: TTL = None) -> None: ...

    async def remember(self, key: str, ttl: TTL, factory: Callable[[], T | Awaitable[T]]) -> T:
        """Return the cached value or compute, store and return it (one computation per
        key at a time: concurrent callers wait for the first)."""
        ...

    async def flush(self) -> None:
        """Remove every key of this store (within its prefix)."""
        ...

    def lock(self, name: str, ttl: float, owner: str | None = None) -> Lock: ...

    def tags(self, *names: str) -> Cache:
        """A view whose keys are flushed together by ``tags(...).flush()``."""
        ...
