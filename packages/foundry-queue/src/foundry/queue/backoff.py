"""Retry delays: a job's ``backoff`` as one number, one number per retry, or exponential."""

from __future__ import annotations

from collections.abc import Sequence

from foundry.queue.errors import QueueConfigurationError

__all__ = ["exponential", "normalise_backoff", "retry_delay"]


def exponential(
    first: float = 1.0, *, factor: float = 2.0, retries: int = 10, limit: float | None = None
) -> tuple[float, ...]:
    """Delays that grow by ``factor`` after each failed attempt: ``first``, ``first *
    factor``, ... for ``retries`` retries, each capped at ``limit`` seconds.

    Use it as a job's ``backoff`` (``backoff = exponential(10, limit=3600)``): a service
    that is down gets room to recover instead of a burst of retries. Retries beyond the
    last delay wait as long as the last one.

    >>> exponential(10, retries=4)
    (10.0, 20.0, 40.0, 80.0)
    >>> exponential(30, factor=3, retries=4, limit=300)
    (30.0, 90.0, 270.0, 300.0)
    """
    if first < 0 or factor < 1 or retries < 1:
        raise QueueConfigurationError(
            f"exponential({first}, factor={factor}, retries={retries}) needs first >= 0, "
            "factor >= 1 and retries >= 1."
        )
    delays = []
    delay = float(first)
    for _ in range(retries):
        delays.append(float(min(delay, limit)) if limit is not None else delay)
        delay *= factor
    return tuple(delays)


def normalise_backoff(value: float | Sequence[float] | None, owner: str) -> list[float]:
    """A job's ``backoff`` as the list stored in its envelope.

    Raises:
        QueueConfigurationError: a negative or non-numeric delay.
    """
    if value is None:
        return []
    items = [value] if isinstance(value, int | float) else list(value)
    delays: list[float] = []
    for item in items:
        if isinstance(item, bool) or not isinstance(item, int | float) or item < 0:
            raise QueueConfigurationError(
                f"{owner}.backoff holds {item!r}; use seconds >= 0: a number, a sequence "
                "of numbers (one per retry) or exponential(...)."
            )
        delays.append(float(item))
    return [] if delays == [0.0] else delays


def retry_delay(backoff: Sequence[float], attempt: int) -> float:
    """Seconds to wait before retrying after failed attempt number ``attempt`` (1-based)."""
    if not backoff:
        return 0.0
    return float(backoff[min(max(attempt, 1), len(backoff)) - 1])
