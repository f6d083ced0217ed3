"""The in-process store: fast, per process, and bounded.

Counts live in a dict ordered by last use. Memory stays bounded three ways: a key whose
state no longer affects any answer is dropped (from the least recently used end on every
write, and by a full sweep once per ``sweep_interval``); and when a flood of distinct keys
(spoofed clients, a scan over an IPv6 range) still exceeds ``max_keys``, the least
recently used keys are evicted, with a warning, rather than letting the process grow.

A ``threading.Lock`` makes each step atomic for threads as well as tasks; the critical
section is a few dict operations, never an ``await``.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from dataclasses import dataclass

from foundry.domain.clock import Clock, SystemClock
from foundry.domain.ratelimit import RateLimitResult
from foundry.ratelimit.algorithms.base import Algorithm
from foundry.ratelimit.rates import check_limit

__all__ = ["MemoryStore"]

log = logging.getLogger("foundry.ratelimit")


@dataclass(slots=True)
class _Entry:
    state: object
    expires_at: float


class MemoryStore:
    """Counts in this process's memory.

    Args:
        clock: the time source (a ``FrozenClock`` in tests); the system clock by default.
        max_keys: the most keys kept; beyond it the least recently used are evicted.
        sweep_interval: seconds between full sweeps of expired keys.
    """

    shared = False

    def __init__(
        self,
        *,
        clock: Clock | None = None,
        max_keys: int = 100_000,
        sweep_interval: float = 60.0,
    ) -> None:
        self.clock: Clock = clock or SystemClock()
        self.max_keys = check_limit(max_keys, "max_keys")
        self.sweep_interval = sweep_interval
        self.label = "memory"
        self.evicted = 0
        """Live keys evicted because ``max_keys`` was reached (expired ones are not
        counted)."""
        self._entries: OrderedDict[str, _Entry] = OrderedDict()
        self._lock = threading.Lock()
        self._next_sweep = self.clock.timestamp() + sweep_interval
        self._warned_at: float | None = None

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    async def apply(
        self, key: str, algorithm: Algorithm, limit: int, window: float, cost: int, commit: bool
    ) -> RateLimitResult:
        return self.apply_now(key, algorithm, limit, window, cost, commit)

    def apply_now(
        self, key: str, algorithm: Algorithm, limit: int, window: float, cost: int, commit: bool
    ) -> RateLimitResult:
        """The synchronous step (usable from threads without an event loop)."""
        with self._lock:
            now = self.clock.timestamp()
            entry = self._entries.get(key)
            if entry is not None and entry.expires_at <= now:
                del self._entries[key]
                entry = None
            step = algorithm.step(
                entry.state if entry is not None else None, now, limit, window, cost, commit
            )
            if commit:
                if step.state is None:
                    self._entries.pop(key, None)
                elif entry is not None:
                    entry.state, entry.expires_at = step.state, step.expires_at
                    self._entries.move_to_end(key)
                else:
                    self._entries[key] = _Entry(step.state, step.expires_at)
                self._evict(now)
            return step.result

    async def delete(self, key: str) -> bool:
        with self._lock:
            entry = self._entries.pop(key, None)
            return entry is not None and entry.expires_at > self.clock.timestamp()

    async def aclose(self) -> None:
        """Nothing to release; the counts go with the process."""

    def clear(self) -> None:
        """Forget every key."""
        with self._lock:
            self._entries.clear()

    def _evict(self, now: float) -> None:
        entries = self._entries
        while entries:  # expired keys at the least recently used end
            first = next(iter(entries.values()))
            if first.expires_at > now:
                break
            entries.popitem(last=False)
        if now >= self._next_sweep:
            self._sweep(now)
        while len(entries) > self.max_keys:
            entries.popitem(last=False)
            self.evicted += 1
            self._warn_full(now)

    def _sweep(self, now: float) -> None:
        expired = [key for key, entry in self._entries.items() if entry.expires_at <= now]
        for key in expired:
            del self._entries[key]
        self._next_sweep = now + self.sweep_interval

    def _warn_full(self, now: float) -> None:
        if self._warned_at is not None and now - self._warned_at < self.sweep_interval:
            return
        self._warned_at = now
        log.warning(
            "The memory rate limit store holds its maximum of %d keys; the least recently "
            "used are being evicted (their counts restart). Raise RATE_LIMIT_MAX_KEYS or "
            "set RATE_LIMIT_STORE=redis.",
            self.max_keys,
        )
