"""Login throttling per (e-mail, client address), with lockout.

Only failures count. Once ``max_attempts`` failures were made within ``decay`` seconds,
further attempts for that pair are refused — before any password is checked — until the
window passes; a success clears the count. Counts go through the bound ``RateLimiter``
(``foundry-ratelimit``: shared across instances with its Redis store); without one, a
per-process counter stands in. Keys hold a digest of the e-mail, never the address.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from foundry.auth_scaffolding.tokens import digest

if TYPE_CHECKING:
    from foundry.domain.ratelimit import RateLimiter

__all__ = ["LocalCounter", "LoginThrottle", "throttle_key"]


def throttle_key(scope: str, email: str, ip: str | None) -> str:
    return f"auth:{scope}:{digest(email.strip().lower() + '|' + (ip or '-'))[:40]}"


class LocalCounter:
    """Failure counts of this process, in fixed windows (used when no limiter is bound)."""

    def __init__(self) -> None:
        self._counts: dict[str, tuple[int, float]] = {}

    def blocked_for(self, key: str, limit: int) -> float:
        count, resets = self._counts.get(key, (0, 0.0))
        remaining = resets - time.monotonic()
        if remaining <= 0:
            self._counts.pop(key, None)
            return 0.0
        return remaining if count >= limit else 0.0

    def hit(self, key: str, window: float) -> None:
        now = time.monotonic()
        count, resets = self._counts.get(key, (0, 0.0))
        if resets <= now:
            count, resets = 0, now + window
        self._counts[key] = (count + 1, resets)
        if len(self._counts) > 100_000:
            self._counts = {k: v for k, v in self._counts.items() if v[1] > now}

    def reset(self, key: str) -> None:
        self._counts.pop(key, None)


class LoginThrottle:
    """Counts failures and refuses attempts past the limit."""

    def __init__(
        self, limiter: RateLimiter | None, *, max_attempts: int = 5, decay: int = 60
    ) -> None:
        self._limiter = limiter
        self._local = LocalCounter()
        self.max_attempts = max_attempts
        self.decay = decay

    async def blocked_for(self, key: str) -> float:
        """Seconds until ``key`` may try again (0 when it may try now)."""
        if self._limiter is None:
            return self._local.blocked_for(key, self.max_attempts)
        result = await self._limiter.peek(key, self.max_attempts, self.decay)
        return 0.0 if result.allowed else max(result.retry_after, 1.0)

    async def failed(self, key: str) -> None:
        if self._limiter is None:
            self._local.hit(key, self.decay)
        else:
            await self._limiter.hit(key, self.max_attempts, self.decay)

    async def clear(self, key: str) -> None:
        if self._limiter is None:
            self._local.reset(key)
        else:
            await self._limiter.reset(key)
