"""Registers the application's :class:`~foundry.scheduling.Schedule` and the
``schedule:*`` commands.

The schedule is built on first use (a command that needs it, or ``app.make(Schedule)``)
from ``app/schedule.py`` and every provider's ``schedule(app, schedule)`` hook, then
checked: an event whose lock has no ``Cache`` to live in, or whose output has no
``Mailer`` to go through, is an error naming the package to install.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from foundry.domain.provider import ServiceProvider
from foundry.scheduling.schedule import Schedule

if TYPE_CHECKING:
    from foundry.domain.application import Application

__all__ = ["SchedulingServiceProvider"]


class SchedulingServiceProvider(ServiceProvider):
    """The scheduler: a schedule declared in code, run by cron or ``schedule:work``."""

    name = "scheduling"
    provides = (Schedule,)
    commands = (
        "foundry.scheduling.commands.run:ScheduleRunCommand",
        "foundry.scheduling.commands.work:ScheduleWorkCommand",
        "foundry.scheduling.commands.listing:ScheduleListCommand",
        "foundry.scheduling.commands.test:ScheduleTestCommand",
        "foundry.scheduling.commands.clear:ScheduleClearCacheCommand",
        "foundry.scheduling.commands.make:MakeScheduledJobCommand",
    )
    stubs = "foundry.scheduling:stubs"

    def register(self, app: Application) -> None:
        def build(container: Any) -> Schedule:
            from foundry.scheduling.loader import load_schedule

            return load_schedule(app)

        app.singleton(Schedule, build)
