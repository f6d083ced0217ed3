"""The queue:* commands and make:job, through the kernel's CommandRunner."""

from __future__ import annotations

from conftest import work
from queue_test_jobs import AlwaysFails, Record, read

from foundry.queue import dispatch
from foundry.queue.manager import QueueManager


async def fail_two(app, ledger) -> list[dict]:
    await dispatch(AlwaysFails("a", ledger))
    await dispatch(AlwaysFails("b", ledger), queue="other")
    await work(app, "default", "other")
    return []


async def test_queue_work_runs_jobs_and_reports_in_json(queue_app, ledger, run) -> None:
    app = await queue_app()
    await dispatch(Record("w", ledger))
    ran = await run(app, "queue:work", "--stop-when-empty", "--sleep", "0.05", format="json")
    assert ran.outcome.exit_code == 0
    assert ran.data["processed"] == 1
    assert ran.data["stopped"] == "empty"
    assert read(ledger) == ["done:w"]


async def test_queue_work_prints_a_line_per_job(queue_app, ledger, run) -> None:
    app = await queue_app()
    await dispatch(Record("w", ledger))
    ran = await run(app, "queue:work", "--stop-when-empty", "--max-jobs", "5")
    assert "Record" in ran.stdout
    assert "DONE" in ran.stdout


async def test_queue_work_refuses_the_sync_connection(make_app, run) -> None:
    app = await make_app("sync")
    ran = await run(app, "queue:work")
    assert ran.outcome.exit_code == 1
    assert "sync" in (ran.outcome.error or "")


async def test_queue_failed_lists_table_and_json(queue_app, ledger, run) -> None:
    app = await queue_app()
    await fail_two(app, ledger)
    table = await run(app, "queue:failed")
    assert "AlwaysFails" in table.stdout
    assert "RuntimeError: boom" in table.stdout
    data = (await run(app, "queue:failed", "--queue", "other", format="json")).data
    assert [row["queue"] for row in data] == ["other"]


async def test_queue_retry_puts_a_failed_job_back(queue_app, ledger, run) -> None:
    app = await queue_app()
    await fail_two(app, ledger)
    rows = (await run(app, "queue:failed", format="json")).data
    ran = await run(app, "queue:retry", str(rows[0]["id"]), format="json")
    assert ran.outcome.exit_code == 0
    assert ran.data["retried"] == [rows[0]["uuid"]]
    assert len((await run(app, "queue:failed", format="json")).data) == 1
    assert await app.make(QueueManager).connection().size(rows[0]["queue"]) == 1
    await work(app, "default", "other")  # fails again after its tries: recorded again
    assert len((await run(app, "queue:failed", format="json")).data) == 2


async def test_queue_retry_all_of_one_queue(queue_app, ledger, run) -> None:
    app = await queue_app()
    await fail_two(app, ledger)
    ran = await run(app, "queue:retry", "all", "--queue", "other", format="json")
    assert len(ran.data["retried"]) == 1
    assert [r["queue"] for r in (await run(app, "queue:failed", format="json")).data] == ["default"]


async def test_queue_retry_of_an_unknown_id_changes_nothing(queue_app, ledger, run) -> None:
    app = await queue_app()
    await fail_two(app, ledger)
    ran = await run(app, "queue:retry", "999999")
    assert ran.outcome.exit_code == 1
    assert "999999" in (ran.outcome.error or "")
    assert len((await run(app, "queue:failed", format="json")).data) == 2


async def test_queue_forget_deletes_one_failed_job(queue_app, ledger, run) -> None:
    app = await queue_app()
    await fail_two(app, ledger)
    rows = (await run(app, "queue:failed", format="json")).data
    assert (await run(app, "queue:forget", rows[0]["uuid"])).outcome.exit_code == 0
    assert len((await run(app, "queue:failed", format="json")).data) == 1
    missing = await run(app, "queue:forget", rows[0]["uuid"])
    assert missing.outcome.exit_code == 1


async def test_queue_flush_deletes_all_or_only_old_failed_jobs(queue_app, ledger, run) -> None:
    app = await queue_app()
    await fail_two(app, ledger)
    kept = await run(app, "queue:flush", "--hours", "1", format="json")
    assert kept.data["deleted"] == 0
    flushed = await run(app, "queue:flush", format="json")
    assert flushed.data["deleted"] == 2
    assert (await run(app, "queue:failed", format="json")).data == []


async def test_queue_monitor_exits_1_over_the_maximum(queue_app, ledger, run) -> None:
    app = await queue_app()
    for key in "abc":
        await dispatch(Record(key, ledger))
    ok = await run(app, "queue:monitor", "default", "--max", "5", format="json")
    assert ok.outcome.exit_code == 0
    assert ok.data[0]["size"] == 3
    over = await run(app, "queue:monitor", "default", "--max", "2")
    assert over.outcome.exit_code == 1
    assert "ALERT" in over.stdout


async def test_queue_clear_empties_a_queue(queue_app, ledger, run) -> None:
    app = await queue_app()
    for key in "ab":
        await dispatch(Record(key, ledger), queue="bulk")
    ran = await run(app, "queue:clear", "--queue", "bulk", format="json")
    assert ran.data["deleted"] == 2
    assert await app.make(QueueManager).connection().size("bulk") == 0


async def test_queue_clear_is_refused_in_production_without_force(queue_app, ledger, run) -> None:
    app = await queue_app(env={"APP_ENV": "production", "APP_KEY": "k" * 32})
    await dispatch(Record("a", ledger))
    refused = await run(app, "queue:clear")
    assert refused.outcome.exit_code == 1
    assert "--force" in (refused.outcome.error or "")
    assert await app.make(QueueManager).connection().size() == 1
    assert (await run(app, "queue:clear", force=True)).outcome.exit_code == 0


async def test_make_job_writes_a_job_class(make_app, run, base) -> None:
    from foundry.stub_system.provider import StubSystemServiceProvider

    app = await make_app("sync", providers=(StubSystemServiceProvider,), migrate=False)
    ran = await run(app, "make:job", "process-podcast", format="json")
    assert ran.outcome.exit_code == 0, ran.outcome.error
    source = (base / "app" / "jobs" / "process_podcast.py").read_text()
    assert "class ProcessPodcast(Dispatchable, Job):" in source
    compile(source, "process_podcast.py", "exec")
    sync = await run(app, "make:job", "ShipOrder", "--sync")
    assert 'connection = "sync"' in (base / "app" / "jobs" / "ship_order.py").read_text()
    assert sync.outcome.exit_code == 0
    again = await run(app, "make:job", "process-podcast")
    assert again.outcome.exit_code != 0  # exists: refused without --force
