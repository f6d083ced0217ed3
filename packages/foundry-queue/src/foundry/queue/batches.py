"""Batches: many jobs dispatched together, with progress and completion callbacks.

::

    batch_id = await (
        batch([ImportRows(f, i) for i in range(40)])
        .name("import customers.csv")
        .then(ImportFinished(f))        # every job succeeded
        .catch("app.imports:notify")    # the first job failed for good
        .finally_("app.imports:cleanup")  # every job has run, whatever the outcome
        .dispatch()
    )

Progress lives in ``job_batches`` (total, pending and failed counts, failed ids), so any
process can read it (:meth:`BatchRepository.find`). Counting is exact across workers: each
count changes in one transaction, and each callback fires exactly once (the transaction
that moves the batch to its finished state is the one that fires ``then``/``finally``,
and the one that records the first failure fires ``catch``). Unless
``allow_failures()``, the first failure also cancels the batch: its jobs not yet run are
skipped (they count as processed). Batches need a ``Database`` (foundry-infra).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from foundry.domain.database import Database
from foundry.queue.errors import QueueConfigurationError, QueueUnavailableError

if TYPE_CHECKING:
    from foundry.domain.queue import QueueDispatcher

__all__ = ["BatchRepository", "BatchState", "PendingBatch", "batch"]


@dataclass(frozen=True, slots=True)
class BatchState:
    """A batch's row in ``job_batches``."""

    id: str
    name: str
    total_jobs: int
    pending_jobs: int
    failed_jobs: int
    failed_job_ids: list[str]
    options: dict[str, Any]
    created_at: datetime
    cancelled_at: datetime | None = None
    finished_at: datetime | None = None

    @property
    def processed_jobs(self) -> int:
        """Jobs that succeeded (or were skipped because the batch was cancelled)."""
        return self.total_jobs - self.pending_jobs

    @property
    def progress(self) -> int:
        """Percent of jobs processed, 0-100."""
        return 100 if self.total_jobs == 0 else int(self.processed_jobs * 100 / self.total_jobs)

    @property
    def finished(self) -> bool:
        return self.finished_at is not None

    @property
    def cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def has_failures(self) -> bool:
        return self.failed_jobs > 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "total_jobs": self.total_jobs,
            "pending_jobs": self.pending_jobs,
            "processed_jobs": self.processed_jobs,
            "failed_jobs": self.failed_jobs,
            "failed_job_ids": list(self.failed_job_ids),
            "progress": self.progress,
            "created_at": self.created_at.isoformat(),
            "cancelled_at": self.cancelled_at.isoformat() if self.cancelled_at else None,
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
        }


@dataclass(slots=True)
class PendingBatch:
    """A batch being built; nothing is stored or queued until :meth:`dispatch`."""

    jobs: list[Any]
    batch_name: str = ""
    callbacks: dict[str, Any] = field(default_factory=dict)
    failures_allowed: bool = False
    queue: str | None = None
    connection: str | None = None

    def name(self, name: str) -> PendingBatch:
        self.batch_name = name
        return self

    def then(self, callback: Any) -> PendingBatch:
        """Fire ``callback`` once every job has succeeded."""
        self.callbacks["then"] = callback
        return self

    def catch(self, callback: Any) -> PendingBatch:
        """Fire ``callback`` when the first job fails for good."""
        self.callbacks["catch"] = callback
        return self

    def finally_(self, callback: Any) -> PendingBatch:
        """Fire ``callback`` once every job has run, whether it succeeded or failed."""
        self.callbacks["finally"] = callback
        return self

    def allow_failures(self, allow: bool = True) -> PendingBatch:
        """Keep running the other jobs after a failure (the default cancels the batch)."""
        self.failures_allowed = allow
        return self

    def on_queue(self, name: str) -> PendingBatch:
        self.queue = name
        return self

    def on_connection(self, name: str) -> PendingBatch:
        self.connection = name
        return self

    async def dispatch(self, dispatcher: QueueDispatcher | None = None) -> str:
        """Store the batch and queue its jobs; returns the batch id."""
        from foundry.queue.dispatching import current_dispatcher

        target = dispatcher or current_dispatcher()
        return await target.dispatch(self, queue=self.queue, connection=self.connection)


def batch(jobs: Sequence[Any]) -> PendingBatch:
    """Start building a batch of ``jobs``."""
    if not jobs:
        raise QueueConfigurationError("batch([...]) needs at least one job.")
    return PendingBatch(list(jobs))


class BatchRepository:
    """``job_batches`` through the application's database."""

    def __init__(self, database: Database) -> None:
        self.database = database

    async def _run(self, work: Any) -> Any:
        from sqlalchemy.exc import DBAPIError

        try:
            async with self.database.engine.begin() as connection:
                return await work(connection)
        except (DBAPIError, OSError) as exc:
            raise QueueUnavailableError(
                f"The job_batches table of {self.database.url} cannot be used "
                f"({type(exc).__name__}). Run `foundry migrate` to create it."
            ) from exc

    @staticmethod
    async def _load(connection: Any, batch_id: str) -> BatchState | None:
        import sqlalchemy as sa

        from foundry.queue.tables import batches_table as batches

        row = (await connection.execute(sa.select(batches).where(batches.c.id == batch_id))).first()
        if row is None:
            return None
        data = dict(row._mapping)
        data["failed_job_ids"] = list(data["failed_job_ids"] or [])
        data["options"] = dict(data["options"] or {})
        return BatchState(**data)

    async def create(self, batch_id: str, name: str, total: int, options: dict[str, Any]) -> None:
        from foundry.queue.tables import batches_table as batches

        row = {
            "id": batch_id,
            "name": name,
            "total_jobs": total,
            "pending_jobs": total,
            "failed_jobs": 0,
            "failed_job_ids": [],
            "options": options,
            "created_at": datetime.now(UTC),
        }

        async def insert(connection: Any) -> None:
            await connection.execute(batches.insert(), [row])

        await self._run(insert)

    async def find(self, batch_id: str) -> BatchState | None:
        async def load(connection: Any) -> BatchState | None:
            return await self._load(connection, batch_id)

        found: BatchState | None = await self._run(load)
        return found

    async def shrink(self, batch_id: str, count: int) -> None:
        """Forget ``count`` jobs that could not be queued (a dispatch that failed midway)."""
        import sqlalchemy as sa

        from foundry.queue.tables import batches_table as b

        statement = (
            sa.update(b)
            .where(b.c.id == batch_id)
            .values(total_jobs=b.c.total_jobs - count, pending_jobs=b.c.pending_jobs - count)
        )

        async def update(connection: Any) -> None:
            await connection.execute(statement)

        await self._run(update)

    async def _finish_if_done(self, connection: Any, state: BatchState) -> bool:
        import sqlalchemy as sa

        from foundry.queue.tables import batches_table as b

        if state.pending_jobs != state.failed_jobs or state.finished_at is not None:
            return False
        result = await connection.execute(
            sa.update(b)
            .where(b.c.id == state.id, b.c.finished_at.is_(None))
            .values(finished_at=datetime.now(UTC))
        )
        return bool(result.rowcount)

    async def record_success(self, batch_id: str) -> tuple[BatchState | None, bool]:
        """A job of the batch succeeded (or was skipped). Returns the new state and
        whether this call finished the batch (its caller fires ``then``/``finally``)."""
        import sqlalchemy as sa

        from foundry.queue.tables import batches_table as b

        async def count(connection: Any) -> tuple[BatchState | None, bool]:
            await connection.execute(
                sa.update(b)
                .where(b.c.id == batch_id, b.c.pending_jobs > 0)
                .values(pending_jobs=b.c.pending_jobs - 1)
            )
            state = await self._load(connection, batch_id)
            if state is None:
                return None, False
            return state, await self._finish_if_done(connection, state)

        result: tuple[BatchState | None, bool] = await self._run(count)
        return result

    async def record_failure(
        self, batch_id: str, job_id: str
    ) -> tuple[BatchState | None, bool, bool]:
        """A job of the batch failed for good. Returns the new state, whether this is the
        first failure (fire ``catch``) and whether the batch is now finished."""
        import sqlalchemy as sa

        from foundry.queue.tables import batches_table as b

        async def count(connection: Any) -> tuple[BatchState | None, bool, bool]:
            await connection.execute(
                sa.update(b).where(b.c.id == batch_id).values(failed_jobs=b.c.failed_jobs + 1)
            )
            state = await self._load(connection, batch_id)
            if state is None:
                return None, False, False
            ids = [*state.failed_job_ids, job_id]
            values: dict[str, Any] = {"failed_job_ids": ids}
            allow = bool(state.options.get("allow_failures"))
            if not allow and state.cancelled_at is None:
                values["cancelled_at"] = datetime.now(UTC)
            await connection.execute(sa.update(b).where(b.c.id == batch_id).values(values))
            state = await self._load(connection, batch_id)
            assert state is not None
            return state, state.failed_jobs == 1, await self._finish_if_done(connection, state)

        result: tuple[BatchState | None, bool, bool] = await self._run(count)
        return result

    async def cancel(self, batch_id: str) -> None:
        import sqlalchemy as sa

        from foundry.queue.tables import batches_table as b

        async def update(connection: Any) -> None:
            await connection.execute(
                sa.update(b)
                .where(b.c.id == batch_id, b.c.cancelled_at.is_(None))
                .values(cancelled_at=datetime.now(UTC))
            )

        await self._run(update)

    async def prune(self, before: datetime) -> int:
        """Delete finished batches older than ``before``."""
        import sqlalchemy as sa

        from foundry.queue.tables import batches_table as b

        async def delete(connection: Any) -> int:
            result = await connection.execute(
                sa.delete(b).where(b.c.finished_at.is_not(None), b.c.finished_at < before)
            )
            return int(result.rowcount or 0)

        return int(await self._run(delete))
