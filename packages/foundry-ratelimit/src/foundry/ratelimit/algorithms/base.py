"""What a rate-limiting algorithm is: one pure step, written twice.

Each algorithm is a state transition ``(state, now) -> (result, new state, expiry)``. The
memory store runs the Python version under its lock; the Redis store runs the Lua version
inside one ``EVALSHA``, where it reads the server's clock. The two are kept side by side in
one module per algorithm so they can be read (and reviewed) against each other, and the
test suite runs the same allow/deny sequences through both.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from foundry.domain.ratelimit import RateLimitResult

__all__ = ["EPSILON", "Algorithm", "Step"]

EPSILON = 1e-6
"""Tolerance of every comparison (seconds or hits): ``1/3 + 1/3 + 1/3`` must fit in 1.
Redis reports time in microseconds, so nothing finer is meaningful anyway."""


@dataclass(frozen=True, slots=True)
class Step:
    """The outcome of one step.

    Attributes:
        result: what the caller is told.
        state: the state to keep, or None when nothing needs keeping (a peek, or a key
            with nothing counted).
        expires_at: the time (same clock as ``now``) after which ``state`` no longer
            affects any answer; stores drop it then.
    """

    result: RateLimitResult
    state: object | None
    expires_at: float


class Algorithm(Protocol):
    """A rate-limiting algorithm (``sliding`` or ``gcra``)."""

    name: str
    lua: str
    """The Redis script: ``KEYS[1]`` the state, ``ARGV`` limit, window, cost and ``1`` to
    peek; it returns ``{allowed, remaining, reset_after, retry_after}`` (the last two as
    strings, since Redis truncates Lua numbers to integers)."""

    def step(
        self, state: object | None, now: float, limit: int, window: float, cost: int, commit: bool
    ) -> Step:
        """Apply ``cost`` hits at ``now`` to ``state`` (a foreign or missing state starts
        fresh). With ``commit`` False nothing is counted: it answers whether ``cost`` hits
        would be allowed."""
        ...
