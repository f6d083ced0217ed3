"""Running the events that are due: locks, conditions, hooks, output, outcomes.

One minute's run (what ``schedule:run`` does, and ``schedule:work`` every minute):

1. take the events whose time has come (expression, timezone, ``between`` windows);
2. for each, in declaration order: check ``environments``/``when``/``skip``; take the
   one-server lock for this minute (the first server to take it runs the event; the lock is
   left to expire, so a server whose clock runs late cannot run it again); take the
   overlap lock (held until the run ends);
3. run it — the ``before`` hooks, then the task — and wait for it, unless it runs in
   the background;
4. write its output to the file, e-mail it, then call the ``after``/``on_success``/
   ``on_failure`` hooks in the order they were declared.

``ScheduledTaskStarting``/``Finished``/``Failed``/``Skipped`` are dispatched through the
``EventDispatcher`` contract when one is bound.

A failing task, hook or delivery never stops the run: it makes that event's outcome a
failure, reported with its reason, and the next event runs.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from foundry.domain.cache import Cache, Lock
from foundry.domain.clock import Clock
from foundry.domain.events import Event as DomainEvent
from foundry.domain.events import EventDispatcher
from foundry.scheduling.cron import floor_minute
from foundry.scheduling.delivery import deliver_output
from foundry.scheduling.errors import reason_of
from foundry.scheduling.events import (
    ScheduledTaskFailed,
    ScheduledTaskFinished,
    ScheduledTaskSkipped,
    ScheduledTaskStarting,
)
from foundry.scheduling.invoke import callable_label, invoke
from foundry.scheduling.outcome import EventOutcome, EventStatus, RunReport
from foundry.scheduling.tasks import TaskResult

if TYPE_CHECKING:
    from foundry.domain.application import Application
    from foundry.scheduling.event import Event
    from foundry.scheduling.schedule import Schedule

__all__ = ["ONE_SERVER_LOCK_SECONDS", "ScheduleRunner"]

log = logging.getLogger("foundry.scheduling")

ONE_SERVER_LOCK_SECONDS = 3600
"""How long a minute's one-server lock is kept: long enough that no server whose clock
lags behind can still take the same minute."""

OutcomeListener = Callable[[EventOutcome], None]


class _HookFailed(Exception):
    pass


class ScheduleRunner:
    """Runs a :class:`~foundry.scheduling.Schedule`'s due events for one application.

    Args:
        app: the application whose container the tasks resolve from.
        schedule: the events.
        on_outcome: called with each outcome as soon as it is known (a background event's
            when it ends), so a command can print progress.
    """

    def __init__(
        self,
        app: Application,
        schedule: Schedule,
        *,
        on_outcome: OutcomeListener | None = None,
    ) -> None:
        self._app = app
        self._schedule = schedule
        self._on_outcome = on_outcome
        self._background: set[asyncio.Task[EventOutcome]] = set()

    @property
    def schedule(self) -> Schedule:
        return self._schedule

    def current_minute(self) -> datetime:
        """The current minute by the application's ``Clock``, truncated."""
        return floor_minute(self._app.make(Clock).now())

    @property
    def running_in_background(self) -> int:
        return len(self._background)

    async def run_due(
        self, minute: datetime | None = None, *, wait_for_background: bool = True
    ) -> RunReport:
        """Run every event due in ``minute`` (default: the current minute).

        Foreground events run one after another; background events start and, when
        ``wait_for_background``, are awaited before returning (``schedule:run`` must
        not exit under them). Otherwise :meth:`drain` waits for them later.
        """
        minute = floor_minute(minute) if minute is not None else self.current_minute()
        started: list[EventOutcome | asyncio.Task[EventOutcome]] = []
        for event in self._schedule.due_events(minute):
            started.append(await self._start(event, minute))
        outcomes: list[EventOutcome] = []
        for item in started:
            if isinstance(item, EventOutcome):
                outcomes.append(item)
            elif wait_for_background:
                outcomes.append(await item)
        return RunReport(minute, tuple(outcomes))

    async def run_event(self, event: Event, minute: datetime | None = None) -> EventOutcome:
        """Run ``event`` now, whatever its time and conditions (``schedule:test``).

        The overlap lock is still honoured: a test run never runs beside a real one.
        """
        minute = floor_minute(minute) if minute is not None else self.current_minute()
        free, lock = await self._overlap_lock(event)
        if not free:
            return await self._skipped(event, minute, "the previous run is still going")
        return await self._execute(event, minute, lock)

    async def drain(self) -> None:
        """Wait for every background event still running."""
        while self._background:
            await asyncio.gather(*list(self._background), return_exceptions=True)

    # --- one event ---------------------------------------------------------------------

    async def _start(
        self, event: Event, minute: datetime
    ) -> EventOutcome | asyncio.Task[EventOutcome]:
        try:
            reason = await event.skip_reason(self._app)
        except Exception as exc:
            log.exception("A condition of scheduled event %s raised", event.summary)
            error = f"a condition raised {reason_of(exc)}"
            return await self._finish(
                self._outcome(event, minute, EventStatus.FAILURE, exit_code=1, error=error, exc=exc)
            )
        if reason is not None:
            return await self._skipped(event, minute, reason)
        if event.runs_on_one_server:
            name = f"{event.mutex_name}-{minute:%Y%m%d%H%M}"
            one_server = self._app.make(Cache).lock(name, ONE_SERVER_LOCK_SECONDS)
            if not await one_server.acquire():
                return await self._skipped(event, minute, "another server runs it this minute")
        free, lock = await self._overlap_lock(event)
        if not free:
            return await self._skipped(event, minute, "the previous run is still going")
        if event.runs_in_background:
            task = asyncio.create_task(
                self._execute(event, minute, lock, background=True),
                name=f"schedule:{event.display_name}",
            )
            self._background.add(task)
            task.add_done_callback(self._background.discard)
            return task
        return await self._execute(event, minute, lock)

    async def _overlap_lock(self, event: Event) -> tuple[bool, Lock | None]:
        """Whether the event may start, and the overlap lock it now holds (if it has one)."""
        expires = event.overlap_expires_after
        if expires is None:
            return True, None
        lock = self._app.make(Cache).lock(event.mutex_name, expires * 60)
        if await lock.acquire():
            return True, lock
        return False, None

    async def _execute(
        self, event: Event, minute: datetime, lock: Lock | None, *, background: bool = False
    ) -> EventOutcome:
        began = time.perf_counter()
        starting = ScheduledTaskStarting(event.display_name, event.summary, minute, background)
        await self._dispatch(starting)
        try:
            try:
                for hook in event.before_hooks:
                    await self._hook(hook, "before", event)
                result = await event.task.run(self._app)
            except _HookFailed as exc:
                result = TaskResult(False, 1, "", str(exc), exc.__cause__)
            except Exception as exc:
                result = TaskResult(False, 1, "", reason_of(exc), exc)
            outcome = self._outcome(
                event,
                minute,
                EventStatus.SUCCESS if result.ok else EventStatus.FAILURE,
                exit_code=result.exit_code or (0 if result.ok else 1),
                output=_output_with_reason(result),
                error=None if result.ok else (result.error or "failed"),
                exc=result.exception,
                background=background,
            )
            problems = await deliver_output(self._app, event, outcome)
            for kind, hook in event.after_hooks:
                wanted = {"after": True, "success": outcome.ok, "failure": not outcome.ok}
                if wanted[kind]:
                    try:
                        await self._hook(hook, kind, event, outcome)
                    except _HookFailed as exc:
                        problems.append(str(exc))
            if problems:
                reasons = [r for r in (outcome.error, *problems) if r]
                outcome = dataclasses.replace(
                    outcome,
                    status=EventStatus.FAILURE,
                    exit_code=outcome.exit_code or 1,
                    error="; ".join(reasons),
                )
        finally:
            if lock is not None:
                await _release(lock)
        elapsed = (time.perf_counter() - began) * 1000
        return await self._finish(dataclasses.replace(outcome, duration_ms=elapsed))

    async def _hook(
        self, hook: Callable[..., object], kind: str, event: Event, *offered: object
    ) -> None:
        try:
            await invoke(self._app, hook, offered=(event, *offered))
        except Exception as exc:
            raise _HookFailed(
                f"{kind} hook {callable_label(hook)} failed: {reason_of(exc)}"
            ) from exc

    # --- outcomes ----------------------------------------------------------------------

    def _outcome(
        self,
        event: Event,
        minute: datetime,
        status: EventStatus,
        *,
        exit_code: int = 0,
        output: str = "",
        error: str | None = None,
        reason: str | None = None,
        exc: BaseException | None = None,
        background: bool = False,
    ) -> EventOutcome:
        if exc is not None and error is None:
            error = reason_of(exc)
        return EventOutcome(
            name=event.display_name,
            summary=event.summary,
            expression=event.expression,
            minute=minute,
            status=status,
            exit_code=exit_code,
            output=output,
            error=error,
            reason=reason,
            background=background,
            exception=exc,
        )

    async def _skipped(self, event: Event, minute: datetime, reason: str) -> EventOutcome:
        outcome = self._outcome(event, minute, EventStatus.SKIPPED, reason=reason)
        return await self._finish(outcome)

    async def _dispatch(self, fired: DomainEvent) -> None:
        if self._app.bound(EventDispatcher):
            await self._app.make(EventDispatcher).dispatch(fired)

    async def _finish(self, outcome: EventOutcome) -> EventOutcome:

        if outcome.status is EventStatus.FAILURE:
            log.warning(
                "Scheduled event %s failed: %s",
                outcome.summary,
                outcome.error,
                exc_info=outcome.exception,
            )
        else:
            log.info("Scheduled event %s: %s", outcome.summary, outcome.status.value)
        if self._on_outcome is not None:
            self._on_outcome(outcome)
        if outcome.status is EventStatus.SUCCESS:
            await self._dispatch(ScheduledTaskFinished(outcome))
        elif outcome.status is EventStatus.FAILURE:
            await self._dispatch(ScheduledTaskFailed(outcome))
        else:
            await self._dispatch(ScheduledTaskSkipped(outcome))
        return outcome


def _output_with_reason(result: TaskResult) -> str:
    output = result.output.rstrip("\n")
    if result.ok or not result.error or result.error in output:
        return output
    return f"{output}\n{result.error}" if output else result.error


async def _release(lock: Lock) -> None:
    try:
        await lock.release()
    except Exception:
        log.exception("Could not release the scheduler lock %s", lock.name)
