"""Rate limiting contract: count hits per key within a window, answer allowed or not."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from foundry.domain.contracts import contract

__all__ = ["RateLimitResult", "RateLimiter"]


@dataclass(frozen=True, slots=True)
class RateLimitResult:
    """The answer for one hit; enough to set ``RateLimit-*`` and ``Retry-After`` headers."""

    allowed: bool
    limit: int
    remaining: int
    reset_after: float  # seconds until the window/bucket is full again
    retry_after: float = 0.0  # seconds to wait when not allowed


@contract("foundry-ratelimit")
@runtime_checkable
class RateLimiter(Protocol):
    """Counts hits atomically (across instances when the store is shared)."""

    async def hit(self, key: str, limit: int, window: float, cost: int = 1) -> RateLimitResult:
        """Record ``cost`` hits for ``key`` allowing ``limit`` per ``window`` seconds."""
        ...

    async def peek(self, key: str, limit: int, window: float) -> RateLimitResult:
        """The state without counting a hit."""
        ...

    async def reset(self, key: str) -> None: ...
