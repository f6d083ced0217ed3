"""arq's side of benchmarks/queue_throughput.py, run in its own environment (see arq_round there):
prints one JSON line, [dispatched jobs/s, processed jobs/s]."""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import time
from typing import Any

JOBS = int(os.environ.get("QUEUE_BENCH_JOBS", "3000"))
CONCURRENCY = int(os.environ.get("QUEUE_BENCH_CONCURRENCY", "10"))
REDIS_URL = os.environ.get("QUEUE_BENCH_REDIS", "redis://127.0.0.1:6379/0")


async def noop(ctx: dict[str, Any], index: int) -> None:
    return None


async def arq_round() -> tuple[float, float]:
    """Enqueue JOBS no-op jobs, then drain them with one burst worker."""
    from arq import create_pool
    from arq.connections import RedisSettings
    from arq.worker import Worker as ArqWorker

    queue = f"arq-bench:{secrets.token_hex(4)}"
    settings = RedisSettings.from_dsn(REDIS_URL)
    pool = await create_pool(settings, default_queue_name=queue)
    try:
        started = time.perf_counter()
        for index in range(JOBS):
            await pool.enqueue_job("noop", index, _queue_name=queue)
        dispatched = time.perf_counter() - started
        worker = ArqWorker(
            functions=[noop],
            redis_pool=pool,
            queue_name=queue,
            burst=True,
            max_jobs=CONCURRENCY,
            keep_result=0,
            poll_delay=0.01,
            handle_signals=False,
        )
        started = time.perf_counter()
        await worker.async_run()
        processed = time.perf_counter() - started
        assert worker.jobs_complete == JOBS, worker.jobs_complete
        await worker.close()
        return JOBS / dispatched, JOBS / processed
    finally:
        await pool.aclose()


if __name__ == "__main__":
    print(json.dumps(asyncio.run(arq_round())))
