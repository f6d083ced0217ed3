"""schedule:work with a frozen clock moved by hand and a real shutdown coordinator: every
minute's events run exactly once, naps end on minute boundaries, and it stops cleanly."""

from __future__ import annotations

import asyncio
import os
import signal

from scheduling_support import HandSleeper, Journal

from foundry.domain.application import CommandRunner
from foundry.domain.clock import Clock, FrozenClock
from foundry.domain.outputs import BufferedOutput
from foundry.domain.signals import ShutdownCoordinator
from foundry.scheduling.schedule import Schedule


async def tick(journal: Journal, clock: Clock) -> None:
    journal.add(("tick", f"{clock.now():%H:%M:%S}"))


async def every_other(journal: Journal, clock: Clock) -> None:
    journal.add(("other", f"{clock.now():%H:%M}"))


def start(app) -> tuple[asyncio.Task, BufferedOutput]:
    output = BufferedOutput()
    runner = app.make(CommandRunner)
    task = asyncio.create_task(runner.run("schedule:work", output=output))
    return task, output


async def test_schedule_work_runs_each_minutes_events_exactly_once_and_stops_cleanly(
    make_app, clock: FrozenClock
):
    sleeper = HandSleeper(clock)

    def declare(app, schedule: Schedule) -> None:
        schedule.call(tick).every_minute()
        schedule.call(every_other).every_two_minutes()

    app = make_app(sleeper=sleeper, hook=declare)
    journal = app.make(Journal)
    work, output = start(app)

    await sleeper.napping()
    assert sleeper.naps == [30.0]  # 08:59:30: until 09:00:00, not a fixed minute
    await sleeper.advance(30)  # 09:00
    await sleeper.advance(20)  # 09:00:20: woken early, nothing is due
    await sleeper.advance(40)  # 09:01
    for _ in range(3):
        await sleeper.advance(60)  # 09:02, 09:03, 09:04

    await app.make(ShutdownCoordinator).shutdown("deploy")
    outcome = await work

    assert outcome.exit_code == 0
    ticks = [when for kind, when in journal.entries if kind == "tick"]
    assert ticks == ["09:00:00", "09:01:00", "09:02:00", "09:03:00", "09:04:00"]
    assert [when for kind, when in journal.entries if kind == "other"] == [
        "09:00",
        "09:02",
        "09:04",
    ]
    assert sleeper.naps == [30.0, 60.0, 40.0, 60.0, 60.0, 60.0, 60.0]
    assert outcome.result.data["minutes"] == [f"2026-03-02T09:0{m}:00+00:00" for m in range(5)]
    assert outcome.result.data["ran"] == 8
    assert outcome.result.data["stopped_by"] == "deploy"
    assert outcome.result.message == "Stopped (deploy) after 5 minute(s): 8 run(s), 0 failed."
    assert output.lines[0].text.startswith("Running 2 scheduled event(s) every minute.")
    assert sum(" DONE " in line.text for line in output.lines) == 8


async def test_naps_are_measured_from_the_clock_so_slow_runs_cause_no_drift(
    make_app, clock: FrozenClock
):
    sleeper = HandSleeper(clock)

    def seven_seconds(clock: Clock) -> None:
        assert isinstance(clock, FrozenClock)
        clock.advance(7)  # the task takes seven seconds

    app = make_app(sleeper=sleeper, hook=lambda app, s: s.call(seven_seconds).name("slow"))
    work, _ = start(app)

    await sleeper.advance(30)  # 09:00: the task runs until 09:00:07
    await sleeper.advance(53)  # 09:01
    await app.make(ShutdownCoordinator).shutdown()
    await work

    assert sleeper.naps == [30.0, 53.0, 53.0]


async def test_minutes_that_pass_during_a_long_run_are_run_late_and_slept_ones_are_skipped(
    make_app, clock: FrozenClock
):
    sleeper = HandSleeper(clock)
    journal = Journal()

    def long_run(clock: Clock) -> None:
        if f"{clock.now():%H:%M}" == "09:00":
            assert isinstance(clock, FrozenClock)
            clock.advance(150)  # runs until 09:02:30

    def declare(app, schedule: Schedule) -> None:
        schedule.call(long_run).name("long")
        schedule.call(tick).name("tick")

    app = make_app(sleeper=sleeper, journal=journal, hook=declare)
    work, _ = start(app)

    await sleeper.advance(30)  # 09:00; the long run ends at 09:02:30
    assert sleeper.naps[-1] == 30.0  # 09:01 and 09:02 ran at once, late; now until 09:03
    await sleeper.advance(150)  # asleep from 09:02:30 to 09:05: 09:03 and 09:04 are lost
    await app.make(ShutdownCoordinator).shutdown()
    outcome = await work

    assert [when for _, when in journal.entries] == ["09:02:30", "09:02:30", "09:02:30", "09:05:00"]
    assert outcome.result.data["minutes"] == [
        "2026-03-02T09:00:00+00:00",
        "2026-03-02T09:01:00+00:00",
        "2026-03-02T09:02:00+00:00",
        "2026-03-02T09:05:00+00:00",
    ]
    assert outcome.result.data["skipped_minutes"] == 2


async def test_a_shutdown_waits_for_running_background_events(make_app, clock: FrozenClock):
    sleeper = HandSleeper(clock)
    release = asyncio.Event()
    journal = Journal()

    async def backup(journal: Journal) -> None:
        journal.add("backup started")
        await release.wait()
        journal.add("backup finished")

    app = make_app(
        sleeper=sleeper,
        journal=journal,
        hook=lambda app, s: s.call(backup).hourly().run_in_background(),
    )
    work, _ = start(app)
    await sleeper.advance(30)  # 09:00: the backup starts in the background
    assert journal.entries == ["backup started"]

    shutdown = asyncio.create_task(app.make(ShutdownCoordinator).shutdown())
    for _ in range(20):
        await asyncio.sleep(0)
    assert not work.done()  # still finishing the backup
    assert not shutdown.done()  # the SHUTDOWN phase waits for the worker

    release.set()
    await shutdown
    outcome = await work

    assert journal.entries == ["backup started", "backup finished"]
    assert outcome.exit_code == 0
    assert outcome.result.data["ran"] == 0  # reported when it ended, not in its minute


async def test_sigterm_stops_schedule_work_gracefully(make_app, clock: FrozenClock):
    sleeper = HandSleeper(clock)
    app = make_app(sleeper=sleeper, hook=lambda app, s: s.call(tick).name("tick"))
    work, _ = start(app)
    await sleeper.advance(30)  # 09:00 runs

    os.kill(os.getpid(), signal.SIGTERM)  # what `kill <pid>` or Kubernetes does
    outcome = await work

    assert outcome.exit_code == 0
    assert outcome.result.data["stopped_by"] == "SIGTERM"
    assert app.make(Journal).entries == [("tick", "09:00:00")]
    await app.make(ShutdownCoordinator).shutdown()  # joins the shutdown the signal started
