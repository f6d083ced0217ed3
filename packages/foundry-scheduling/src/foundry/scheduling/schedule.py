"""The schedule: every recurring task of the application, declared in code.

The app declares its tasks in ``app/schedule.py`` (Laravel's ``routes/console.php``)::

    from app.scheduled.prune_reports import PruneReports

    def schedule(schedule):
        schedule.command("cache:prune", force=True).daily()
        schedule.call(PruneReports).every_five_minutes()
        schedule.job(SendDigest(list_id=7)).weekly_on("monday", "8:00")

and every provider may add its own through its ``schedule(app, schedule)`` hook. The
provider builds one :class:`Schedule` per application, lazily, from both.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, Any

from foundry.domain.commands import Command
from foundry.scheduling.cron import zone
from foundry.scheduling.errors import ScheduleError
from foundry.scheduling.event import Event
from foundry.scheduling.tasks import CallableTask, CommandTask, JobTask, Task

if TYPE_CHECKING:
    from foundry.domain.application import Application

__all__ = ["Schedule"]


class Schedule:
    """The list of scheduled events (Laravel's ``Schedule``).

    Args:
        timezone: the timezone events read their times in unless they call
            ``.timezone(...)``; the provider passes ``APP_TIMEZONE``.
    """

    def __init__(self, *, timezone: str | tzinfo = "UTC") -> None:
        self._timezone = zone(timezone, where="as the schedule's default (APP_TIMEZONE)")
        self._events: list[Event] = []
        self._origin = ""

    @property
    def timezone(self) -> tzinfo:
        """The default timezone of new events."""
        return self._timezone

    @property
    def events(self) -> tuple[Event, ...]:
        """Every event, in declaration order."""
        return tuple(self._events)

    def command(
        self,
        command: str | type[Command],
        params: Mapping[str, Any] | None = None,
        /,
        **options: Any,
    ) -> Event:
        """Schedule a console command by name (or class).

        Parameters go as keywords, exactly as for ``CommandCaller.call``:
        ``schedule.command("cache:prune", force=True)`` (``force``, ``dry_run``,
        ``format`` and ``verbosity`` are the global flags); an option with one of those
        names goes in the ``params`` mapping.
        """
        return self._add(CommandTask(command, params, options))

    def call(self, callback: Callable[..., Any], /, **parameters: Any) -> Event:
        """Schedule a callable: a function or coroutine function, a callable object, or an
        invokable class (built by the container at each run, as ``make:scheduled-job``
        generates). Parameters are injected by type hint; ``parameters`` fixes some by
        name."""
        return self._add(CallableTask(callback, parameters))

    def job(self, job: Any, /, *, queue: str | None = None, connection: str | None = None) -> Event:
        """Schedule a queued job instance: dispatched through the ``QueueDispatcher`` when
        one is bound, otherwise handled in the scheduler's own process."""
        return self._add(JobTask(job, queue=queue, connection=connection))

    def _add(self, task: Task) -> Event:
        event = Event(task, timezone=self._timezone, origin=self._origin)
        self._events.append(event)
        return event

    @contextmanager
    def declaring_from(self, origin: str) -> Iterator[None]:
        """Label the events declared inside the block with where they come from."""
        previous, self._origin = self._origin, origin
        try:
            yield
        finally:
            self._origin = previous

    def due_events(self, minute: datetime) -> list[Event]:
        """The events whose time (expression and windows) has come in ``minute``."""
        return [event for event in self._events if event.is_due_at(minute)]

    def matching(self, name: str) -> list[Event]:
        """Events whose name, description or task is ``name``; failing that, those that
        contain it (case-insensitive)."""
        wanted = name.strip().lower()

        def labels(event: Event) -> tuple[str, ...]:
            return tuple(
                label.lower() for label in (event.display_name, event.summary, event.task.summary)
            )

        exact = [event for event in self._events if wanted in labels(event)]
        if exact:
            return exact
        return [e for e in self._events if any(wanted in label for label in labels(e))]

    def validate(self, app: Application) -> None:
        """Check that the application has what every event needs.

        Raises:
            ScheduleError: listing every problem (a lock with no ``Cache``, an e-mail with
                no ``Mailer``, an unknown command ...), each with its fix.
        """
        problems = [problem for event in self._events for problem in event.problems(app)]
        if problems:
            raise ScheduleError(
                "The schedule cannot run. " + " ".join(problems),
                context={"problems": problems},
            )

    def __len__(self) -> int:
        return len(self._events)

    def __iter__(self) -> Iterator[Event]:
        return iter(tuple(self._events))

    def __repr__(self) -> str:
        return f"<Schedule {len(self._events)} event(s), timezone {self._timezone}>"
