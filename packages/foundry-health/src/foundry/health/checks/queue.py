"""``queue``: ask the default queue connection how many jobs wait."""

from __future__ import annotations

from foundry.domain.health import HealthResult, HealthStatus
from foundry.domain.queue import Queue

__all__ = ["QueueCheck"]


class QueueCheck:
    """Calls ``Queue.size()`` on the default queue: a real read from the queue's backend
    (its table, its Redis list), and the backlog as a detail worth graphing."""

    def __init__(
        self,
        queue: Queue,
        *,
        queue_name: str = "default",
        name: str = "queue",
        critical: bool = False,
        timeout: float = 2.0,
    ) -> None:
        self.queue = queue
        self.queue_name = queue_name
        self.name = name
        self.critical = critical
        self.timeout = timeout

    async def check(self) -> HealthResult:
        size = await self.queue.size(self.queue_name)
        noun = "job" if size == 1 else "jobs"
        return HealthResult(
            HealthStatus.OK,
            f"{size} {noun} waiting on {self.queue_name!r}",
            {"queue": self.queue_name, "size": size, "connection": type(self.queue).__name__},
        )
