"""The ``database`` readiness check (``/health/ready``, ``health:check``)."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from foundry.domain.database import Database
from foundry.domain.errors import FoundryError
from foundry.domain.health import HealthResult, HealthStatus

if TYPE_CHECKING:
    from foundry.domain.application import Application

__all__ = ["DatabaseHealthCheck"]


class DatabaseHealthCheck:
    """Pings the app's database; critical, so an unreachable database makes the app
    not ready.

    Args:
        app: the application whose ``Database`` is pinged.
        timeout: seconds before the database counts as unreachable.
    """

    name = "database"
    critical = True

    def __init__(self, app: Application, timeout: float = 2.0) -> None:
        self._app = app
        self._timeout = timeout

    async def check(self) -> HealthResult:
        started = time.perf_counter()
        database = self._app.make(Database)
        details = {"url": database.url, "dialect": database.dialect}
        try:
            await database.ping(self._timeout)
        except FoundryError as exc:
            elapsed = (time.perf_counter() - started) * 1000
            return HealthResult(HealthStatus.FAILED, exc.message, details, elapsed)
        elapsed = (time.perf_counter() - started) * 1000
        return HealthResult(HealthStatus.OK, "reachable", details, elapsed)
