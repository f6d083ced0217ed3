"""The health package's settings, read once from the configuration and checked at boot.

A malformed threshold stops the boot with the variable's name instead of surfacing, much
later, as a readiness probe that fails for a reason nobody can see.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from foundry.domain.config import ConfigRepository
from foundry.domain.errors import ConfigurationError
from foundry.health.thresholds import Threshold

__all__ = ["DEFAULTS", "HealthSettings"]

DEFAULTS: dict[str, Any] = {
    "timeout": 2.0,
    "disk_min_free": "1GB",
    "disk_critical_free": "100MB",
    "memory_max_used": 90.0,
    "memory_max_rss": None,
    "redis_url": None,
}

_VARIABLES = {
    "timeout": "HEALTH_TIMEOUT",
    "disk_min_free": "HEALTH_DISK_MIN_FREE",
    "disk_critical_free": "HEALTH_DISK_CRITICAL_FREE",
    "memory_max_used": "HEALTH_MEMORY_MAX_USED",
    "memory_max_rss": "HEALTH_MEMORY_MAX_RSS",
}

_MIN_FREE = Threshold.parse(DEFAULTS["disk_min_free"])
_CRITICAL_FREE = Threshold.parse(DEFAULTS["disk_critical_free"])


def _positive_number(field: str, value: Any, *, upper: float | None = None) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ConfigurationError(
            f"{_VARIABLES[field]}={value} is not a number; set it to e.g. "
            f"{DEFAULTS[field]} or remove it to use the default."
        ) from None
    if number <= 0 or (upper is not None and number > upper):
        limit = f" and at most {upper:g}" if upper is not None else ""
        raise ConfigurationError(f"{_VARIABLES[field]}={value} must be above 0{limit}.")
    return number


def _threshold(field: str, value: Any) -> Threshold:
    try:
        return Threshold.parse(value)
    except ValueError as exc:
        raise ConfigurationError(
            f"{_VARIABLES[field]}={value} {exc}; set it to e.g. {DEFAULTS[field]}."
        ) from None


@dataclass(frozen=True, slots=True)
class HealthSettings:
    """What the built-in checks need to know.

    Attributes:
        timeout: seconds each check may take before it is reported as failed.
        disk_min_free: below this the ``disk`` check is degraded.
        disk_critical_free: below this the ``disk`` check fails (the app is not ready).
        memory_max_used: system memory use (percent) above which ``memory`` is degraded.
        memory_max_rss: the process's resident memory above which ``memory`` is degraded
            (bytes, or a share of the machine's memory); None for no limit.
        redis_url: the Redis server the ``redis`` check pings; None leaves the check out.
    """

    timeout: float = 2.0
    disk_min_free: Threshold = _MIN_FREE
    disk_critical_free: Threshold = _CRITICAL_FREE
    memory_max_used: float = 90.0
    memory_max_rss: Threshold | None = None
    redis_url: str | None = None

    @classmethod
    def from_config(cls, config: ConfigRepository) -> HealthSettings:
        """Read ``health.*`` and ``redis.url``; raises ConfigurationError naming the
        variable when a value does not parse."""

        def value(field: str) -> Any:
            found = config.get(f"health.{field}")
            return DEFAULTS[field] if found is None or found == "" else found

        rss = value("memory_max_rss")
        redis_url = config.get("redis.url")
        return cls(
            timeout=_positive_number("timeout", value("timeout")),
            disk_min_free=_threshold("disk_min_free", value("disk_min_free")),
            disk_critical_free=_threshold("disk_critical_free", value("disk_critical_free")),
            memory_max_used=_positive_number(
                "memory_max_used", value("memory_max_used"), upper=100
            ),
            memory_max_rss=None if rss is None else _threshold("memory_max_rss", rss),
            redis_url=str(redis_url) if redis_url else None,
        )
