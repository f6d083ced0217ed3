"""Foundry's task scheduler: a cron-style schedule declared in code.

The application declares its recurring tasks in ``app/schedule.py`` (and providers in
their ``schedule(app, schedule)`` hook); ``schedule:run`` (cron, every minute) or
``schedule:work`` (a foreground worker) runs what is due; ``schedule:list`` shows it.

The public names are imported on first use: the CLI imports every provider module at
start-up, and importing the provider imports this package first, so it must stay cheap.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from foundry.scheduling.cron import CronExpression, floor_minute
    from foundry.scheduling.errors import CronExpressionError, ScheduleError
    from foundry.scheduling.event import Event
    from foundry.scheduling.events import (
        ScheduledTaskFailed,
        ScheduledTaskFinished,
        ScheduledTaskSkipped,
        ScheduledTaskStarting,
    )
    from foundry.scheduling.frequencies import TimeWindow
    from foundry.scheduling.loader import load_schedule
    from foundry.scheduling.outcome import EventOutcome, EventStatus, RunReport
    from foundry.scheduling.runner import ScheduleRunner
    from foundry.scheduling.schedule import Schedule
    from foundry.scheduling.tasks import CallableTask, CommandTask, JobTask, Task, TaskResult
    from foundry.scheduling.worker import AsyncioSleeper, ScheduleWorker, Sleeper, WorkSummary

__version__ = "0.1.0"

__all__ = [
    "AsyncioSleeper",
    "CallableTask",
    "CommandTask",
    "CronExpression",
    "CronExpressionError",
    "Event",
    "EventOutcome",
    "EventStatus",
    "JobTask",
    "RunReport",
    "Schedule",
    "ScheduleError",
    "ScheduleRunner",
    "ScheduleWorker",
    "ScheduledTaskFailed",
    "ScheduledTaskFinished",
    "ScheduledTaskSkipped",
    "ScheduledTaskStarting",
    "Sleeper",
    "Task",
    "TaskResult",
    "TimeWindow",
    "WorkSummary",
    "__version__",
    "floor_minute",
    "load_schedule",
]

_HOMES = {
    "AsyncioSleeper": "worker",
    "CallableTask": "tasks",
    "CommandTask": "tasks",
    "CronExpression": "cron",
    "CronExpressionError": "errors",
    "Event": "event",
    "EventOutcome": "outcome",
    "EventStatus": "outcome",
    "JobTask": "tasks",
    "RunReport": "outcome",
    "Schedule": "schedule",
    "ScheduleError": "errors",
    "ScheduleRunner": "runner",
    "ScheduleWorker": "worker",
    "ScheduledTaskFailed": "events",
    "ScheduledTaskFinished": "events",
    "ScheduledTaskSkipped": "events",
    "ScheduledTaskStarting": "events",
    "Sleeper": "worker",
    "Task": "tasks",
    "TaskResult": "tasks",
    "TimeWindow": "frequencies",
    "WorkSummary": "worker",
    "floor_minute": "cron",
    "load_schedule": "loader",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value
