"""Events fired through the ``EventDispatcher`` contract (foundry-command-events) as the
scheduler works — Laravel's ``ScheduledTaskStarting``/``Finished``/``Failed``/``Skipped``.

Listen to them to record when each task last ran (a health check that alerts when the
nightly backup has not run), to time tasks, or to page someone on a failure. A listener's
failure is the dispatcher's to log; it never stops the schedule.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from foundry.domain.events import Event
from foundry.scheduling.outcome import EventOutcome

__all__ = [
    "ScheduledTaskFailed",
    "ScheduledTaskFinished",
    "ScheduledTaskSkipped",
    "ScheduledTaskStarting",
]


@dataclass(frozen=True, slots=True)
class ScheduledTaskStarting(Event):
    """An event's task is about to run (its ``before`` hooks first)."""

    name: str
    summary: str
    minute: datetime
    background: bool = False


@dataclass(frozen=True, slots=True)
class ScheduledTaskFinished(Event):
    """An event ran and succeeded; ``outcome`` holds its output and duration."""

    outcome: EventOutcome


@dataclass(frozen=True, slots=True)
class ScheduledTaskFailed(Event):
    """An event failed (its task, a hook, a condition or its output's delivery)."""

    outcome: EventOutcome


@dataclass(frozen=True, slots=True)
class ScheduledTaskSkipped(Event):
    """An event was due but did not run; ``outcome.reason`` says why."""

    outcome: EventOutcome
