"""Building the registry (and its store) from settings."""

from __future__ import annotations

from foundry.domain.clock import Clock, SystemClock
from foundry.ratelimit.policy import FailurePolicy
from foundry.ratelimit.registry import LimiterRegistry
from foundry.ratelimit.settings import RateLimitSettings
from foundry.ratelimit.stores.base import Store
from foundry.ratelimit.stores.memory import MemoryStore

__all__ = ["build_registry", "build_store"]


def build_store(settings: RateLimitSettings, clock: Clock | None = None) -> Store:
    """The store ``RATE_LIMIT_STORE`` names.

    Raises:
        MissingDependencyError: ``redis`` without the ``redis`` extra installed.
    """
    if settings.store == "redis" and settings.redis_url:
        from foundry.ratelimit.stores.redis import RedisStore

        return RedisStore(
            settings.redis_url, prefix=settings.prefix, timeout=settings.redis_timeout
        )
    return MemoryStore(clock=clock, max_keys=settings.max_keys)


def build_registry(settings: RateLimitSettings, clock: Clock | None = None) -> LimiterRegistry:
    """The application's limiters over the configured store and fail mode."""
    clock = clock or SystemClock()
    return LimiterRegistry(
        build_store(settings, clock),
        default_rate=settings.default,
        algorithm=settings.algorithm,
        policy=FailurePolicy(settings.fail_mode, clock=clock),
        configured=settings.limiters,
    )
