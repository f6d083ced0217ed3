"""The maintenance package's provider: ``down``/``up`` and the 503 middleware."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, ClassVar

from foundry.domain.cache import Cache
from foundry.domain.env import EnvVar
from foundry.domain.http import MiddlewareSpec, Priority
from foundry.domain.provider import ServiceProvider

if TYPE_CHECKING:
    from foundry.domain.application import Application

__all__ = ["MaintenanceServiceProvider"]


class MaintenanceServiceProvider(ServiceProvider):
    """Binds :class:`foundry.maintenance.MaintenanceMode` (state in the shared ``Cache``
    when one is bound, else ``storage/framework/down``), adds ``down`` and ``up``, and
    the middleware at ``Priority.MAINTENANCE``."""

    name = "maintenance"
    after = (Cache,)
    commands = (
        "foundry.maintenance.commands:DownCommand",
        "foundry.maintenance.commands:UpCommand",
    )
    env: ClassVar[tuple[EnvVar, ...]] = (
        EnvVar(
            "MAINTENANCE_CACHE_TTL",
            "maintenance.cache_ttl",
            "float",
            1.0,
            description="Seconds each instance reuses the maintenance state it read; a "
            "`down` reaches every instance within this time (0: read on every request)",
        ),
        EnvVar(
            "MAINTENANCE_EXCEPT",
            "maintenance.except",
            "list",
            description="Paths served during maintenance besides /health (comma-separated; "
            "a trailing * matches a prefix, e.g. /webhooks/*)",
        ),
    )

    def register(self, app: Application) -> None:
        from foundry.maintenance.mode import MaintenanceMode

        app.singleton(MaintenanceMode, lambda _: MaintenanceMode.for_app(app))

    def middleware(self, app: Application) -> Iterable[MiddlewareSpec]:
        from foundry.maintenance.middleware import MaintenanceMiddleware

        options: dict[str, Any] = {"application": app}
        return [MiddlewareSpec(MaintenanceMiddleware, options, Priority.MAINTENANCE, "maintenance")]
