"""The ``database`` connection: the ``jobs`` table of the application's database.

Claiming a job is one atomic step per dialect:

* **PostgreSQL**: ``UPDATE jobs ... WHERE id = (SELECT id ... FOR UPDATE SKIP LOCKED
  LIMIT 1) RETURNING ...``: concurrent workers skip each other's locked rows instead of
  queueing behind them.
* **MySQL 8 / MariaDB 10.6+**: ``SELECT ... FOR UPDATE SKIP LOCKED`` then ``UPDATE`` in
  one transaction.
* **SQLite** (and older MySQL/MariaDB, which lack ``SKIP LOCKED``): a compare-and-set,
  ``UPDATE jobs SET reservation = :token ... WHERE id = :id AND <still available>``; the
  claim is the worker's only when the row count is 1. On SQLite the single statement runs
  under the database's write lock, so two workers can never both claim a row.

A reservation is a token plus ``reserved_at``; running workers refresh ``reserved_at``,
and a row whose ``reserved_at`` is older than ``retry_after`` (its worker died) is
available again. Timestamps come from the workers' clocks: keep them in sync (NTP).
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from foundry.domain.database import Database
from foundry.domain.queue import JobEnvelope
from foundry.queue.connections.base import ReservedJob, WorkerQueue, reserved_job
from foundry.queue.envelopes import body_of
from foundry.queue.errors import QueueUnavailableError

__all__ = ["DatabaseQueue"]


def _now() -> datetime:
    return datetime.now(UTC)


class DatabaseQueue(WorkerQueue):
    """A connection storing jobs in the ``jobs`` table (run ``foundry migrate`` first).

    Args:
        database: the application's ``Database`` (foundry-infra).
        name: the connection's name (``database``).
        default_queue: the queue name used when a job names none.
        retry_after: the visibility timeout in seconds.
    """

    def __init__(
        self,
        database: Database,
        name: str = "database",
        *,
        default_queue: str = "default",
        retry_after: float = 90.0,
    ) -> None:
        self.database = database
        self.name = name
        self.default_queue = default_queue
        self.retry_after = float(retry_after)
        self._skip_locked: bool | None = None

    @property
    def _engine(self) -> Any:
        return self.database.engine

    def _unavailable(self, exc: BaseException) -> QueueUnavailableError:
        return QueueUnavailableError(
            f"Queue connection {self.name!r}: the database {self.database.url} failed "
            f"({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}). "
            "Check DATABASE_URL, and that `foundry migrate` created the jobs table."
        )

    async def _execute(self, work: Any) -> Any:
        from sqlalchemy.exc import DBAPIError, OperationalError

        try:
            async with self._engine.begin() as connection:
                return await work(connection)
        except (OperationalError, DBAPIError, OSError) as exc:
            raise self._unavailable(exc) from exc

    # --- the Queue contract ----------------------------------------------------------

    async def push(self, envelope: JobEnvelope, *, delay: float = 0) -> str:
        return await self.push_body(envelope.id, envelope.queue, body_of(envelope), delay=delay)

    async def push_body(self, job_id: str, queue: str, body: str, *, delay: float = 0) -> str:
        from foundry.queue.tables import jobs_table

        now = _now()
        row = {
            "id": job_id,
            "queue": queue,
            "payload": body,
            "attempts": 0,
            "reservation": None,
            "reserved_at": None,
            "available_at": now + timedelta(seconds=max(delay, 0)),
            "created_at": now,
        }

        async def insert(connection: Any) -> None:
            await connection.execute(jobs_table.insert(), [row])

        await self._execute(insert)
        return job_id

    async def size(self, queue: str = "default") -> int:
        return sum((await self.sizes(queue)).values())

    async def sizes(self, queue: str) -> dict[str, int]:
        import sqlalchemy as sa

        from foundry.queue.tables import jobs_table as jobs

        now = _now()
        reserved = sa.and_(
            jobs.c.reserved_at.is_not(None),
            jobs.c.reserved_at > now - timedelta(seconds=self.retry_after),
        )
        delayed = sa.and_(jobs.c.reserved_at.is_(None), jobs.c.available_at > now)
        query = sa.select(
            sa.func.count(),
            sa.func.sum(sa.case((reserved, 1), else_=0)),
            sa.func.sum(sa.case((delayed, 1), else_=0)),
        ).where(jobs.c.queue == queue)

        async def count(connection: Any) -> Any:
            return (await connection.execute(query)).one()

        total, in_use, later = await self._execute(count)
        in_use, later = int(in_use or 0), int(later or 0)
        return {"ready": int(total) - in_use - later, "delayed": later, "reserved": in_use}

    async def clear(self, queue: str = "default") -> int:
        from foundry.queue.tables import jobs_table as jobs

        async def delete(connection: Any) -> int:
            result = await connection.execute(jobs.delete().where(jobs.c.queue == queue))
            return int(result.rowcount or 0)

        return int(await self._execute(delete))

    # --- claiming --------------------------------------------------------------------

    def _available(self, queue: str, now: datetime) -> Any:
        import sqlalchemy as sa

        from foundry.queue.tables import jobs_table as jobs

        expired = now - timedelta(seconds=self.retry_after)
        return sa.and_(
            jobs.c.queue == queue,
            sa.or_(
                sa.and_(jobs.c.reserved_at.is_(None), jobs.c.available_at <= now),
                jobs.c.reserved_at <= expired,
            ),
        )

    async def _uses_skip_locked(self, connection: Any) -> bool:
        if self._skip_locked is None:
            dialect = connection.dialect
            version = tuple(getattr(dialect, "server_version_info", None) or ())
            if dialect.name == "postgresql":
                self._skip_locked = True
            elif dialect.name in ("mysql", "mariadb"):
                mariadb = bool(getattr(dialect, "is_mariadb", False))
                self._skip_locked = version >= ((10, 6) if mariadb else (8, 0, 1))
            else:
                self._skip_locked = False
        return self._skip_locked

    async def pop(self, queues: Sequence[str]) -> ReservedJob | None:
        for queue in queues:
            job = await self._pop_one(queue)
            if job is not None:
                return job
        return None

    async def _pop_one(self, queue: str) -> ReservedJob | None:
        import sqlalchemy as sa

        from foundry.queue.tables import jobs_table as jobs

        token = secrets.token_hex(16)
        now = _now()
        available = self._available(queue, now)
        claim = {"reserved_at": now, "reservation": token, "attempts": jobs.c.attempts + 1}
        order = (jobs.c.available_at, jobs.c.id)
        returned = (jobs.c.id, jobs.c.payload, jobs.c.attempts)

        async def claim_row(connection: Any) -> Any:
            dialect = connection.dialect.name
            if dialect == "postgresql":
                locked = (
                    sa.select(jobs.c.id)
                    .where(available)
                    .order_by(*order)
                    .limit(1)
                    .with_for_update(skip_locked=True)
                    .scalar_subquery()
                )
                statement = (
                    sa.update(jobs).where(jobs.c.id == locked).values(claim).returning(*returned)
                )
                return (await connection.execute(statement)).first()
            if dialect == "sqlite":
                candidate = sa.select(jobs.c.id).where(available).order_by(*order).limit(1)
                statement = (
                    sa.update(jobs)
                    .where(jobs.c.id == candidate.scalar_subquery(), available)
                    .values(claim)
                    .returning(*returned)
                )
                return (await connection.execute(statement)).first()
            locking = await self._uses_skip_locked(connection)
            query = sa.select(*returned).where(available).order_by(*order).limit(1)
            if locking:
                query = query.with_for_update(skip_locked=True)
            row = (await connection.execute(query)).first()
            if row is None:
                return None
            result = await connection.execute(
                sa.update(jobs).where(jobs.c.id == row.id, available).values(claim)
            )
            if result.rowcount != 1:
                return False  # another worker claimed it first: try again
            return (row.id, row.payload, row.attempts + 1)

        for _ in range(5):
            row = await self._execute(claim_row)
            if row is False:
                continue
            if row is None:
                return None
            job_id, body, attempts = row
            return reserved_job(job_id, queue, body, int(attempts), token, self.name)
        return None

    # --- ending reservations ---------------------------------------------------------

    async def ack(self, job: ReservedJob) -> bool:
        from foundry.queue.tables import jobs_table as jobs

        statement = jobs.delete().where(jobs.c.id == job.id, jobs.c.reservation == job.token)

        async def delete(connection: Any) -> bool:
            return bool((await connection.execute(statement)).rowcount)

        return bool(await self._execute(delete))

    async def release(self, job: ReservedJob, delay: float = 0, *, count: bool = True) -> bool:
        import sqlalchemy as sa

        from foundry.queue.tables import jobs_table as jobs

        values: dict[str, Any] = {
            "reserved_at": None,
            "reservation": None,
            "available_at": _now() + timedelta(seconds=max(delay, 0)),
        }
        if not count:
            values["attempts"] = sa.case((jobs.c.attempts > 0, jobs.c.attempts - 1), else_=0)
        statement = (
            sa.update(jobs)
            .where(jobs.c.id == job.id, jobs.c.reservation == job.token)
            .values(values)
        )

        async def update(connection: Any) -> bool:
            return bool((await connection.execute(statement)).rowcount)

        return bool(await self._execute(update))

    async def renew(self, jobs_held: Sequence[ReservedJob]) -> set[str]:
        import sqlalchemy as sa

        from foundry.queue.tables import jobs_table as jobs

        if not jobs_held:
            return set()
        now = _now()

        async def refresh(connection: Any) -> set[str]:
            lost: set[str] = set()
            for job in jobs_held:
                statement = (
                    sa.update(jobs)
                    .where(jobs.c.id == job.id, jobs.c.reservation == job.token)
                    .values(reserved_at=now)
                )
                if not (await connection.execute(statement)).rowcount:
                    lost.add(job.id)
            return lost

        result: set[str] = await self._execute(refresh)
        return result

    async def wait(self, queues: Sequence[str], timeout: float) -> None:
        await asyncio.sleep(timeout)

    def __repr__(self) -> str:
        return f"<DatabaseQueue {self.name} {self.database.url}>"
