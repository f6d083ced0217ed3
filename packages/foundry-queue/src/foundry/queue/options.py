"""How a worker runs (the options of ``queue:work``) and what it reports when it stops."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["WorkerOptions", "WorkerReport", "parse_queues"]


@dataclass(frozen=True, slots=True)
class WorkerOptions:
    """How a worker runs (the options of ``queue:work``).

    Attributes:
        queues: queue names in priority order.
        concurrency: jobs run at the same time.
        max_jobs: stop after starting this many jobs.
        max_time: stop taking jobs after this many seconds.
        stop_when_empty: stop once the queues are empty and nothing runs.
        sleep: seconds to wait for work when the queues are empty.
        timeout: seconds a job may run when it sets no ``timeout`` itself (None: no limit).
        tries: attempts for jobs that set no ``tries`` themselves.
        grace: seconds running jobs get to finish after a stop signal (default: timeout).
    """

    queues: tuple[str, ...] = ("default",)
    concurrency: int = 1
    max_jobs: int | None = None
    max_time: float | None = None
    stop_when_empty: bool = False
    sleep: float = 3.0
    timeout: float | None = 60.0
    tries: int = 1
    grace: float | None = None

    @property
    def shutdown_grace(self) -> float:
        if self.grace is not None:
            return self.grace
        return self.timeout if self.timeout else 60.0


@dataclass(slots=True)
class WorkerReport:
    """What a worker did before it stopped, and why it stopped."""

    processed: int = 0
    failed: int = 0
    released: int = 0
    abandoned: int = 0
    reason: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "processed": self.processed,
            "failed": self.failed,
            "released": self.released,
            "abandoned": self.abandoned,
            "stopped": self.reason,
        }


def parse_queues(raw: str | Sequence[str] | None, default: str) -> tuple[str, ...]:
    """``"high,default"`` -> ``("high", "default")`` (duplicates dropped, order kept)."""
    if raw is None or raw == "" or raw == []:
        return (default,)
    items = raw.split(",") if isinstance(raw, str) else [p for r in raw for p in str(r).split(",")]
    seen: dict[str, None] = {}
    for item in items:
        if item.strip():
            seen.setdefault(item.strip(), None)
    return tuple(seen) or (default,)
