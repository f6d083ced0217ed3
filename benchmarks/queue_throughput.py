"""Queue throughput: no-op jobs dispatched and processed per second by one worker.

Run from the repository root with every workspace package installed and a Redis on
127.0.0.1:6379:

    uv run --all-packages --group bench python benchmarks/queue_throughput.py

Foundry's worker runs on its redis connection and on its database connection (SQLite
file, WAL), beside arq (the asyncio Redis queue) on the same Redis. Each side gets the
same job count and the same concurrency (one worker process running ``CONCURRENCY`` jobs
at a time); dispatching and processing are timed separately. arq is given its fastest
settings for a fair race: ``keep_result=0`` (no result writes) and ``poll_delay=0.01``
(its default is 0.5 s). Each measurement runs ``ROUNDS`` times, the sides alternating,
and the medians are printed with the ratio on Redis.
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from foundry.domain.queue import Job

JOBS = int(os.environ.get("QUEUE_BENCH_JOBS", "3000"))
CONCURRENCY = int(os.environ.get("QUEUE_BENCH_CONCURRENCY", "10"))
ROUNDS = int(os.environ.get("QUEUE_BENCH_ROUNDS", "3"))
REDIS_URL = os.environ.get("QUEUE_BENCH_REDIS", "redis://127.0.0.1:6379/0")


@dataclass
class NoOp(Job):
    index: int

    async def handle(self) -> None:
        return None


async def foundry_round(connection: str) -> tuple[float, float]:
    from foundry.application import Application
    from foundry.domain.application import CommandRunner
    from foundry.infra.provider import InfraServiceProvider
    from foundry.queue.manager import QueueManager
    from foundry.queue.provider import QueueServiceProvider
    from foundry.queue.worker import Worker, WorkerOptions

    base = Path(tempfile.mkdtemp(prefix="foundry-queue-bench-"))
    prefix = f"foundry-bench:{secrets.token_hex(4)}:"
    os.environ.update(
        QUEUE_CONNECTION=connection,
        REDIS_URL=REDIS_URL,
        QUEUE_REDIS_PREFIX=prefix,
        DATABASE_URL="sqlite:///storage/database.sqlite",
    )
    app = Application(
        base, providers=[QueueServiceProvider, InfraServiceProvider], discover=False
    ).boot()
    try:
        if connection == "database":
            outcome = await app.make(CommandRunner).run("migrate", [], force=True)
            assert outcome.exit_code == 0, outcome.error
        manager = app.make(QueueManager)
        started = time.perf_counter()
        for index in range(JOBS):
            await manager.dispatch(NoOp(index))
        dispatched = time.perf_counter() - started
        worker = Worker(
            manager,
            manager.worker_connection(),
            WorkerOptions(concurrency=CONCURRENCY, stop_when_empty=True, sleep=0.01),
        )
        started = time.perf_counter()
        report = await worker.run()
        processed = time.perf_counter() - started
        assert report.processed == JOBS, report
        return JOBS / dispatched, JOBS / processed
    finally:
        await app.terminate()


def arq_round() -> tuple[float, float]:
    """arq's round, in an environment of its own: arq pins redis-py below 6, which the
    framework does not, so it is never part of the workspace's lock."""
    script = Path(__file__).resolve().parent / "peers" / "arq_queue.py"
    done = subprocess.run(
        [
            "uv",
            "run",
            "--quiet",
            "--isolated",
            "--no-project",
            "--with",
            "arq>=0.25,<0.30",
            "python",
            str(script),
        ],
        env={
            **os.environ,
            "QUEUE_BENCH_JOBS": str(JOBS),
            "QUEUE_BENCH_CONCURRENCY": str(CONCURRENCY),
            "QUEUE_BENCH_REDIS": REDIS_URL,
        },
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"the arq peer failed:\n{done.stderr[-2000:]}")
    dispatch, process = json.loads(done.stdout.strip().splitlines()[-1])
    return float(dispatch), float(process)


def main() -> None:
    import logging

    logging.disable(logging.WARNING)
    sides: dict[str, list[tuple[float, float]]] = {
        "foundry redis": [],
        "arq redis": [],
        "foundry database (SQLite)": [],
    }
    for _ in range(ROUNDS):
        sides["foundry redis"].append(asyncio.run(foundry_round("redis")))
        sides["arq redis"].append(arq_round())
        sides["foundry database (SQLite)"].append(asyncio.run(foundry_round("database")))
    print(
        f"\n{JOBS} no-op jobs, one worker, concurrency {CONCURRENCY}, "
        f"median of {ROUNDS} rounds (Python {sys.version.split()[0]})"
    )
    medians = {}
    for label, runs in sides.items():
        dispatch = statistics.median(r[0] for r in runs)
        process = statistics.median(r[1] for r in runs)
        medians[label] = (dispatch, process)
        print(f"  {label:28s} dispatch {dispatch:8.0f} jobs/s   process {process:8.0f} jobs/s")
    ours, peer = medians["foundry redis"], medians["arq redis"]
    dispatch_ratio, process_ratio = ours[0] / peer[0], ours[1] / peer[1]
    print(f"  redis, foundry / arq: dispatch {dispatch_ratio:.2f}x, process {process_ratio:.2f}x")
    met = process_ratio >= 1.0
    print(f"  processing target >= 1.0x arq: {'MET' if met else 'MISSED'}")


if __name__ == "__main__":
    main()
