"""Rate limiting for Foundry: sliding window and GCRA over memory or Redis.

Public names are imported on first use: importing the provider imports this package
first, and the CLI imports every provider at start-up.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from foundry.ratelimit.algorithms import GCRA, SlidingWindow
    from foundry.ratelimit.definitions import (
        Limiter,
        LimiterSpec,
        defined_limiters,
        forget_limiters,
        limiter,
    )
    from foundry.ratelimit.dependency import RateLimit, rate_limit
    from foundry.ratelimit.errors import (
        InvalidRateError,
        RateLimitStoreError,
        RateLimitUnavailable,
        TooManyRequests,
        UnknownLimiterError,
    )
    from foundry.ratelimit.identity import client_identity
    from foundry.ratelimit.limiters import FailSafeRateLimiter, StoreRateLimiter
    from foundry.ratelimit.middleware import RateLimitMiddleware
    from foundry.ratelimit.policy import FailurePolicy
    from foundry.ratelimit.provider import RateLimitServiceProvider
    from foundry.ratelimit.rates import Rate
    from foundry.ratelimit.registry import LimiterRegistry, ResolvedLimit
    from foundry.ratelimit.responses import rate_limit_headers
    from foundry.ratelimit.settings import RateLimitSettings
    from foundry.ratelimit.stores import MemoryStore, RedisStore, Store

__version__ = "0.1.0"

__all__ = [
    "GCRA",
    "FailSafeRateLimiter",
    "FailurePolicy",
    "InvalidRateError",
    "Limiter",
    "LimiterRegistry",
    "LimiterSpec",
    "MemoryStore",
    "Rate",
    "RateLimit",
    "RateLimitMiddleware",
    "RateLimitServiceProvider",
    "RateLimitSettings",
    "RateLimitStoreError",
    "RateLimitUnavailable",
    "RedisStore",
    "ResolvedLimit",
    "SlidingWindow",
    "Store",
    "StoreRateLimiter",
    "TooManyRequests",
    "UnknownLimiterError",
    "__version__",
    "client_identity",
    "defined_limiters",
    "forget_limiters",
    "limiter",
    "rate_limit",
    "rate_limit_headers",
]

_HOMES = {
    "GCRA": "algorithms",
    "SlidingWindow": "algorithms",
    "Limiter": "definitions",
    "LimiterSpec": "definitions",
    "defined_limiters": "definitions",
    "forget_limiters": "definitions",
    "limiter": "definitions",
    "RateLimit": "dependency",
    "rate_limit": "dependency",
    "InvalidRateError": "errors",
    "RateLimitStoreError": "errors",
    "RateLimitUnavailable": "errors",
    "TooManyRequests": "errors",
    "UnknownLimiterError": "errors",
    "client_identity": "identity",
    "FailSafeRateLimiter": "limiters",
    "StoreRateLimiter": "limiters",
    "RateLimitMiddleware": "middleware",
    "FailurePolicy": "policy",
    "RateLimitServiceProvider": "provider",
    "Rate": "rates",
    "LimiterRegistry": "registry",
    "ResolvedLimit": "registry",
    "rate_limit_headers": "responses",
    "RateLimitSettings": "settings",
    "MemoryStore": "stores",
    "RedisStore": "stores",
    "Store": "stores",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value
