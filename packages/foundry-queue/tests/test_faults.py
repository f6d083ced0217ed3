"""Loss accounting against real services: killed workers, a restarted Redis, SIGTERM.

Every test here proves that nothing is lost: each dispatched job ends exactly once as
delivered (its side effect is in the ledger) or failed (its row is in failed_jobs).
"""

from __future__ import annotations

import asyncio
import shutil
import signal
import time
from pathlib import Path

import pytest
from conftest import work
from queue_test_jobs import AlwaysFails, Flaky, Patient, Record, Refuses, Sleepy, read
from workers import spawn, stop, wait_for

from foundry.queue import dispatch
from foundry.queue.manager import QueueManager
from foundry.testing.redis import RedisServerProcess
from foundry.testing.servers import require_service


async def failed_uuids(app) -> set[str]:
    store = app.make(QueueManager).failed_store()
    return {job.uuid for job in await store.all()}


async def dispatch_mixed(ledger: str) -> dict[str, str]:
    """Successes, transient failures, permanent failures and failures after tries."""
    ids: dict[str, str] = {}
    for index in range(12):
        ids[f"ok{index}"] = await dispatch(Record(f"ok{index}", ledger))
    for index in range(4):
        ids[f"flaky{index}"] = await dispatch(Flaky(f"flaky{index}", ledger, failures=1))
    for index in range(3):
        ids[f"perm{index}"] = await dispatch(Refuses(f"perm{index}", ledger))
    for index in range(3):
        ids[f"fail{index}"] = await dispatch(AlwaysFails(f"fail{index}", ledger))
    for index in range(4):
        ids[f"slow{index}"] = await dispatch(Sleepy(f"slow{index}", ledger, seconds=0.3))
    return ids


def delivered(ledger: str) -> set[str]:
    return {line.removeprefix("done:") for line in read(ledger) if line.startswith("done:")}


async def test_delivered_plus_failed_equals_dispatched_with_a_killed_worker(
    queue_app, ledger, base: Path
) -> None:
    """The issue's accounting test: a mixed workload, one worker SIGKILLed mid-job, a
    second worker finishing after the visibility timeout."""
    app = await queue_app(env={"QUEUE_RETRY_AFTER": "2"})
    ids = await dispatch_mixed(ledger)
    victim = await dispatch(Sleepy("victim", ledger, seconds=2.0), queue="slow")
    ids["victim"] = victim

    worker = spawn(base, "--queue", "slow,default", "--concurrency", "3", "--tries", "3")
    try:
        wait_for(lambda: "start:victim" in read(ledger), 30, "the victim job to start")
    finally:
        stop(worker, signal.SIGKILL)
    assert worker.returncode == -signal.SIGKILL
    assert "done:victim" not in read(ledger)

    await asyncio.sleep(2.3)  # the visibility timeout hands the victim's job out again
    await work(app, "slow", "default", tries=3, concurrency=3)

    done = delivered(ledger)
    failed = await failed_uuids(app)
    failed_keys = {key for key, job_id in ids.items() if job_id in failed}
    assert "victim" in done
    assert done | failed_keys == set(ids), "a job was lost"
    assert not done & failed_keys, "a job was counted twice"
    assert len(done) + len(failed_keys) == len(ids)
    assert failed_keys == {"perm0", "perm1", "perm2", "fail0", "fail1", "fail2"}
    assert await app.make(QueueManager).connection().size("default") == 0


async def test_a_job_held_by_a_killed_worker_runs_again_after_the_visibility_timeout(
    queue_app, ledger, base: Path
) -> None:
    app = await queue_app(env={"QUEUE_RETRY_AFTER": "1.5"})
    await dispatch(Sleepy("held", ledger, seconds=3))
    worker = spawn(base)
    try:
        wait_for(lambda: "start:held" in read(ledger), 30, "the job to start")
    finally:
        stop(worker, signal.SIGKILL)
    started = time.monotonic()
    report = await work(app, tries=3, sleep=0.1, stop_when_empty=False, max_time=8, max_jobs=1)
    assert report.processed == 1
    assert time.monotonic() - started >= 1.0  # not before the lease of the dead worker ran out
    assert read(ledger) == ["start:held", "start:held", "done:held"]


async def test_sigterm_lets_the_running_job_finish_and_exits_zero(
    queue_app, ledger, base: Path
) -> None:
    app = await queue_app()
    await dispatch(Sleepy("finish-me", ledger, seconds=1.0))
    worker = spawn(base)
    wait_for(lambda: "start:finish-me" in read(ledger), 30, "the job to start")
    code = stop(worker, signal.SIGTERM)
    assert code == 0, worker.stderr.read() if worker.stderr else ""
    assert read(ledger) == ["start:finish-me", "done:finish-me"]
    assert await app.make(QueueManager).connection().size() == 0


async def test_sigterm_releases_a_job_that_outlives_the_grace_period(
    queue_app, ledger, base: Path
) -> None:
    app = await queue_app()
    job_id = await dispatch(Patient("long", ledger, seconds=20))
    worker = spawn(base, "--timeout", "1")
    wait_for(lambda: "start:long" in read(ledger), 30, "the job to start")
    code = stop(worker, signal.SIGTERM)
    assert code == 0
    assert read(ledger) == ["start:long"]
    connection = app.make(QueueManager).connection()
    sizes = await connection.sizes("default")
    assert sizes["ready"] == 1
    assert sizes["reserved"] == 0
    assert job_id not in await failed_uuids(app)


@pytest.mark.parametrize("backend", ["redis"], indirect=True)
async def test_the_worker_survives_a_redis_restart_and_finishes_the_jobs(
    queue_app, ledger, base: Path, tmp_path: Path
) -> None:
    if shutil.which("redis-server") is None:
        require_service("redis-server is not installed")
    folder = tmp_path / "redis-data"
    folder.mkdir()
    # The append-only file on, so the queue survives the restart (with persistence off a
    # restart would empty it).
    server = RedisServerProcess(folder, append_only=True)
    server.start()
    try:
        url = server.url
        app = await queue_app(env={"REDIS_URL": url, "QUEUE_RETRY_AFTER": "20"})
        keys = [f"r{index}" for index in range(30)]
        for key in keys:
            await dispatch(Sleepy(key, ledger, seconds=0.1))
        worker = spawn(base, "--concurrency", "2", "--sleep", "0.2")
        try:
            wait_for(lambda: len(delivered(ledger)) >= 5, 30, "the first jobs")
            server.stop()  # a clean shutdown (SIGTERM) writes the append-only file
            time.sleep(1.0)
            assert worker.poll() is None, "the worker died with Redis"
            server.start()
            wait_for(lambda: delivered(ledger) >= set(keys), 60, "every job after the restart")
            assert worker.poll() is None
        finally:
            code = stop(worker, signal.SIGTERM)
        assert code == 0
        assert delivered(ledger) == set(keys)
        assert sorted(line for line in read(ledger) if line.startswith("done:")) == sorted(
            f"done:{key}" for key in keys
        ), "a job ran twice"
        assert await app.make(QueueManager).connection().size() == 0
    finally:
        server.stop()
