"""Limiters: an algorithm over a store, behind the ``RateLimiter`` contract."""

from __future__ import annotations

from foundry.domain.ratelimit import RateLimitResult
from foundry.ratelimit.algorithms import Algorithm, algorithm
from foundry.ratelimit.errors import RateLimitStoreError
from foundry.ratelimit.policy import FailurePolicy
from foundry.ratelimit.rates import check_cost, check_limit, check_window
from foundry.ratelimit.stores.base import Store

__all__ = ["FailSafeRateLimiter", "StoreRateLimiter"]


class StoreRateLimiter:
    """Implements :class:`foundry.domain.ratelimit.RateLimiter` with one algorithm over one
    store. Store failures raise :class:`RateLimitStoreError`.

    Args:
        store: where counts live (``MemoryStore`` or ``RedisStore``).
        algorithm: ``"sliding"`` (default) or ``"gcra"``, or an algorithm object.
    """

    def __init__(self, store: Store, algorithm_: Algorithm | str = "sliding") -> None:
        self.store = store
        self.algorithm = algorithm(algorithm_) if isinstance(algorithm_, str) else algorithm_

    async def hit(self, key: str, limit: int, window: float, cost: int = 1) -> RateLimitResult:
        """Count ``cost`` hits for ``key`` if they fit in ``limit`` per ``window`` seconds;
        hits that do not fit are refused and not counted."""
        check_limit(limit)
        check_cost(cost)
        window = check_window(window)
        return await self.store.apply(key, self.algorithm, limit, window, cost, True)

    async def peek(self, key: str, limit: int, window: float) -> RateLimitResult:
        """Whether one more hit would be allowed, and what remains, counting nothing."""
        check_limit(limit)
        window = check_window(window)
        return await self.store.apply(key, self.algorithm, limit, window, 1, False)

    async def reset(self, key: str) -> None:
        """Forget every hit counted for ``key``."""
        await self.store.delete(key)

    def __repr__(self) -> str:
        return f"<StoreRateLimiter {self.algorithm.name} on {self.store.label}>"


class FailSafeRateLimiter:
    """A limiter that applies ``RATE_LIMIT_FAIL_MODE`` when its store fails.

    Fail-open answers "allowed" (with the full limit remaining) and logs a warning at most
    once per interval; fail-closed raises :class:`RateLimitUnavailable` (503). ``reset``
    always reports a failure: an administrator asked for it and must know it did not
    happen.
    """

    def __init__(self, inner: StoreRateLimiter, policy: FailurePolicy) -> None:
        self.inner = inner
        self.policy = policy

    @property
    def store(self) -> Store:
        return self.inner.store

    async def hit(self, key: str, limit: int, window: float, cost: int = 1) -> RateLimitResult:
        try:
            return await self.inner.hit(key, limit, window, cost)
        except RateLimitStoreError as exc:
            self.policy.failed(exc)
            return RateLimitResult(True, limit, limit, 0.0)

    async def peek(self, key: str, limit: int, window: float) -> RateLimitResult:
        try:
            return await self.inner.peek(key, limit, window)
        except RateLimitStoreError as exc:
            self.policy.failed(exc)
            return RateLimitResult(True, limit, limit, 0.0)

    async def reset(self, key: str) -> None:
        await self.inner.reset(key)

    def __repr__(self) -> str:
        return f"<FailSafeRateLimiter fail-{self.policy.mode} {self.inner!r}>"
