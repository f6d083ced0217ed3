"""How one run of a scheduled event ended: what ``schedule:run`` reports for each event."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

__all__ = ["EventOutcome", "EventStatus", "RunReport"]


class EventStatus(enum.StrEnum):
    SUCCESS = "success"
    FAILURE = "failure"
    SKIPPED = "skipped"


@dataclass(frozen=True, slots=True)
class EventOutcome:
    """One event in one minute: ran (and how it ended) or skipped (and why).

    Hooks may ask for it by type (``def alert(outcome: EventOutcome)``).

    Attributes:
        name: the event's display name (``schedule:test --name``).
        summary: its description, or the name.
        expression: its cron expression.
        minute: the scheduled minute (UTC) this run belongs to.
        status: success, failure or skipped.
        exit_code: the command's exit code (1 for a failed callable or job, 0 otherwise).
        output: the text the task produced (a command's captured output, the text a
            callable returned), with the failure's reason appended when it did not say.
        error: the one-line reason of a failure.
        reason: why a skipped event did not run.
        duration_ms: wall time of the task and its hooks.
        background: whether it ran in the background.
        exception: the exception behind a failure, for logging; not part of equality.
    """

    name: str
    summary: str
    expression: str
    minute: datetime
    status: EventStatus
    exit_code: int = 0
    output: str = ""
    error: str | None = None
    reason: str | None = None
    duration_ms: float = 0.0
    background: bool = False
    exception: BaseException | None = field(default=None, repr=False, compare=False)

    @property
    def ok(self) -> bool:
        """False only for a failure (a skipped event is not a failure)."""
        return self.status is not EventStatus.FAILURE

    @property
    def ran(self) -> bool:
        return self.status is not EventStatus.SKIPPED

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "summary": self.summary,
            "expression": self.expression,
            "minute": self.minute.isoformat(),
            "status": self.status.value,
            "exit_code": self.exit_code,
            "output": self.output,
            "error": self.error,
            "reason": self.reason,
            "duration_ms": round(self.duration_ms, 3),
            "background": self.background,
        }


@dataclass(frozen=True, slots=True)
class RunReport:
    """Every outcome of one minute's run, in the order the events were declared."""

    minute: datetime
    outcomes: tuple[EventOutcome, ...] = ()

    @property
    def ran(self) -> tuple[EventOutcome, ...]:
        return tuple(o for o in self.outcomes if o.ran)

    @property
    def skipped(self) -> tuple[EventOutcome, ...]:
        return tuple(o for o in self.outcomes if not o.ran)

    @property
    def failed(self) -> tuple[EventOutcome, ...]:
        return tuple(o for o in self.outcomes if not o.ok)

    @property
    def ok(self) -> bool:
        return not self.failed

    def to_dict(self) -> dict[str, Any]:
        return {
            "minute": self.minute.isoformat(),
            "ran": len(self.ran),
            "failed": len(self.failed),
            "skipped": len(self.skipped),
            "events": [o.to_dict() for o in self.outcomes],
        }
