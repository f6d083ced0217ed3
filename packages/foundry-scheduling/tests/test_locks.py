"""without_overlapping and on_one_server, through the Cache contract's owner-token locks."""

from __future__ import annotations

import asyncio

import pytest
from scheduling_support import Journal, MemoryCache

from foundry.application import Application
from foundry.domain.application import CommandRunner
from foundry.domain.clock import Clock
from foundry.scheduling.errors import ScheduleError
from foundry.scheduling.outcome import EventStatus
from foundry.scheduling.runner import ScheduleRunner
from foundry.scheduling.schedule import Schedule


class Gate:
    """Holds a task open until the test lets it finish."""

    def __init__(self) -> None:
        self.entered = asyncio.Event()
        self.release = asyncio.Event()

    async def __call__(self, journal: Journal) -> None:
        journal.add("started")
        self.entered.set()
        await self.release.wait()
        journal.add("finished")


async def test_without_overlapping_skips_a_run_while_the_previous_one_holds_the_lock(
    app, cache: MemoryCache, journal, schedule
):
    gate = Gate()
    event = schedule.call(gate).name("slow").without_overlapping().run_in_background()
    schedule.validate(app)
    runner = ScheduleRunner(app, schedule)

    first = await runner.run_due(wait_for_background=False)
    await gate.entered.wait()
    assert cache.holds(event.mutex_name)

    second = await runner.run_due(wait_for_background=False)
    [skipped] = second.outcomes
    assert skipped.status is EventStatus.SKIPPED
    assert skipped.reason == "the previous run is still going"

    gate.release.set()
    await runner.drain()
    assert first.outcomes == ()  # the background run reports when it ends
    assert journal.entries == ["started", "finished"]
    assert not cache.holds(event.mutex_name)  # released by its owner when the run ended

    third = await runner.run_due()
    assert third.outcomes[0].status is EventStatus.SUCCESS


async def test_the_overlap_lock_expires_after_the_given_minutes(
    app, cache: MemoryCache, clock, schedule
):
    event = schedule.call(lambda: None).name("stuck").without_overlapping(expires_after=5)
    # A run that died holding the lock (another owner took it and never released it).
    assert await cache.lock(event.mutex_name, 5 * 60, owner="dead-worker").acquire()
    runner = ScheduleRunner(app, schedule)

    assert (await runner.run_due()).outcomes[0].status is EventStatus.SKIPPED
    clock.advance(minutes=5)
    assert (await runner.run_due()).outcomes[0].status is EventStatus.SUCCESS


async def test_a_failed_run_releases_the_overlap_lock(app, cache: MemoryCache, schedule):
    def fail() -> None:
        raise RuntimeError("boom")

    event = schedule.call(fail).without_overlapping()
    outcome = (await ScheduleRunner(app, schedule).run_due()).outcomes[0]

    assert outcome.status is EventStatus.FAILURE
    assert not cache.holds(event.mutex_name)


async def test_two_servers_sharing_a_cache_run_an_on_one_server_event_once(
    make_app, cache: MemoryCache, tmp_path
):
    journal = Journal()

    def declare(app, schedule: Schedule) -> None:
        async def backup(journal: Journal) -> None:
            journal.add("backup")
            await asyncio.sleep(0)  # let the other server try meanwhile

        schedule.call(backup).name("backup").every_minute().on_one_server()
        schedule.call(lambda journal: journal.add("everywhere"), journal=journal).name("local")

    servers: list[Application] = []
    for name in ("web-1", "web-2"):
        (tmp_path / name).mkdir()
        servers.append(make_app(base=tmp_path / name, cache=cache, journal=journal, hook=declare))

    first, second = await asyncio.gather(
        *(app.make(CommandRunner).run("schedule:run", format="json") for app in servers)
    )

    assert journal.entries.count("backup") == 1
    assert journal.entries.count("everywhere") == 2
    statuses = sorted(
        event["status"]
        for outcome in (first, second)
        for event in outcome.result.data["events"]
        if event["name"] == "backup"
    )
    assert statuses == ["skipped", "success"]
    reasons = [
        event["reason"]
        for outcome in (first, second)
        for event in outcome.result.data["events"]
        if event["status"] == "skipped"
    ]
    assert reasons == ["another server runs it this minute"]
    assert first.exit_code == second.exit_code == 0


async def test_the_next_minute_runs_the_one_server_event_again(make_app, cache, clock, tmp_path):
    journal = Journal()

    def declare(app, schedule: Schedule) -> None:
        schedule.call(lambda: journal.add("tick")).name("tick").on_one_server()

    servers = []
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        servers.append(make_app(base=tmp_path / name, cache=cache, hook=declare))
    for _ in range(3):
        for server in servers:
            await server.make(CommandRunner).run("schedule:run")
        clock.advance(60)

    assert journal.entries == ["tick", "tick", "tick"]


@pytest.mark.parametrize(
    ("configure", "method"),
    [
        (lambda e: e.without_overlapping(), "without_overlapping()"),
        (lambda e: e.on_one_server(), "on_one_server()"),
    ],
)
def test_locks_without_a_cache_are_an_error_at_schedule_load_naming_foundry_cache(
    make_app, configure, method
):
    def declare(app, schedule: Schedule) -> None:
        configure(schedule.command("test:prune"))

    app = make_app(cache=None, hook=declare)

    with pytest.raises(ScheduleError) as caught:
        app.make(Schedule)
    assert (
        f'Scheduled event "test:prune" (provider scheduling-test-support): {method} keeps its '
        "lock in the cache. No Cache is bound. Install foundry-cache or bind "
        "foundry.domain.cache.Cache in a provider." in caught.value.message
    )


def test_a_lambda_with_a_lock_needs_a_name(app, schedule):
    schedule.call(lambda: None).without_overlapping()

    with pytest.raises(ScheduleError, match=r'a lambda has none: add \.name\("\.\.\."\)'):
        schedule.validate(app)


def test_expires_after_must_be_whole_positive_minutes(schedule):
    event = schedule.command("test:prune")
    with pytest.raises(ScheduleError, match="expires_after must be at least 1 minute"):
        event.without_overlapping(expires_after=0)
    with pytest.raises(ScheduleError, match="expires_after must be whole minutes"):
        event.without_overlapping(expires_after=1.5)  # type: ignore[arg-type]


def test_lock_names_are_the_same_on_every_server_and_differ_between_events():
    def build() -> Schedule:
        schedule = Schedule()
        schedule.command("test:prune", days=3).daily()
        schedule.command("test:prune", days=4).daily()
        schedule.command("test:prune", days=3).hourly()
        return schedule

    one, other = build(), build()
    names = [event.mutex_name for event in one]
    assert names == [event.mutex_name for event in other]
    assert len(set(names)) == 3


async def test_the_clock_used_for_lock_keys_is_the_applications(app, cache, clock, schedule):
    event = schedule.call(lambda: None).name("x").on_one_server()
    await ScheduleRunner(app, schedule).run_due()
    minute = app.make(Clock).now().strftime("%Y%m%d%H%M")
    assert cache.holds(f"{event.mutex_name}-{minute}")


async def test_schedule_clear_cache_frees_the_overlap_locks_a_killed_run_left(
    app, cache: MemoryCache
):
    from foundry.domain.application import CommandCaller

    schedule = app.make(Schedule)
    stuck = schedule.command("test:prune").name("stuck").without_overlapping()
    schedule.command("test:prune", days=1).name("free")
    assert await cache.lock(stuck.mutex_name, 3600, owner="killed-run").acquire()
    caller = app.make(CommandCaller)

    planned = await caller.call("schedule:clear-cache", dry_run=True)
    assert planned.output == "Would delete the overlap lock of stuck"
    assert cache.holds(stuck.mutex_name)

    cleared = await caller.call("schedule:clear-cache")
    assert (cleared.exit_code, cleared.message) == (0, "1 overlap lock(s) deleted.")
    assert not cache.holds(stuck.mutex_name)
    ran = await caller.call("schedule:test", name="stuck")
    assert ran.exit_code == 0
