"""Queue events, dispatched through the bound ``EventDispatcher`` (foundry-command-events).

Listen for them to log, measure or alert::

    events.listen(JobFailed, lambda e: alert(f"{e.name} failed: {e.error}"))

Every event names the connection, the queue, the job id and the job's name (its class or
function); listeners never receive the payload itself, which may hold personal data.
"""

from __future__ import annotations

from dataclasses import dataclass

from foundry.domain.events import Event

__all__ = ["JobEvent", "JobFailed", "JobProcessed", "JobProcessing", "JobQueued", "JobReleased"]


@dataclass(frozen=True, slots=True)
class JobEvent(Event):
    """What every queue event carries."""

    connection: str
    queue: str
    job_id: str
    name: str


@dataclass(frozen=True, slots=True)
class JobQueued(JobEvent):
    """A job was stored on a queue (``delay`` seconds before a worker may take it)."""

    delay: float = 0.0


@dataclass(frozen=True, slots=True)
class JobProcessing(JobEvent):
    """A worker is about to run attempt number ``attempt``."""

    attempt: int = 1


@dataclass(frozen=True, slots=True)
class JobProcessed(JobEvent):
    """An attempt succeeded; the job is done."""

    attempt: int = 1
    duration_ms: float = 0.0


@dataclass(frozen=True, slots=True)
class JobReleased(JobEvent):
    """The job went back on the queue to run again in ``delay`` seconds: an attempt failed
    with tries left (``error`` says how), or a middleware released it (rate limit)."""

    attempt: int = 1
    delay: float = 0.0
    error: str | None = None


@dataclass(frozen=True, slots=True)
class JobFailed(JobEvent):
    """The job used its tries (or failed permanently) and was recorded in ``failed_jobs``."""

    attempt: int = 1
    error: str = ""
    exception: BaseException | None = None
