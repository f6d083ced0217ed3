"""The health package's provider: built-in checks, the runner, routes and ``doctor``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, ClassVar

from foundry.domain.cache import Cache
from foundry.domain.database import Database
from foundry.domain.env import REDIS_URL, EnvVar
from foundry.domain.provider import ServiceProvider
from foundry.domain.queue import Queue, QueueDispatcher

if TYPE_CHECKING:
    from foundry.domain.application import Application
    from foundry.domain.health import HealthCheck
    from foundry.health.settings import HealthSettings

__all__ = ["HealthServiceProvider"]


class HealthServiceProvider(ServiceProvider):
    """Binds :class:`foundry.health.HealthRunner` over every provider's checks, mounts
    ``GET /health`` and ``GET /health/ready`` and adds ``health:check`` (``doctor``)."""

    name = "health"
    after = (Database, Cache, Queue, QueueDispatcher)
    commands = ("foundry.health.commands:HealthCheckCommand",)
    env: ClassVar[tuple[EnvVar, ...]] = (
        EnvVar(
            "HEALTH_TIMEOUT",
            "health.timeout",
            "float",
            2.0,
            description="Seconds each health check may take before it counts as failed",
        ),
        EnvVar(
            "HEALTH_DISK_MIN_FREE",
            "health.disk_min_free",
            "str",
            "1GB",
            description="Free space in storage/ below which the disk check is degraded "
            "(500MB, 2GiB or 10%)",
        ),
        EnvVar(
            "HEALTH_DISK_CRITICAL_FREE",
            "health.disk_critical_free",
            "str",
            "100MB",
            description="Free space in storage/ below which the disk check fails",
        ),
        EnvVar(
            "HEALTH_MEMORY_MAX_USED",
            "health.memory_max_used",
            "float",
            90.0,
            description="System memory use (percent) above which the memory check is degraded",
        ),
        EnvVar(
            "HEALTH_MEMORY_MAX_RSS",
            "health.memory_max_rss",
            "str",
            description="Process memory (512MB or 25%) above which the memory check is "
            "degraded; unset for no limit",
        ),
        REDIS_URL,
    )

    def __init__(self) -> None:
        self._settings: HealthSettings | None = None

    def settings(self, app: Application) -> HealthSettings:
        """The validated settings (read once)."""
        if self._settings is None:
            from foundry.health.settings import HealthSettings

            self._settings = HealthSettings.from_config(app.config)
        return self._settings

    def register(self, app: Application) -> None:
        from foundry.health.runner import HealthRunner

        def build(_: Any) -> HealthRunner:
            from foundry.health.collect import collect_checks

            return HealthRunner(
                lambda: collect_checks(app, HealthServiceProvider),
                timeout=self.settings(app).timeout,
            )

        app.singleton(HealthRunner, build)

    def boot(self, app: Application) -> None:
        self.settings(app)  # a malformed HEALTH_* value stops the boot, naming the variable

    def health_checks(self, app: Application) -> Iterable[HealthCheck]:
        from foundry.health.builtin import builtin_checks

        return builtin_checks(app, self.settings(app))

    def routes(self, app: Application) -> Iterable[Any]:
        from foundry.health.routes import health_router

        return [health_router(app)]
