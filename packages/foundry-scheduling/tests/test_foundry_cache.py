"""The locks against foundry-cache itself: its memory store in one process, and its file
store shared by two "servers" (two applications, two schedule runners, one cache folder)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from scheduling_support import Journal

from foundry.application import Application
from foundry.cache.provider import CacheServiceProvider
from foundry.domain.application import CommandRunner
from foundry.domain.cache import Cache
from foundry.scheduling.outcome import EventStatus
from foundry.scheduling.runner import ScheduleRunner
from foundry.scheduling.schedule import Schedule


def server(make_app, base: Path, shared: Path | None, journal: Journal, hook=None) -> Application:
    base.mkdir(parents=True, exist_ok=True)
    app = make_app(base=base, cache=None, journal=journal, hook=hook, extra=(CacheServiceProvider,))
    if shared is not None:  # read when the cache is first resolved
        app.config.set("cache.driver", "file")
        app.config.set("cache.file_path", str(shared))
    return app


async def test_two_servers_on_a_shared_file_cache_run_an_on_one_server_event_once_a_minute(
    make_app, tmp_path, clock
):
    journal = Journal()

    def declare(app, schedule: Schedule) -> None:
        async def backup(journal: Journal) -> None:
            journal.add("backup")
            await asyncio.sleep(0)

        schedule.call(backup).name("backup").on_one_server()
        schedule.call(lambda: journal.add("everywhere")).name("local")

    shared = tmp_path / "shared-cache"
    servers = [server(make_app, tmp_path / n, shared, journal, declare) for n in ("a", "b")]

    for _ in range(3):
        outcomes = await asyncio.gather(
            *(app.make(CommandRunner).run("schedule:run", format="json") for app in servers)
        )
        assert all(outcome.exit_code == 0 for outcome in outcomes)
        clock.advance(60)

    assert journal.entries.count("backup") == 3  # once a minute, by one server or the other
    assert journal.entries.count("everywhere") == 6  # on both servers, every minute
    assert any(shared.rglob("*"))  # the lock really lived in the shared folder


async def test_servers_with_their_own_memory_caches_do_not_coordinate(make_app, tmp_path):
    journal = Journal()

    def declare(app, schedule: Schedule) -> None:
        schedule.call(lambda: journal.add("backup")).name("backup").on_one_server()

    servers = [server(make_app, tmp_path / n, None, journal, declare) for n in ("a", "b")]
    for app in servers:
        await app.make(CommandRunner).run("schedule:run")

    assert journal.entries == ["backup", "backup"]  # why on_one_server needs a shared store


async def test_without_overlapping_on_the_memory_store(make_app, tmp_path, clock):
    journal = Journal()
    release = asyncio.Event()
    app = server(make_app, tmp_path / "app", None, journal)

    async def slow(journal: Journal) -> None:
        journal.add("started")
        await release.wait()
        journal.add("finished")

    schedule = Schedule()
    event = schedule.call(slow).name("slow").without_overlapping(expires_after=10)
    event.run_in_background()
    schedule.validate(app)
    runner = ScheduleRunner(app, schedule)

    await runner.run_due(wait_for_background=False)
    await asyncio.sleep(0)
    clock.advance(60)
    busy = await runner.run_due(wait_for_background=False)
    release.set()
    await runner.drain()
    clock.advance(60)
    free = await runner.run_due()

    assert busy.outcomes[0].status is EventStatus.SKIPPED
    assert free.outcomes[0].status is EventStatus.SUCCESS
    assert journal.entries == ["started", "finished", "started", "finished"]
    assert await app.make(Cache).lock(event.mutex_name, 60).acquire()  # released again


async def test_a_stale_overlap_lock_expires_on_the_applications_clock(make_app, tmp_path, clock):
    journal = Journal()
    app = server(make_app, tmp_path / "app", None, journal)
    schedule = Schedule()
    event = schedule.call(lambda: journal.add("ran")).name("job").without_overlapping(2)
    cache = app.make(Cache)
    assert await cache.lock(event.mutex_name, 120, owner="a-worker-that-died").acquire()
    runner = ScheduleRunner(app, schedule)

    first = await runner.run_due()
    clock.advance(minutes=2)
    second = await runner.run_due()

    assert first.outcomes[0].status is EventStatus.SKIPPED
    assert second.outcomes[0].status is EventStatus.SUCCESS
    assert journal.entries == ["ran"]
