"""Build locks: a shared service is built once, even when threads race for it.

Locking choice: there is no global lock around user code. Each shared service (a singleton,
or a scoped service within one scope) has its own lock, held while its factory or
constructor runs, so two threads asking for the same singleton get one instance while
unrelated services build in parallel.

Per-service locks can deadlock in exactly one way: thread 1 builds A, which needs B, while
thread 2 builds B, which needs A. That is a dependency cycle which a single thread would
report; split across threads it would hang both. So before blocking, a thread walks the
wait-for graph (who holds the lock it wants, what that holder waits for ...) and, when the
walk comes back to itself, raises :class:`Deadlock` instead of waiting forever. The
container turns that into a :class:`~foundry.domain.errors.CircularDependencyError`.

Lock entries are reference-counted and dropped when unused, so scoped services (one key
per request) do not grow the table.
"""

from __future__ import annotations

import threading

__all__ = ["BuildGuard", "Deadlock"]


class Deadlock(Exception):
    """Waiting for ``keys[0]`` would deadlock; ``keys`` is the cycle of awaited keys."""

    def __init__(self, keys: list[object]) -> None:
        super().__init__(keys)
        self.keys = keys


class _Entry:
    __slots__ = ("lock", "owner", "users")

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.owner: int | None = None
        self.users = 0


class BuildGuard:
    """Per-key locks with deadlock detection across threads."""

    def __init__(self) -> None:
        self._mutex = threading.Lock()
        self._entries: dict[object, _Entry] = {}
        self._waiting: dict[int, object] = {}

    def acquire(self, key: object) -> None:
        """Take the lock of ``key``, waiting for another thread that holds it.

        Raises:
            Deadlock: waiting would never end because the holder (transitively) waits for
                a lock this thread holds.
        """
        me = threading.get_ident()
        with self._mutex:
            entry = self._entries.get(key)
            if entry is None:
                entry = self._entries[key] = _Entry()
            if entry.lock.acquire(blocking=False):
                entry.owner = me
                entry.users += 1
                return
            cycle = self._cycle(me, key)
            if cycle is not None:
                raise Deadlock(cycle)
            entry.users += 1
            self._waiting[me] = key
        entry.lock.acquire()
        with self._mutex:
            del self._waiting[me]
            entry.owner = me

    def release(self, key: object) -> None:
        """Release the lock of ``key`` taken by :meth:`acquire` in this thread."""
        with self._mutex:
            entry = self._entries[key]
            entry.owner = None
            entry.users -= 1
            if entry.users == 0:
                del self._entries[key]
            entry.lock.release()

    def held(self) -> int:
        """How many keys have a live lock entry (held or awaited); for diagnostics."""
        return len(self._entries)

    def _cycle(self, me: int, key: object) -> list[object] | None:
        """The keys awaited along the wait-for chain from ``key`` back to ``me``, if any."""
        chain = [key]
        seen: set[int] = set()
        current: object = key
        while True:
            entry = self._entries.get(current)
            owner = entry.owner if entry is not None else None
            if owner is None or owner in seen:
                return None
            if owner == me:
                return chain
            seen.add(owner)
            awaited = self._waiting.get(owner)
            if awaited is None:
                return None
            chain.append(awaited)
            current = awaited
