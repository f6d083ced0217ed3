"""Atomic locks with owner tokens, shared by every store.

A store answers four questions atomically (take the lock if free, release it if this owner
holds it, drop it whoever holds it, who holds it); :class:`StoreLock` builds the contract's
``acquire``/``block``/``release`` on them, so each store only writes what its backend makes
atomic: Redis ``SET NX`` and a compare-and-delete script, a conditional ``DELETE`` on the
database, a lock file around the file store, a mutex in memory.
"""

from __future__ import annotations

import asyncio
import secrets
from types import TracebackType
from typing import Protocol

from foundry.cache.errors import LockTimeoutError

__all__ = ["LockBackend", "StoreLock", "new_owner"]

_FIRST_DELAY = 0.005
_MAX_DELAY = 0.1


def new_owner() -> str:
    """A fresh owner token: 128 random bits, so no two holders ever share one."""
    return secrets.token_hex(16)


class LockBackend(Protocol):
    """What a store implements for its locks (names are the store's, before its prefix)."""

    async def acquire_lock(self, name: str, owner: str, ttl: float | None) -> bool:
        """Take ``name`` for ``owner`` unless someone holds it; ``ttl`` None is forever."""
        ...

    async def release_lock(self, name: str, owner: str) -> bool:
        """Drop ``name`` only if ``owner`` holds it; True when it did."""
        ...

    async def force_release_lock(self, name: str) -> None:
        """Drop ``name`` whoever holds it."""
        ...

    async def lock_owner(self, name: str) -> str | None:
        """The owner holding ``name`` now, or None."""
        ...


class StoreLock:
    """A lock on one store (the contract's ``Lock``).

    Args:
        backend: the store.
        name: the lock's name, shared by every process that wants the same lock.
        ttl: seconds after which the lock frees itself (so a crashed holder cannot keep it
            forever); zero or less means it never expires.
        owner: the owner token; pass a token received from another process to release the
            lock it took there (a job releasing what a request acquired). A new random
            token by default.
    """

    __slots__ = ("_backend", "_name", "_owner", "_ttl")

    def __init__(
        self, backend: LockBackend, name: str, ttl: float, owner: str | None = None
    ) -> None:
        self._backend = backend
        self._name = name
        self._ttl = float(ttl) if ttl > 0 else None
        self._owner = owner or new_owner()

    @property
    def name(self) -> str:
        return self._name

    @property
    def owner(self) -> str:
        return self._owner

    async def acquire(self) -> bool:
        """Take the lock if free; False when another owner holds it."""
        return await self._backend.acquire_lock(self._name, self._owner, self._ttl)

    async def block(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds for the lock; False if it never came free.

        Polls with a back-off from 5 ms to 100 ms, measured on the event loop's clock (a
        frozen test clock does not stop the wait).
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + max(0.0, timeout)
        delay = _FIRST_DELAY
        while True:
            if await self.acquire():
                return True
            remaining = deadline - loop.time()
            if remaining <= 0:
                return False
            await asyncio.sleep(min(delay, remaining))
            delay = min(delay * 2, _MAX_DELAY)

    async def release(self) -> bool:
        """Release if this owner holds it; False (and nothing changed) otherwise."""
        return await self._backend.release_lock(self._name, self._owner)

    async def force_release(self) -> None:
        """Release whoever holds it (an operator clearing a stuck lock)."""
        await self._backend.force_release_lock(self._name)

    async def current_owner(self) -> str | None:
        """The token of whoever holds the lock now, or None when it is free."""
        return await self._backend.lock_owner(self._name)

    async def is_owned(self) -> bool:
        """Whether this owner holds the lock now."""
        return await self.current_owner() == self._owner

    async def __aenter__(self) -> StoreLock:
        if not await self.acquire():
            raise LockTimeoutError(self._name)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.release()

    def __repr__(self) -> str:
        return f"<StoreLock {self._name!r} owner={self._owner[:8]}...>"
