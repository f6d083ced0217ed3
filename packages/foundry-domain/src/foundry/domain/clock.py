"""Time as a dependency, so expiry can be tested at exactly T and T+1s."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Protocol, runtime_checkable

__all__ = ["Clock", "FrozenClock", "SystemClock", "utcnow"]


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC (a ``default_factory`` for timestamps)."""
    return datetime.now(UTC)


@runtime_checkable
class Clock(Protocol):
    """The current time. Always timezone-aware UTC."""

    def now(self) -> datetime: ...

    def timestamp(self) -> float:
        """Seconds since the epoch (what TTLs and token ``exp`` claims use)."""
        ...

    def monotonic(self) -> float:
        """A clock for measuring durations; never goes backwards."""
        ...


class SystemClock:
    """The real clock."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def timestamp(self) -> float:
        return time.time()

    def monotonic(self) -> float:
        return time.monotonic()


class FrozenClock:
    """A clock that moves only when told to (tests)."""

    def __init__(self, at: datetime | None = None) -> None:
        self._now = at or datetime(2026, 1, 1, tzinfo=UTC)
        if self._now.tzinfo is None:
            raise ValueError("FrozenClock needs a timezone-aware datetime")
        self._monotonic = 1000.0

    def now(self) -> datetime:
        return self._now

    def timestamp(self) -> float:
        return self._now.timestamp()

    def monotonic(self) -> float:
        return self._monotonic

    def advance(self, seconds: float = 0.0, **delta: float) -> None:
        step = timedelta(seconds=seconds, **delta)
        self._now += step
        self._monotonic += step.total_seconds()

    def set(self, at: datetime) -> None:
        self._monotonic += (at - self._now).total_seconds()
        self._now = at
