"""The checks this package registers on its own, for what the application has bound.

``database``, ``cache`` and ``queue`` are registered only when their contract is bound,
``redis`` only when ``REDIS_URL`` is set; ``disk`` and ``memory`` always. A contract that
is bound but cannot be built (a bad URL, a missing driver) still gets its check, which
fails with the reason, instead of breaking the whole report.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from foundry.domain.application import Application
from foundry.domain.cache import Cache
from foundry.domain.database import Database
from foundry.domain.health import HealthCheck, HealthResult, HealthStatus
from foundry.domain.queue import Queue, QueueDispatcher
from foundry.health.checks import (
    CacheCheck,
    DatabaseCheck,
    DiskCheck,
    MemoryCheck,
    QueueCheck,
    RedisCheck,
)
from foundry.health.runner import describe_error
from foundry.health.settings import HealthSettings

__all__ = ["UnavailableCheck", "builtin_checks"]


class UnavailableCheck:
    """Stands in for a check whose service could not be built; always fails."""

    def __init__(self, name: str, critical: bool, error: Exception) -> None:
        self.name = name
        self.critical = critical
        self.message = describe_error(error)
        self.error = type(error).__name__

    async def check(self) -> HealthResult:
        return HealthResult(HealthStatus.FAILED, self.message, {"error": self.error})


def _build(name: str, critical: bool, factory: Callable[[], HealthCheck]) -> HealthCheck:
    try:
        return factory()
    except Exception as exc:  # the service failed to build: report it as this check
        return UnavailableCheck(name, critical, exc)


def _default_queue(app: Application) -> Any:
    if app.bound(Queue):
        return app.make(Queue)
    return app.make(QueueDispatcher).connection()


def builtin_checks(app: Application, settings: HealthSettings) -> list[HealthCheck]:
    """The checks for ``app`` as it is bound now, configured by ``settings``."""
    timeout = settings.timeout
    checks: list[HealthCheck] = []
    if app.bound(Database):
        checks.append(
            _build("database", True, lambda: DatabaseCheck(app.make(Database), timeout=timeout))
        )
    if app.bound(Cache):
        checks.append(_build("cache", True, lambda: CacheCheck(app.make(Cache), timeout=timeout)))
    if settings.redis_url:
        checks.append(RedisCheck(settings.redis_url, timeout=timeout))
    if app.bound(Queue) or app.bound(QueueDispatcher):
        checks.append(
            _build("queue", False, lambda: QueueCheck(_default_queue(app), timeout=timeout))
        )
    checks.append(
        DiskCheck(
            app.storage_path(),
            min_free=settings.disk_min_free,
            critical_free=settings.disk_critical_free,
            timeout=timeout,
        )
    )
    checks.append(
        MemoryCheck(
            max_used=settings.memory_max_used, max_rss=settings.memory_max_rss, timeout=timeout
        )
    )
    return checks
