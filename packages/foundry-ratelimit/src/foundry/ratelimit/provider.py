"""The rate limiting package's provider: the limiters, the middleware and the commands."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from foundry.domain.env import REDIS_URL, EnvVar
from foundry.domain.http import MiddlewareSpec, Priority
from foundry.domain.provider import ServiceProvider
from foundry.domain.ratelimit import RateLimiter

if TYPE_CHECKING:
    from foundry.domain.application import Application
    from foundry.ratelimit.registry import LimiterRegistry
    from foundry.ratelimit.settings import RateLimitSettings

__all__ = ["RateLimitServiceProvider"]


class RateLimitServiceProvider(ServiceProvider):
    """Binds :class:`foundry.ratelimit.LimiterRegistry` and ``RateLimiter`` (the default
    algorithm over the configured store, with the fail mode applied), adds the global
    middleware at ``Priority.RATE_LIMIT``, the 429/503 envelopes, and ``rate-limit:reset``
    and ``rate-limit:status``."""

    name = "ratelimit"
    provides = (RateLimiter,)
    commands = (
        "foundry.ratelimit.commands:ResetCommand",
        "foundry.ratelimit.commands:StatusCommand",
    )
    env: ClassVar[tuple[EnvVar, ...]] = (
        EnvVar(
            "RATE_LIMIT_STORE",
            "ratelimit.store",
            "enum",
            "memory",
            choices=("memory", "redis"),
            description="Where counts live: memory (this process) or redis (every instance)",
        ),
        EnvVar(
            "RATE_LIMIT_DEFAULT",
            "ratelimit.default",
            "str",
            "60/minute",
            description="Rate of the default limiter (the middleware's): 60/minute, "
            "5/second, 1000/hour, 10/30s",
        ),
        EnvVar(
            "RATE_LIMIT_ALGORITHM",
            "ratelimit.algorithm",
            "enum",
            "sliding",
            choices=("sliding", "gcra"),
            description="Algorithm of limiters that choose none: sliding (window) or gcra "
            "(token bucket)",
        ),
        EnvVar(
            "RATE_LIMIT_FAIL_MODE",
            "ratelimit.fail_mode",
            "enum",
            "open",
            choices=("open", "closed"),
            description="When the store is down: open (requests pass, a warning is logged) "
            "or closed (503)",
        ),
        EnvVar(
            "RATE_LIMIT_PREFIX",
            "ratelimit.prefix",
            "str",
            "foundry:ratelimit:",
            description="Prefix of every rate limit key in Redis",
        ),
        EnvVar(
            "RATE_LIMIT_REDIS_TIMEOUT",
            "ratelimit.redis_timeout",
            "float",
            0.25,
            description="Seconds any Redis call may take (connecting included) before the "
            "fail mode applies",
        ),
        EnvVar(
            "RATE_LIMIT_MIDDLEWARE",
            "ratelimit.middleware",
            "bool",
            True,
            description="Apply the default limiter to every HTTP request (false: only routes "
            "with a RateLimit dependency are limited)",
        ),
        EnvVar(
            "RATE_LIMIT_EXCEPT",
            "ratelimit.except",
            "list",
            description="Paths the middleware never limits (comma-separated; a trailing * "
            "matches a prefix); unset: /health, /health/* and the metrics path (METRICS_PATH, "
            "else /metrics). /health and /health/* are never limited either way",
        ),
        EnvVar(
            "RATE_LIMIT_MAX_KEYS",
            "ratelimit.max_keys",
            "int",
            100_000,
            description="Most keys the memory store keeps before evicting the least recently used",
        ),
        REDIS_URL,
    )

    def __init__(self) -> None:
        self._settings: RateLimitSettings | None = None
        self._registry: LimiterRegistry | None = None

    def settings(self, app: Application) -> RateLimitSettings:
        """The validated settings (read once)."""
        if self._settings is None:
            from foundry.ratelimit.settings import RateLimitSettings

            self._settings = RateLimitSettings.from_config(app.config)
        return self._settings

    def register(self, app: Application) -> None:
        from foundry.ratelimit.registry import LimiterRegistry

        def registry(_: Any) -> LimiterRegistry:
            from foundry.domain.clock import Clock
            from foundry.ratelimit.factory import build_registry

            clock = app.make(Clock) if app.bound(Clock) else None
            self._registry = build_registry(self.settings(app), clock)
            return self._registry

        app.singleton(LimiterRegistry, registry)
        app.singleton(RateLimiter, lambda c: c.make(LimiterRegistry).fail_safe())

    def boot(self, app: Application) -> None:
        self.settings(app)  # a malformed RATE_LIMIT_* value stops the boot, naming it
        from foundry.ratelimit.registry import LimiterRegistry

        app.make(LimiterRegistry)  # configured limiters and the store extra are checked now

        async def close() -> None:
            if self._registry is not None:
                await self._registry.aclose()

        app.terminating(close)

    def middleware(self, app: Application) -> Iterable[MiddlewareSpec]:
        settings = self.settings(app)
        if not settings.middleware:
            return []
        from foundry.ratelimit.middleware import RateLimitMiddleware

        options = {"application": app, "except_paths": settings.except_paths}
        return [MiddlewareSpec(RateLimitMiddleware, options, Priority.RATE_LIMIT, "ratelimit")]

    def exception_handlers(self, app: Application) -> Mapping[Any, Any]:
        from foundry.ratelimit.errors import RateLimitUnavailable, TooManyRequests
        from foundry.ratelimit.responses import too_many_requests_handler, unavailable_handler

        return {
            TooManyRequests: too_many_requests_handler,
            RateLimitUnavailable: unavailable_handler,
        }
