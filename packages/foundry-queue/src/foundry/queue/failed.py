"""``failed_jobs``: every job that used its tries, kept with its payload and traceback.

Failed jobs of every connection land here (Redis jobs too), so ``queue:failed`` shows them
all and ``queue:retry`` puts them back on the connection and queue they came from. The
table needs a ``Database`` (foundry-infra); see :class:`FailedJobStore`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from foundry.domain.database import Database
from foundry.queue.errors import QueueUnavailableError
from foundry.queue.serialization import loads

__all__ = ["FailedJob", "FailedJobStore"]


@dataclass(frozen=True, slots=True)
class FailedJob:
    """One row of ``failed_jobs``."""

    id: int
    uuid: str
    connection: str
    queue: str
    payload: str
    exception: str
    failed_at: datetime

    @property
    def name(self) -> str:
        """The job's class or function name, read from the stored payload."""
        try:
            data = loads(self.payload)
        except Exception:
            return "?"
        meta = data.get("meta") or {} if isinstance(data, dict) else {}
        return str(meta.get("name") or (data.get("job") if isinstance(data, dict) else "?"))

    @property
    def error(self) -> str:
        """The exception's last line (``ValueError: ...``), for tables."""
        lines = [line for line in self.exception.strip().splitlines() if line.strip()]
        return lines[-1] if lines else ""

    def to_dict(self, *, full: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "uuid": self.uuid,
            "connection": self.connection,
            "queue": self.queue,
            "job": self.name,
            "error": self.error,
            "failed_at": self.failed_at.isoformat(),
        }
        if full:
            data["payload"] = self.payload
            data["exception"] = self.exception
        return data


class FailedJobStore:
    """Reads and writes ``failed_jobs`` through the application's database."""

    def __init__(self, database: Database) -> None:
        self.database = database

    async def _run(self, work: Any) -> Any:
        from sqlalchemy.exc import DBAPIError

        try:
            async with self.database.engine.begin() as connection:
                return await work(connection)
        except (DBAPIError, OSError) as exc:
            raise QueueUnavailableError(
                f"The failed_jobs table of {self.database.url} cannot be used "
                f"({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}). "
                "Run `foundry migrate` to create it."
            ) from exc

    async def record(
        self, job_id: str, connection: str, queue: str, payload: str, exception: str
    ) -> None:
        """Store a failure (replacing an earlier record of the same job id)."""
        from foundry.queue.tables import failed_jobs_table as failed

        row = {
            "uuid": job_id,
            "connection": connection,
            "queue": queue,
            "payload": payload,
            "exception": exception,
            "failed_at": datetime.now(UTC),
        }

        async def insert(conn: Any) -> None:
            await conn.execute(failed.delete().where(failed.c.uuid == job_id))
            await conn.execute(failed.insert(), [row])

        await self._run(insert)

    async def all(self, *, queue: str | None = None, limit: int | None = None) -> list[FailedJob]:
        """Failed jobs, newest first."""
        import sqlalchemy as sa

        from foundry.queue.tables import failed_jobs_table as failed

        query = sa.select(failed).order_by(failed.c.failed_at.desc(), failed.c.id.desc())
        if queue is not None:
            query = query.where(failed.c.queue == queue)
        if limit is not None:
            query = query.limit(limit)

        async def select(conn: Any) -> list[FailedJob]:
            return [FailedJob(**row._mapping) for row in await conn.execute(query)]

        result: list[FailedJob] = await self._run(select)
        return result

    def _match(self, identifier: str | int) -> Any:
        from foundry.queue.tables import failed_jobs_table as failed

        text = str(identifier).strip()
        if text.isdigit():
            return failed.c.id == int(text)
        return failed.c.uuid == text

    async def find(self, identifier: str | int) -> FailedJob | None:
        """By numeric id or job uuid."""
        import sqlalchemy as sa

        from foundry.queue.tables import failed_jobs_table as failed

        query = sa.select(failed).where(self._match(identifier))

        async def select(conn: Any) -> FailedJob | None:
            row = (await conn.execute(query)).first()
            return FailedJob(**row._mapping) if row is not None else None

        found: FailedJob | None = await self._run(select)
        return found

    async def forget(self, identifier: str | int) -> bool:
        from foundry.queue.tables import failed_jobs_table as failed

        async def delete(conn: Any) -> bool:
            result = await conn.execute(failed.delete().where(self._match(identifier)))
            return bool(result.rowcount)

        return bool(await self._run(delete))

    async def flush(self, hours: float | None = None) -> int:
        """Delete every failed job, or those older than ``hours``; returns the count."""
        from foundry.queue.tables import failed_jobs_table as failed

        statement = failed.delete()
        if hours is not None:
            cutoff = datetime.now(UTC) - timedelta(hours=hours)
            statement = statement.where(failed.c.failed_at < cutoff)

        async def delete(conn: Any) -> int:
            return int((await conn.execute(statement)).rowcount or 0)

        return int(await self._run(delete))

    async def count(self) -> int:
        import sqlalchemy as sa

        from foundry.queue.tables import failed_jobs_table as failed

        async def select(conn: Any) -> int:
            return int(
                (await conn.execute(sa.select(sa.func.count()).select_from(failed))).scalar_one()
            )

        return int(await self._run(select))
