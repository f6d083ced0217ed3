"""ScheduledTask* events reach EventDispatcher listeners (foundry-command-events)."""

from __future__ import annotations

from foundry.command_events.provider import CommandEventsServiceProvider
from foundry.domain.events import EventDispatcher
from foundry.scheduling.events import (
    ScheduledTaskFailed,
    ScheduledTaskFinished,
    ScheduledTaskSkipped,
    ScheduledTaskStarting,
)
from foundry.scheduling.runner import ScheduleRunner
from foundry.scheduling.schedule import Schedule


async def test_each_run_fires_starting_then_finished_failed_or_skipped(make_app):
    app = make_app(extra=(CommandEventsServiceProvider,))
    seen: list[tuple[str, str]] = []
    dispatcher = app.make(EventDispatcher)
    dispatcher.listen(ScheduledTaskStarting, lambda e: seen.append(("starting", e.name)))
    dispatcher.listen(ScheduledTaskFinished, lambda e: seen.append(("finished", e.outcome.name)))
    dispatcher.listen(ScheduledTaskFailed, lambda e: seen.append(("failed", e.outcome.error)))
    dispatcher.listen(ScheduledTaskSkipped, lambda e: seen.append(("skipped", e.outcome.reason)))

    schedule = Schedule()
    schedule.command("test:prune").name("prune")
    schedule.command("test:broken").name("broken")
    schedule.command("test:prune").name("never").when(False)

    await ScheduleRunner(app, schedule).run_due()

    assert seen == [
        ("starting", "prune"),
        ("finished", "prune"),
        ("starting", "broken"),
        ("failed", "The disk is full."),
        ("skipped", "a when() condition is false"),
    ]


async def test_a_failing_listener_never_stops_the_schedule(make_app):
    app = make_app(extra=(CommandEventsServiceProvider,))

    def broken_listener(event: object) -> None:
        raise RuntimeError("listener bug")

    app.make(EventDispatcher).listen(ScheduledTaskStarting, broken_listener)
    schedule = Schedule()
    schedule.command("test:prune")

    report = await ScheduleRunner(app, schedule).run_due()

    assert report.ok
    assert len(report.ran) == 1
