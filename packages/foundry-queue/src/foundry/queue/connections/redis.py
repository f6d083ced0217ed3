"""The ``redis`` connection: reliable queues on Redis with redis-py.

Reliability comes from leases, not from trust in workers. ``pop`` moves a job id from the
ready list into a *reserved* sorted set scored by its lease expiry, in the same script
that counts the attempt and stamps a reservation token; the running worker renews the
lease while the job runs; ``ack`` deletes the job only for the token holder. When a
worker dies, its lease expires and the next ``pop`` (of any worker) puts the job back at
the front of the queue: no job is lost, and because a worker that cannot renew its lease
in time cancels the run, none runs twice at once. All of it is Lua (see
:mod:`foundry.queue.connections.redis_scripts`), so a crash between two commands cannot
leave a job half moved.

Connection failures surface as :class:`QueueUnavailableError`; the worker backs off and
tries again, so it survives a Redis restart (with persistence on, the queued jobs are
still there afterwards). Single Redis servers and primaries (Sentinel) are supported;
Redis Cluster is not (the scripts touch per-job keys they cannot declare).
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from typing import Any

from foundry.domain.errors import MissingDependencyError
from foundry.domain.queue import JobEnvelope
from foundry.queue.connections import redis_scripts as lua
from foundry.queue.connections.base import ReservedJob, WorkerQueue, reserved_job
from foundry.queue.envelopes import body_of
from foundry.queue.errors import QueueUnavailableError

__all__ = ["RedisQueue"]

NOTIFY_CAP = 1000
MIGRATE_BATCH = 100


def _client(url: str, timeout: float) -> Any:
    try:
        from redis.asyncio import ConnectionPool, Redis
        from redis.asyncio.retry import Retry
        from redis.backoff import ExponentialBackoff
        from redis.exceptions import ConnectionError as RedisConnectionError
        from redis.exceptions import TimeoutError as RedisTimeoutError
    except ImportError:
        raise MissingDependencyError(
            "The redis queue connection", "'foundry-queue[redis]'"
        ) from None
    pool = ConnectionPool.from_url(
        url,
        decode_responses=True,
        socket_timeout=timeout,
        socket_connect_timeout=min(timeout, 5.0),
        health_check_interval=30,
        retry=Retry(ExponentialBackoff(cap=0.5, base=0.05), 3),
        retry_on_error=[RedisConnectionError, RedisTimeoutError],
    )
    # Pooled connections go stale when Redis restarts; a command that meets one is tried
    # again on a fresh connection. Every script is safe to repeat (push is idempotent,
    # the others check the reservation token).
    return Redis(connection_pool=pool)


class RedisQueue(WorkerQueue):
    """A Redis-backed connection.

    Args:
        name: the connection's name (``redis``).
        url: ``redis://host:port/db`` (``REDIS_URL``).
        prefix: key prefix (``QUEUE_REDIS_PREFIX``), so apps can share a server.
        default_queue: the queue name used when a job names none.
        retry_after: the visibility timeout, seconds: how long a job reserved by a worker
            that stopped renewing waits before another worker may take it.
        client: an existing ``redis.asyncio.Redis`` (tests, shared pools).
    """

    def __init__(
        self,
        name: str = "redis",
        *,
        url: str = "redis://127.0.0.1:6379/0",
        prefix: str = "foundry:queue:",
        default_queue: str = "default",
        retry_after: float = 90.0,
        timeout: float = 10.0,
        client: Any = None,
    ) -> None:
        self.name = name
        self.url = url
        self.prefix = prefix
        self.default_queue = default_queue
        self.retry_after = float(retry_after)
        self._timeout = timeout
        self._redis = client or _client(url, timeout)
        self._scripts = {
            key: self._redis.register_script(getattr(lua, key))
            for key in ("PUSH", "POP", "ACK", "RELEASE", "RENEW", "CLEAR", "SIZES")
        }

    # --- keys ------------------------------------------------------------------------

    def ready_key(self, queue: str) -> str:
        return f"{self.prefix}queues:{queue}"

    def job_key(self, job_id: str) -> str:
        return f"{self.prefix}jobs:{job_id}"

    def _keys(self, queue: str) -> tuple[str, str, str, str]:
        ready = self.ready_key(queue)
        return ready, f"{ready}:delayed", f"{ready}:reserved", f"{ready}:notify"

    async def _run(self, script: str, keys: Sequence[str], args: Sequence[Any]) -> Any:
        from redis.exceptions import ConnectionError as RedisConnectionError
        from redis.exceptions import TimeoutError as RedisTimeoutError

        try:
            return await self._scripts[script](keys=list(keys), args=list(args))
        except (RedisConnectionError, RedisTimeoutError, OSError) as exc:
            raise self._unavailable(exc) from exc

    def _unavailable(self, exc: BaseException) -> QueueUnavailableError:
        return QueueUnavailableError(
            f"Queue connection {self.name!r}: Redis at {self._masked()} is not reachable "
            f"({type(exc).__name__}: {exc}). Check REDIS_URL and that Redis is running."
        )

    def _masked(self) -> str:
        from urllib.parse import urlsplit

        parts = urlsplit(self.url)
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
        return f"{parts.scheme}://{host}{port}{parts.path}"

    # --- the Queue contract ----------------------------------------------------------

    async def push(self, envelope: JobEnvelope, *, delay: float = 0) -> str:
        return await self.push_body(envelope.id, envelope.queue, body_of(envelope), delay=delay)

    async def push_body(self, job_id: str, queue: str, body: str, *, delay: float = 0) -> str:
        ready, delayed, _, notify = self._keys(queue)
        args = [job_id, body, int(max(delay, 0) * 1000), NOTIFY_CAP]
        await self._run("PUSH", [ready, delayed, notify, self.job_key(job_id)], args)
        return job_id

    async def size(self, queue: str = "default") -> int:
        return sum((await self.sizes(queue)).values())

    async def sizes(self, queue: str) -> dict[str, int]:
        counts = await self._run("SIZES", self._keys(queue)[:3], [])
        return {"ready": int(counts[0]), "delayed": int(counts[1]), "reserved": int(counts[2])}

    async def clear(self, queue: str = "default") -> int:
        return int(await self._run("CLEAR", self._keys(queue), [f"{self.prefix}jobs:"]))

    # --- the worker side -------------------------------------------------------------

    async def pop(self, queues: Sequence[str]) -> ReservedJob | None:
        keys: list[str] = []
        for queue in queues:
            keys.extend(self._keys(queue)[:3])
        token = secrets.token_hex(16)
        lease = int(self.retry_after * 1000)
        found = await self._run("POP", keys, [f"{self.prefix}jobs:", lease, token, MIGRATE_BATCH])
        if not found:
            return None
        index, job_id, body, attempts = found
        queue = queues[int(index) - 1]
        return reserved_job(job_id, queue, body, int(attempts), token, self.name)

    async def ack(self, job: ReservedJob) -> bool:
        reserved = self._keys(job.queue)[2]
        return bool(await self._run("ACK", [reserved, self.job_key(job.id)], [job.id, job.token]))

    async def release(self, job: ReservedJob, delay: float = 0, *, count: bool = True) -> bool:
        ready, delayed, reserved, notify = self._keys(job.queue)
        keys = [reserved, delayed, ready, self.job_key(job.id), notify]
        args = [job.id, job.token, int(max(delay, 0) * 1000), "0" if count else "1", NOTIFY_CAP]
        return bool(await self._run("RELEASE", keys, args))

    async def renew(self, jobs: Sequence[ReservedJob]) -> set[str]:
        if not jobs:
            return set()
        keys = [self._keys(j.queue)[2] for j in jobs]
        args: list[Any] = [f"{self.prefix}jobs:", int(self.retry_after * 1000)]
        for j in jobs:
            args += [j.id, j.token]
        return set(await self._run("RENEW", keys, args) or [])

    async def wait(self, queues: Sequence[str], timeout: float) -> None:
        """Block on the queues' notify lists (a push wakes the worker at once)."""
        from redis.exceptions import ConnectionError as RedisConnectionError
        from redis.exceptions import TimeoutError as RedisTimeoutError

        seconds = max(0.01, min(timeout, self._timeout / 2))
        try:
            await self._redis.blpop([self._keys(q)[3] for q in queues], timeout=seconds)
        except (RedisConnectionError, RedisTimeoutError, OSError) as exc:
            raise self._unavailable(exc) from exc

    async def close(self) -> None:
        await self._redis.aclose()

    def __repr__(self) -> str:
        return f"<RedisQueue {self.name} {self._masked()} prefix={self.prefix!r}>"
