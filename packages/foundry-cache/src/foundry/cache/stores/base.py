"""The store contract: the few operations each backend makes atomic.

:class:`Store` is what a driver implements; :class:`foundry.cache.repository.Repository`
builds the whole ``Cache`` API (TTL forms, ``remember``, tags) on top of it, so a new
backend writes only these methods. Keys reaching a store are the caller's keys; the store
puts its prefix in front. TTLs reaching a store are positive seconds or ``None``
(forever): the repository turns zero and negative TTLs into deletions first.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar, Final, Protocol, runtime_checkable

from foundry.cache.locks import StoreLock

__all__ = ["MISSING", "Prunable", "Store"]


class _Missing:
    """The marker for "no entry" (``None`` is a value like any other)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


MISSING: Final[Any] = _Missing()


class Store(ABC):
    """One cache backend.

    Class attributes:
        driver: the ``driver`` name used in configuration.
        shared: True when other processes see the same entries (everything but memory
            and null); ``remember`` then also takes the store's lock, so one computation
            runs across all instances.

    Attributes:
        name: the configured store name (``redis``, ``sessions`` ...), for messages.
        prefix: put in front of every key (``CACHE_PREFIX``).
    """

    driver: ClassVar[str]
    shared: ClassVar[bool] = True

    def __init__(self, *, name: str, prefix: str = "") -> None:
        self.name = name
        self.prefix = prefix

    @property
    def address(self) -> str:
        """Where the store keeps its data, safe to print (no passwords)."""
        return self.driver

    @abstractmethod
    async def get(self, key: str) -> Any:
        """The value, or :data:`MISSING`."""

    async def get_many(self, keys: Iterable[str]) -> dict[str, Any]:
        """The keys that hold a value, with their values."""
        found: dict[str, Any] = {}
        for key in keys:
            value = await self.get(key)
            if value is not MISSING:
                found[key] = value
        return found

    @abstractmethod
    async def put(self, key: str, value: Any, ttl: float | None) -> None:
        """Store ``value`` (replacing any) for ``ttl`` seconds."""

    async def put_many(self, values: Mapping[str, Any], ttl: float | None) -> None:
        """Store every pair for ``ttl`` seconds."""
        for key, value in values.items():
            await self.put(key, value, ttl)

    @abstractmethod
    async def add(self, key: str, value: Any, ttl: float | None) -> bool:
        """Store only if the key holds no live value; True when stored."""

    @abstractmethod
    async def forget(self, key: str) -> bool:
        """Remove the key; True when it held a live value."""

    async def has(self, key: str) -> bool:
        """Whether the key holds a live value."""
        return await self.get(key) is not MISSING

    @abstractmethod
    async def pull(self, key: str) -> Any:
        """Remove and return the value (or :data:`MISSING`), as one atomic step."""

    @abstractmethod
    async def increment(self, key: str, amount: int) -> int:
        """Add ``amount`` atomically and return the new value.

        A missing or expired key counts from 0 and is then kept forever; a live key keeps
        its expiry.

        Raises:
            NotAnIntegerError: the key holds something other than an int.
        """

    @abstractmethod
    async def flush(self) -> None:
        """Remove every entry under this store's prefix."""

    def lock(self, name: str, ttl: float, owner: str | None = None) -> StoreLock:
        """A lock named ``name`` on this store."""
        return StoreLock(self, name, ttl, owner)

    @abstractmethod
    async def acquire_lock(self, name: str, owner: str, ttl: float | None) -> bool: ...

    @abstractmethod
    async def release_lock(self, name: str, owner: str) -> bool: ...

    @abstractmethod
    async def force_release_lock(self, name: str) -> None: ...

    @abstractmethod
    async def lock_owner(self, name: str) -> str | None: ...

    async def close(self) -> None:
        """Release connections and files (the app calls it when it terminates)."""
        return

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r} at {self.address}>"


@runtime_checkable
class Prunable(Protocol):
    """A store whose expired entries stay on disk until removed (database, file, memory)."""

    async def prune(self) -> int:
        """Delete every expired entry under the prefix; returns how many."""
        ...
