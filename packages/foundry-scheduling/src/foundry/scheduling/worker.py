"""``schedule:work``: run the schedule every minute, in the foreground, without cron.

The worker never sleeps a fixed 60 seconds: before each nap it reads the ``Clock`` and
sleeps until the next minute boundary, so the time its runs take never adds up to drift.
It wakes, runs the minute's due events, and goes back to sleep:

* a minute that went by while the worker was busy running events (a long foreground
  event) is run as soon as the worker is free, late rather than never — exactly what cron
  starting ``schedule:run`` every minute would have done;
* minutes that went by while it *slept* (the machine was suspended, the clock was set
  forward) are skipped with a warning, as cron would skip them too.

It stops on SIGTERM/SIGINT through the ``ShutdownCoordinator`` contract when one is bound
(foundry-signal-handler): the minute in progress and the background events finish, no new
minute starts, and the coordinator's ``SHUTDOWN`` phase waits for that.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from foundry.domain.clock import Clock
from foundry.domain.signals import ShutdownCoordinator, ShutdownPhase
from foundry.scheduling.cron import floor_minute

if TYPE_CHECKING:
    from foundry.domain.application import Application
    from foundry.scheduling.outcome import RunReport
    from foundry.scheduling.runner import ScheduleRunner

__all__ = ["AsyncioSleeper", "ScheduleWorker", "Sleeper", "WorkSummary"]

log = logging.getLogger("foundry.scheduling")
MINUTE = timedelta(minutes=1)


@runtime_checkable
class Sleeper(Protocol):
    """How the worker waits for the clock: ``asyncio.sleep`` unless the application binds
    another (tests bind one that waits for a ``FrozenClock`` to be moved by hand)."""

    async def sleep(self, seconds: float) -> None: ...


class AsyncioSleeper:
    """Sleeps on the event loop."""

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


@dataclass
class WorkSummary:
    """What a ``schedule:work`` session did."""

    minutes: list[datetime] = field(default_factory=list)
    ran: int = 0
    failed: int = 0
    skipped_minutes: int = 0
    stopped_by: str | None = None


class ScheduleWorker:
    """Runs a :class:`~foundry.scheduling.ScheduleRunner` at the start of every minute.

    Args:
        app: the application (its ``Clock``, ``Sleeper`` and ``ShutdownCoordinator``).
        runner: what runs each minute's events.
        on_minute: called with each minute's report.
    """

    def __init__(
        self,
        app: Application,
        runner: ScheduleRunner,
        *,
        on_minute: Callable[[RunReport], Awaitable[None] | None] | None = None,
    ) -> None:
        self._app = app
        self._runner = runner
        self._on_minute = on_minute
        self._clock = app.make(Clock)
        self._sleeper: Sleeper = app.make(Sleeper) if app.bound(Sleeper) else AsyncioSleeper()
        self._stop = asyncio.Event()
        self._idle = asyncio.Event()
        self._reason: str | None = None

    def stop(self, reason: str = "requested") -> None:
        """Finish the minute in progress, then return from :meth:`run`."""
        if self._reason is None:
            self._reason = reason
        self._stop.set()

    async def wait_until_idle(self) -> None:
        """Wait until :meth:`run` has finished, background events included."""
        await self._idle.wait()

    async def run(self) -> WorkSummary:
        """Work until stopped; returns what was done."""
        summary = WorkSummary()
        watcher = self._watch_coordinator()
        try:
            upcoming = floor_minute(self._clock.now()) + MINUTE
            while not self._stop.is_set():
                if not await self._sleep_until(upcoming):
                    break
                current = floor_minute(self._clock.now())
                if current > upcoming:
                    missed = (current - upcoming) // MINUTE
                    log.warning("schedule:work slept past %d minute(s); skipping them.", missed)
                    summary.skipped_minutes += missed
                    upcoming = current
                while upcoming <= floor_minute(self._clock.now()) and not self._stop.is_set():
                    await self._run_minute(upcoming, summary)
                    upcoming += MINUTE
        finally:
            if watcher is not None:
                watcher.cancel()
            await self._runner.drain()
            summary.stopped_by = self._reason
            self._idle.set()
        return summary

    async def _run_minute(self, minute: datetime, summary: WorkSummary) -> None:
        report = await self._runner.run_due(minute, wait_for_background=False)
        summary.minutes.append(minute)
        summary.ran += len(report.ran)
        summary.failed += len(report.failed)
        if self._on_minute is not None:
            value = self._on_minute(report)
            if value is not None:
                await value

    async def _sleep_until(self, moment: datetime) -> bool:
        """Sleep until the clock reads ``moment``; False when stopped first."""
        while not self._stop.is_set():
            remaining = (moment - self._clock.now()).total_seconds()
            if remaining <= 0:
                return True
            nap = asyncio.ensure_future(self._sleeper.sleep(remaining))
            stop = asyncio.ensure_future(self._stop.wait())
            try:
                await asyncio.wait({nap, stop}, return_when=asyncio.FIRST_COMPLETED)
            finally:
                for waiter in (nap, stop):
                    waiter.cancel()
                await asyncio.gather(nap, stop, return_exceptions=True)
        return False

    def _watch_coordinator(self) -> asyncio.Task[None] | None:
        if not self._app.bound(ShutdownCoordinator):
            return None
        coordinator = self._app.make(ShutdownCoordinator)

        async def stop_taking_minutes() -> None:  # async: it must run on this loop
            self.stop(coordinator.received or "shutdown")

        coordinator.on(ShutdownPhase.PRE_SHUTDOWN, stop_taking_minutes)
        coordinator.on(ShutdownPhase.SHUTDOWN, self.wait_until_idle)

        async def watch() -> None:
            try:
                received = await coordinator.wait()
            except Exception:
                log.exception("schedule:work cannot watch for termination signals")
                return
            self._reason = received  # the signal's name, or the reason given in code
            self._stop.set()

        return asyncio.create_task(watch(), name="schedule:work signals")
