"""Workers on the database (SQLite, PostgreSQL, MariaDB) and redis connections."""

from __future__ import annotations

import asyncio

from conftest import Bindings, MemoryCache, work
from queue_test_jobs import (
    AlwaysFails,
    Flaky,
    Record,
    Refuses,
    Throttled,
    TooSlow,
    Unique,
    batch_catch,
    batch_finally,
    batch_then,
    read,
    record_call,
)

from foundry.domain.queue import QueueDispatcher
from foundry.queue import batch, chain, dispatch
from foundry.queue.manager import QueueManager


async def size(app, queue: str = "default") -> int:
    return await app.make(QueueManager).connection().size(queue)


async def failed_rows(app, run) -> list[dict]:
    return (await run(app, "queue:failed", format="json")).data


async def test_queued_jobs_wait_for_a_worker_and_then_run(queue_app, ledger) -> None:
    app = await queue_app()
    for key in "abc":
        await dispatch(Record(key, ledger))
    assert read(ledger) == []
    assert await size(app) == 3
    report = await work(app)
    assert sorted(read(ledger)) == ["done:a", "done:b", "done:c"]
    assert report.processed == 3
    assert await size(app) == 0


async def test_transient_failures_are_retried_with_backoff(queue_app, ledger) -> None:
    app = await queue_app()
    await dispatch(Flaky("f", ledger, failures=2))
    report = await work(app)
    assert read(ledger) == ["try:f", "try:f", "try:f", "done:f"]
    assert report.released == 2
    assert report.processed == 1


async def test_a_job_that_always_fails_ends_in_failed_jobs_after_its_tries(
    queue_app, ledger, run
) -> None:
    app = await queue_app()
    await dispatch(AlwaysFails("x", ledger))
    report = await work(app)
    assert read(ledger) == ["try:x", "try:x", "failed-hook:x:RuntimeError"]
    rows = await failed_rows(app, run)
    assert report.failed == 1
    assert len(rows) == 1
    assert rows[0]["job"] == "AlwaysFails"
    assert "RuntimeError: boom x" in rows[0]["exception"]
    assert await size(app) == 0


async def test_a_permanent_failure_skips_the_remaining_tries(queue_app, ledger, run) -> None:
    app = await queue_app()
    await dispatch(Refuses("p", ledger))
    await work(app)
    assert read(ledger) == ["try:p"]
    assert len(await failed_rows(app, run)) == 1


async def test_a_job_over_its_timeout_is_cancelled_and_fails(queue_app, ledger, run) -> None:
    app = await queue_app()
    await dispatch(TooSlow("t", ledger))
    await work(app)
    assert read(ledger) == ["start:t"]
    rows = await failed_rows(app, run)
    assert "JobTimeoutError" in rows[0]["exception"]
    assert "timeout of 0.2 s" in rows[0]["error"]


async def test_queues_are_worked_in_priority_order(queue_app, ledger) -> None:
    app = await queue_app()
    await dispatch(Record("low", ledger), queue="low")
    await dispatch(Record("high", ledger), queue="high")
    await work(app, "high", "low", concurrency=1)
    assert read(ledger) == ["done:high", "done:low"]


async def test_a_delayed_job_is_not_taken_before_its_time(queue_app, ledger) -> None:
    app = await queue_app()
    await Record("later", ledger).dispatch_after(0.8)
    await work(app)
    assert read(ledger) == []
    await asyncio.sleep(1.0)
    await work(app)
    assert read(ledger) == ["done:later"]


async def test_function_jobs_run_on_their_queue(queue_app, ledger) -> None:
    app = await queue_app()
    await record_call.dispatch("fn", ledger)
    assert await size(app, "functions") == 1
    await work(app, "functions")
    assert read(ledger)[0].startswith("done:fn:")


async def test_concurrent_jobs_all_finish(queue_app, ledger) -> None:
    app = await queue_app()
    for index in range(20):
        await dispatch(Record(str(index), ledger))
    report = await work(app, concurrency=5)
    assert report.processed == 20
    assert sorted(read(ledger)) == sorted(f"done:{i}" for i in range(20))


async def test_a_chain_runs_in_order(queue_app, ledger) -> None:
    app = await queue_app()
    await chain([Record("1", ledger), Record("2", ledger), Record("3", ledger)]).dispatch()
    assert await size(app) == 1  # only the first job is queued
    await work(app)
    assert read(ledger) == ["done:1", "done:2", "done:3"]


async def test_a_failure_stops_the_chain_and_calls_its_catch(queue_app, ledger) -> None:
    app = await queue_app()
    await (
        chain([Record("1", ledger), AlwaysFails("2", ledger), Record("3", ledger)])
        .catch(Record("caught", ledger))
        .dispatch()
    )
    await work(app)
    assert read(ledger) == [
        "done:1",
        "try:2",
        "try:2",
        "failed-hook:2:RuntimeError",
        "done:caught",
    ]


async def test_a_batch_reports_progress_and_fires_then_and_finally(
    queue_app, ledger, tmp_path
) -> None:
    app = await queue_app()
    notes = str(tmp_path / "batch.txt")
    batch_id = await (
        batch([Record(str(i), ledger) for i in range(4)])
        .name(notes)
        .then(batch_then)
        .catch(batch_catch)
        .finally_(batch_finally)
        .dispatch()
    )
    manager = app.make(QueueManager)
    state = await manager.batches().find(batch_id)
    assert (state.total_jobs, state.pending_jobs, state.progress) == (4, 4, 0)
    await work(app)
    state = await manager.batches().find(batch_id)
    assert (state.pending_jobs, state.failed_jobs, state.progress) == (0, 0, 100)
    assert state.finished
    assert read(notes) == ["then:4:0:0", "finally:4:0"]


async def test_a_failing_batch_job_fires_catch_once_and_cancels_the_rest(
    queue_app, ledger, tmp_path
) -> None:
    app = await queue_app()
    notes = str(tmp_path / "batch.txt")
    jobs = [Refuses("bad", ledger), Record("a", ledger), Record("b", ledger)]
    batch_id = await (
        batch(jobs).name(notes).then(batch_then).catch(batch_catch).finally_(batch_finally)
    ).dispatch()
    await work(app, concurrency=1)
    state = await app.make(QueueManager).batches().find(batch_id)
    assert state.cancelled
    assert state.failed_jobs == 1
    assert state.finished
    assert read(notes) == ["catch:Refuses:bad can never succeed", "finally:2:1"]
    assert "done:a" not in read(ledger)  # skipped: the batch was cancelled


async def test_a_batch_allowing_failures_runs_every_job(queue_app, ledger, tmp_path) -> None:
    app = await queue_app()
    notes = str(tmp_path / "batch.txt")
    jobs = [AlwaysFails("bad", ledger), Record("a", ledger), Record("b", ledger)]
    batch_id = await (
        batch(jobs).name(notes).allow_failures().then(batch_then).finally_(batch_finally)
    ).dispatch()
    await work(app, concurrency=1)
    state = await app.make(QueueManager).batches().find(batch_id)
    assert not state.cancelled
    assert state.processed_jobs == 2
    assert state.failed_job_ids
    assert {"done:a", "done:b"} <= set(read(ledger))
    assert read(notes) == ["finally:2:1"]


async def test_a_second_identical_unique_job_is_not_queued(queue_app, ledger) -> None:
    cache = MemoryCache()
    app = await queue_app(providers=(Bindings(cache),))
    dispatcher = app.make(QueueDispatcher)
    first = await dispatcher.dispatch(Unique("u", ledger))
    assert first
    assert await dispatcher.dispatch(Unique("u", ledger)) == ""
    assert await dispatcher.dispatch(Unique("other", ledger))
    assert await size(app) == 2
    await work(app)
    assert sorted(read(ledger)) == ["done:other", "done:u"]
    assert await dispatcher.dispatch(Unique("u", ledger))  # released when it finished


async def test_rate_limited_jobs_are_released_not_failed(queue_app, ledger, run) -> None:
    from foundry.ratelimit.provider import RateLimitServiceProvider

    app = await queue_app(providers=(RateLimitServiceProvider,))
    for key in "abc":
        await dispatch(Throttled(key, ledger))
    report = await work(app, max_jobs=3)
    assert len(read(ledger)) == 2
    assert report.released == 1
    assert report.failed == 0
    assert await failed_rows(app, run) == []
    connection = app.make(QueueManager).connection()
    sizes = await connection.sizes("default")
    assert sizes["delayed"] == 1  # waits for the window, attempt given back
