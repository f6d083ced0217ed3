"""The errors rate limiting raises, each a narrow subclass of Foundry's hierarchy.

Two of them reach HTTP clients: :class:`TooManyRequests` (429) and
:class:`RateLimitUnavailable` (503, fail-closed). Their messages are written for the
client and never name the store's address; :class:`RateLimitStoreError` carries those
details for logs and the console.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from foundry.domain.errors import ConfigurationError, FoundryError, ServiceUnavailableError

if TYPE_CHECKING:
    from foundry.domain.ratelimit import RateLimitResult

__all__ = [
    "InvalidRateError",
    "RateLimitStoreError",
    "RateLimitUnavailable",
    "TooManyRequests",
    "UnknownLimiterError",
]


class TooManyRequests(FoundryError):
    """A request went over its limit; ``result`` holds what the headers report."""

    code = "TOO_MANY_REQUESTS"
    status = 429

    def __init__(self, message: str, *, result: RateLimitResult, limiter: str) -> None:
        super().__init__(message)
        self.result = result
        self.limiter = limiter


class RateLimitUnavailable(ServiceUnavailableError):
    """The store could not answer and ``RATE_LIMIT_FAIL_MODE=closed`` refuses unchecked
    requests. The message is safe to show to clients."""

    code = "SERVICE_UNAVAILABLE"

    def __init__(self, message: str = "") -> None:
        super().__init__(
            message or "Rate limiting is temporarily unavailable; retry in a few seconds."
        )


class RateLimitStoreError(ServiceUnavailableError):
    """The store (Redis) failed or did not answer within ``RATE_LIMIT_REDIS_TIMEOUT``.

    The message names the store (password masked) and the cause, for logs and commands.
    """

    code = "RATE_LIMIT_STORE_UNAVAILABLE"

    def __init__(self, store: str, cause: str) -> None:
        super().__init__(
            f"Rate limit store {store} failed: {cause}. Check that it is running and "
            "reachable (REDIS_URL), or set RATE_LIMIT_STORE=memory.",
            context={"store": store},
        )
        self.store = store
        self.cause = cause


class InvalidRateError(ConfigurationError):
    """A rate such as ``RATE_LIMIT_DEFAULT`` or ``ratelimit.limiters.<name>`` does not
    parse, or a limit, window or cost is out of range."""

    code = "INVALID_RATE"


class UnknownLimiterError(ConfigurationError):
    """No limiter has this name, in code or in configuration."""

    code = "UNKNOWN_LIMITER"

    def __init__(self, name: str, known: list[str]) -> None:
        listed = ", ".join(known) if known else "none"
        super().__init__(
            f'No rate limiter is named "{name}" (defined: {listed}). Define it in code with '
            f'limiter("{name}").per_minute(60) or in configuration as '
            f'ratelimit.limiters.{name} = "60/minute".',
            context={"limiter": name, "known": known},
        )
        self.name = name
