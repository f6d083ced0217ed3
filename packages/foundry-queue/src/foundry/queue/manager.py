"""The queue manager: the application's ``QueueDispatcher`` and its named connections.

``dispatch`` accepts a ``Job``, an ``@job`` call, a :class:`PendingDispatch` (fluent
options), a :class:`Chain`, a :class:`PendingBatch` or a ``"module:function"``
reference, and sends it over the connection the call, the job or ``QUEUE_CONNECTION``
names (in that order of precedence; the queue likewise: the call, the job, then the
connection's default queue).

Unique jobs (``unique_for``) take a lock from the bound ``Cache`` (foundry-cache), named
after the job's ``unique_id()`` and owned by the new job's id: while it is held (until the
job finishes or fails, or ``unique_for`` seconds pass) an identical dispatch is not
queued and returns ``""``. **Without a bound Cache, dispatching a unique job raises**
:class:`QueueConfigurationError` rather than silently queueing duplicates.
"""

from __future__ import annotations

import hashlib
import logging
from typing import TYPE_CHECKING, Any

from foundry.domain.container import Container
from foundry.domain.contracts import unbound_message
from foundry.domain.events import Event
from foundry.domain.queue import JobEnvelope
from foundry.queue.connections.base import QueueConnection, WorkerQueue
from foundry.queue.errors import QueueConfigurationError
from foundry.queue.events import JobQueued
from foundry.queue.flows import Flows
from foundry.queue.settings import ConnectionSettings, QueueSettings

if TYPE_CHECKING:
    from foundry.queue.batches import BatchRepository
    from foundry.queue.envelopes import JobSpec
    from foundry.queue.failed import FailedJobStore
    from foundry.queue.runner import JobRunner

__all__ = ["QueueManager"]

log = logging.getLogger("foundry.queue")


class QueueManager:
    """Implements :class:`foundry.domain.queue.QueueDispatcher`.

    Args:
        container: the application container (services for jobs, Database, Cache,
            EventDispatcher).
        settings: the connections and defaults (:class:`QueueSettings`).
    """

    def __init__(self, container: Container, settings: QueueSettings | None = None) -> None:
        self.container = container
        self.settings = settings or QueueSettings(
            connections={"sync": ConnectionSettings("sync", "sync")}
        )
        self._connections: dict[str, QueueConnection] = {}
        self._runner: JobRunner | None = None
        self._failed: FailedJobStore | None = None
        self.flows = Flows(self)

    # --- connections -----------------------------------------------------------------

    @property
    def default_connection(self) -> str:
        return self.settings.default

    @property
    def runner(self) -> JobRunner:
        if self._runner is None:
            from foundry.queue.runner import JobRunner

            self._runner = JobRunner(self)
        return self._runner

    def connection(self, name: str | None = None) -> QueueConnection:
        """The connection ``name`` (the default one when None), built on first use.

        Raises:
            QueueConfigurationError: no such connection, or its backing service is not
                installed/bound.
        """
        name = name or self.settings.default
        existing = self._connections.get(name)
        if existing is not None:
            return existing
        options = self.settings.connections.get(name)
        if options is None:
            raise QueueConfigurationError(
                f"Queue connection {name!r} is not defined; use one of "
                f"{', '.join(sorted(self.settings.connections))} or add queue.connections.{name}."
            )
        built: QueueConnection
        if options.driver == "sync":
            from foundry.queue.connections.sync import SyncQueue

            built = SyncQueue(self.runner.run_now, name, default_queue=options.queue)
        elif options.driver == "database":
            from foundry.domain.database import Database
            from foundry.queue.connections.database import DatabaseQueue

            if not self.container.bound(Database):
                raise QueueConfigurationError(
                    f"Queue connection {name!r} stores jobs in the database. "
                    + unbound_message(Database)
                )
            built = DatabaseQueue(
                self.container.make(Database),
                name,
                default_queue=options.queue,
                retry_after=options.retry_after,
            )
        else:
            from foundry.queue.connections.redis import RedisQueue

            built = RedisQueue(
                name,
                url=options.url,
                prefix=options.prefix,
                default_queue=options.queue,
                retry_after=options.retry_after,
            )
        self._connections[name] = built
        return built

    def worker_connection(self, name: str | None = None) -> WorkerQueue:
        """A connection a worker can take jobs from.

        Raises:
            QueueConfigurationError: ``name`` is a ``sync`` connection (its jobs run when
                dispatched; there is nothing to work).
        """
        connection = self.connection(name)
        if not isinstance(connection, WorkerQueue):
            raise QueueConfigurationError(
                f"Queue connection {connection.name!r} is sync: its jobs run when they are "
                "dispatched, so there is no queue to work. Set QUEUE_CONNECTION=database or "
                "redis, or name one: foundry queue:work redis."
            )
        return connection

    def add_connection(self, connection: QueueConnection) -> None:
        """Register an already built connection under its name (tests, custom drivers)."""
        self._connections[connection.name] = connection

    # --- dispatching -----------------------------------------------------------------

    async def dispatch(
        self,
        job: Any,
        *,
        queue: str | None = None,
        delay: float = 0,
        connection: str | None = None,
    ) -> str:
        """Queue ``job``; returns its id (``""`` when a unique job is already queued).

        Raises:
            PayloadError: the job cannot be queued (not a dataclass, a payload JSON cannot
                carry, a closure as a callback); nothing was queued.
            QueueConfigurationError: an unknown connection, or a unique job without a Cache.
            QueueUnavailableError: the connection's store is unreachable.
        """
        from foundry.queue.batches import PendingBatch
        from foundry.queue.chains import Chain
        from foundry.queue.dispatching import PendingDispatch

        if isinstance(job, PendingDispatch):
            queue = queue or job.queue
            connection = connection or job.connection
            delay = delay or job.delay_seconds
            job = job.job
        if isinstance(job, Chain):
            return await self.flows.dispatch_chain(job, queue, connection, delay)
        if isinstance(job, PendingBatch):
            return await self.flows.dispatch_batch(job, queue, connection, delay)
        from foundry.queue.envelopes import spec_of

        spec = spec_of(job)
        return await self.dispatch_spec(spec, queue, connection, delay, {})

    async def dispatch_spec(
        self,
        spec: JobSpec,
        queue: str | None,
        connection: str | None,
        delay: float,
        meta: dict[str, Any],
    ) -> str:
        from foundry.queue.envelopes import make_envelope, new_id

        target = self.connection(connection or spec.connection)
        job_id = new_id()
        unique: dict[str, Any] | None = None
        if spec.unique_for:
            key = "queue-unique:" + hashlib.sha256((spec.unique_id or "").encode()).hexdigest()
            if not await self._lock_unique(key, job_id, float(spec.unique_for), spec.name):
                log.info("Unique job %s is already queued; not queued again.", spec.name)
                return ""
            unique = {"key": key, "ttl": float(spec.unique_for)}
            meta = {**meta, "unique": unique}
        envelope = make_envelope(
            spec, queue=queue or spec.queue or target.default_queue, meta=meta, job_id=job_id
        )
        try:
            return await self.push(envelope, target, delay)
        except BaseException:
            if unique is not None and not self.is_sync(target):
                await self.release_unique(unique["key"], job_id, unique["ttl"])
            raise

    @staticmethod
    def is_sync(connection: QueueConnection) -> bool:
        return not isinstance(connection, WorkerQueue)

    async def push(self, envelope: JobEnvelope, target: QueueConnection, delay: float = 0) -> str:
        """Store an envelope on ``target`` and fire ``JobQueued``."""
        event = JobQueued(
            target.name, envelope.queue, envelope.id, str(envelope.meta.get("name")), delay
        )
        if self.is_sync(target):
            await self.fire(event)  # the job runs inside push: announce it first
            return await target.push(envelope, delay=delay)
        job_id = await target.push(envelope, delay=delay)
        await self.fire(event)
        return job_id

    # --- chains and batches (see foundry.queue.flows) -------------------------------

    def batches(self) -> BatchRepository:
        """The ``job_batches`` repository (raises when no Database is bound)."""
        return self.flows.batches()

    async def continue_chain(self, links: list[Any], catch: Any, finished_on: str) -> None:
        await self.flows.continue_chain(links, catch, finished_on)

    async def batch_succeeded(self, batch_id: str) -> None:
        await self.flows.batch_succeeded(batch_id)

    async def batch_failed(self, batch_id: str, job_id: str, name: str, exc: BaseException) -> None:
        await self.flows.batch_failed(batch_id, job_id, name, exc)

    async def batch_cancelled(self, batch_id: str) -> bool:
        return await self.flows.batch_cancelled(batch_id)

    async def fire_callback(self, spec: dict[str, Any], **arguments: Any) -> None:
        """Queue a job callback, or call a function callback here (``batch=``, ``error=``)."""
        await self.flows.fire_callback(spec, **arguments)

    # --- unique jobs -----------------------------------------------------------------

    def _cache(self, name: str) -> Any:
        from foundry.domain.cache import Cache

        if not self.container.bound(Cache):
            raise QueueConfigurationError(
                f"{name} sets unique_for, which needs a Cache to hold its lock. "
                + unbound_message(Cache)
            )
        return self.container.make(Cache)

    async def _lock_unique(self, key: str, owner: str, ttl: float, name: str) -> bool:
        lock = self._cache(name).lock(key, ttl, owner=owner)
        return bool(await lock.acquire())

    async def release_unique(self, key: str, owner: str, ttl: float) -> None:
        from foundry.domain.cache import Cache

        if self.container.bound(Cache):
            await self.container.make(Cache).lock(key, ttl, owner=owner).release()

    # --- failed jobs and events ------------------------------------------------------

    def failed_store(self) -> FailedJobStore | None:
        """The ``failed_jobs`` store, or None when no Database is bound."""
        if self._failed is None:
            from foundry.domain.database import Database
            from foundry.queue.failed import FailedJobStore

            if not self.container.bound(Database):
                return None
            self._failed = FailedJobStore(self.container.make(Database))
        return self._failed

    async def fire(self, event: Event) -> None:
        """Dispatch ``event`` through the bound EventDispatcher (nothing when none)."""
        from foundry.domain.events import EventDispatcher

        if not self.container.bound(EventDispatcher):
            return
        try:
            await self.container.make(EventDispatcher).dispatch(event)
        except Exception:
            log.exception("Dispatching %s failed.", type(event).__name__)

    async def close(self) -> None:
        """Close every connection built so far."""
        connections, self._connections = list(self._connections.values()), {}
        for connection in connections:
            try:
                await connection.close()
            except Exception:
                log.exception("Closing queue connection %s failed.", connection.name)

    def __repr__(self) -> str:
        return f"<QueueManager default={self.settings.default!r}>"
