"""``database``: a real round trip through the ``Database`` contract."""

from __future__ import annotations

from foundry.domain.database import Database
from foundry.domain.health import HealthResult, HealthStatus

__all__ = ["DatabaseCheck"]


class DatabaseCheck:
    """Runs the database's trivial query (``Database.ping``).

    A configured URL proves nothing; only a query proves the server answers, the
    credentials work and the pool can hand out a connection.
    """

    def __init__(
        self,
        database: Database,
        *,
        name: str = "database",
        critical: bool = True,
        timeout: float = 2.0,
    ) -> None:
        self.database = database
        self.name = name
        self.critical = critical
        self.timeout = timeout

    async def check(self) -> HealthResult:
        await self.database.ping(timeout=self.timeout)
        return HealthResult(
            HealthStatus.OK,
            f"{self.database.dialect} answered",
            {"dialect": self.database.dialect, "url": self.database.url},
        )
