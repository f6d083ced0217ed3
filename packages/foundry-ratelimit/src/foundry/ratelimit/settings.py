"""The rate limiter's settings, read from configuration once and checked at boot.

A malformed ``RATE_LIMIT_DEFAULT`` or a ``redis`` store without ``REDIS_URL`` stops the
boot naming the variable, instead of surfacing as the first request's 500.

Unless ``RATE_LIMIT_EXCEPT`` says otherwise, the middleware leaves the health routes and the
metrics endpoint alone: a load balancer's probes and Prometheus's scrapes come from a few
addresses every few seconds and would otherwise be refused with 429.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from foundry.domain.config import ConfigRepository
from foundry.domain.errors import ConfigurationError
from foundry.ratelimit.algorithms import algorithm as find_algorithm
from foundry.ratelimit.policy import FAIL_MODES, FailMode
from foundry.ratelimit.rates import Rate

__all__ = ["DEFAULTS", "STORES", "RateLimitSettings", "default_except_paths"]

STORES = ("memory", "redis")
DEFAULTS: dict[str, Any] = {
    "store": "memory",
    "default": "60/minute",
    "algorithm": "sliding",
    "fail_mode": "open",
    "prefix": "foundry:ratelimit:",
    "redis_timeout": 0.25,
    "middleware": True,
    "max_keys": 100_000,
}
METRICS_PATH = "/metrics"
"""Where the metrics endpoint is when ``METRICS_PATH`` (``metrics.path``) is not set."""


def default_except_paths(config: ConfigRepository) -> tuple[str, ...]:
    """``RATE_LIMIT_EXCEPT`` when unset: ``/health``, ``/health/*`` and the metrics path
    (``metrics.path`` when set, else ``/metrics``)."""
    metrics = config.get("metrics.path")
    path = str(metrics).strip() if metrics else ""
    return ("/health", "/health/*", path or METRICS_PATH)


def _number(name: str, value: Any, *, integer: bool = False) -> float:
    try:
        number = int(value) if integer else float(value)
    except (TypeError, ValueError):
        kind = "a whole number" if integer else "a number"
        raise ConfigurationError(f"{name}={value!r} is not {kind}.") from None
    if number <= 0:
        raise ConfigurationError(f"{name}={value!r} must be above 0.")
    return number


def _choice(name: str, value: Any, choices: tuple[str, ...]) -> str:
    text = str(value).strip().lower()
    if text not in choices:
        raise ConfigurationError(f"{name}={value!r} is not one of {', '.join(choices)}.")
    return text


@dataclass(frozen=True, slots=True)
class RateLimitSettings:
    """Everything the provider builds from.

    Attributes:
        store: ``memory`` (per process) or ``redis`` (shared).
        default: the ``default`` limiter's rate.
        algorithm: of limiters that do not choose one.
        fail_mode: ``open`` or ``closed`` when the store is down.
        prefix: before every Redis key.
        redis_url: the Redis server (``REDIS_URL``), required by the ``redis`` store.
        redis_timeout: seconds any Redis call may take.
        middleware: whether the global middleware is installed.
        except_paths: paths the middleware never limits (the health routes always
            included); by default also the metrics path.
        max_keys: the memory store's bound.
        limiters: ``ratelimit.limiters`` as configured (validated by the registry).
    """

    store: str = "memory"
    default: Rate = field(default_factory=lambda: Rate(60, 60))
    algorithm: str = "sliding"
    fail_mode: FailMode = "open"
    prefix: str = "foundry:ratelimit:"
    redis_url: str | None = None
    redis_timeout: float = 0.25
    middleware: bool = True
    except_paths: tuple[str, ...] = ("/health", "/health/*", METRICS_PATH)
    max_keys: int = 100_000
    limiters: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def from_config(cls, config: ConfigRepository) -> RateLimitSettings:
        """Read ``ratelimit.*`` and ``redis.url``.

        Raises:
            ConfigurationError: a value does not parse, naming its variable.
        """

        def value(key: str) -> Any:
            found = config.get(f"ratelimit.{key}")
            return DEFAULTS[key] if found is None or found == "" else found

        store = _choice("RATE_LIMIT_STORE", value("store"), STORES)
        redis_url = config.get("redis.url")
        if store == "redis" and not redis_url:
            raise ConfigurationError(
                "RATE_LIMIT_STORE=redis needs REDIS_URL (e.g. redis://127.0.0.1:6379/0); "
                "set it, or use RATE_LIMIT_STORE=memory for a single process."
            )
        excepted = config.get("ratelimit.except")
        if excepted is None or excepted == "":
            excepted = default_except_paths(config)
        excepted = [excepted] if isinstance(excepted, str) else list(excepted)
        limiters = config.get("ratelimit.limiters") or {}
        if not isinstance(limiters, Mapping):
            raise ConfigurationError(
                'ratelimit.limiters must be a table of name = "rate" entries, e.g. '
                'search = "100/minute".'
            )
        mode = _choice("RATE_LIMIT_FAIL_MODE", value("fail_mode"), FAIL_MODES)
        middleware = value("middleware")
        if isinstance(middleware, str):
            from foundry.domain.env import parse_bool

            try:
                middleware = parse_bool(middleware)
            except ValueError as exc:
                raise ConfigurationError(f"RATE_LIMIT_MIDDLEWARE={middleware!r} {exc}.") from None
        return cls(
            store=store,
            default=Rate.parse(str(value("default")), where="RATE_LIMIT_DEFAULT"),
            algorithm=find_algorithm(str(value("algorithm")), "RATE_LIMIT_ALGORITHM").name,
            fail_mode="open" if mode == "open" else "closed",
            prefix=str(value("prefix")),
            redis_url=str(redis_url) if redis_url else None,
            redis_timeout=_number("RATE_LIMIT_REDIS_TIMEOUT", value("redis_timeout")),
            middleware=bool(middleware),
            except_paths=tuple(str(p).strip() for p in excepted if str(p).strip()),
            max_keys=int(_number("RATE_LIMIT_MAX_KEYS", value("max_keys"), integer=True)),
            limiters=dict(limiters),
        )
