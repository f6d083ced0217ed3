"""Sessions in the ``sessions`` table, through the application's ``Database``."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from foundry.domain.clock import Clock, SystemClock
from foundry.domain.session import SessionRecord

if TYPE_CHECKING:
    from foundry.auth_scaffolding.models import SessionRow
    from foundry.domain.database import Database

__all__ = ["DatabaseSessionStore"]


class DatabaseSessionStore:
    """Implements ``SessionStore`` on the ``sessions`` table (every instance sharing the
    database sees the same sessions; expired rows are removed by :meth:`gc`)."""

    def __init__(self, database: Database, clock: Clock | None = None) -> None:
        self._database = database
        self._clock = clock or SystemClock()

    async def read(self, session_id: str) -> SessionRecord | None:
        from sqlmodel import select

        from foundry.auth_scaffolding.models import SessionRow

        async with self._database.session() as db:
            row = (await db.exec(select(SessionRow).where(SessionRow.token == session_id))).first()
        if row is None or row.expires_at <= self._clock.now():
            return None
        return _record(row)

    async def write(self, record: SessionRecord) -> None:
        from sqlmodel import select

        from foundry.auth_scaffolding.models import SessionRow

        user_id = uuid.UUID(record.user_id) if record.user_id else None
        async with self._database.session() as db:
            row = (await db.exec(select(SessionRow).where(SessionRow.token == record.id))).first()
            if row is None:
                row = SessionRow(token=record.id, expires_at=record.expires_at)
            row.user_id = user_id
            row.payload = dict(record.data)
            row.expires_at = record.expires_at
            row.last_activity = record.last_activity
            row.ip_address = record.ip_address
            row.user_agent = record.user_agent
            db.add(row)

    async def destroy(self, session_id: str) -> None:
        from sqlalchemy import delete
        from sqlmodel import col

        from foundry.auth_scaffolding.models import SessionRow

        async with self._database.session() as db:
            await db.exec(delete(SessionRow).where(col(SessionRow.token) == session_id))

    async def for_user(self, user_id: str) -> list[SessionRecord]:
        from sqlmodel import col, select

        from foundry.auth_scaffolding.models import SessionRow

        statement = (
            select(SessionRow)
            .where(SessionRow.user_id == uuid.UUID(user_id))
            .where(SessionRow.expires_at > self._clock.now())
            .order_by(col(SessionRow.last_activity).desc())
        )
        async with self._database.session() as db:
            rows = (await db.exec(statement)).all()
        return [_record(row) for row in rows]

    async def destroy_for_user(self, user_id: str, *, except_id: str | None = None) -> int:
        from sqlalchemy import delete
        from sqlmodel import col

        from foundry.auth_scaffolding.models import SessionRow

        statement: Any = delete(SessionRow).where(col(SessionRow.user_id) == uuid.UUID(user_id))
        if except_id is not None:
            statement = statement.where(col(SessionRow.token) != except_id)
        async with self._database.session() as db:
            result = await db.exec(statement)
        return int(result.rowcount or 0)

    async def gc(self) -> int:
        from sqlalchemy import delete
        from sqlmodel import col

        from foundry.auth_scaffolding.models import SessionRow

        statement: Any = delete(SessionRow).where(col(SessionRow.expires_at) <= self._clock.now())
        async with self._database.session() as db:
            result = await db.exec(statement)
        return int(result.rowcount or 0)


def _record(row: SessionRow) -> SessionRecord:
    return SessionRecord(
        id=row.token,
        user_id=str(row.user_id) if row.user_id else None,
        expires_at=row.expires_at,
        last_activity=row.last_activity,
        data=dict(row.payload or {}),
        ip_address=row.ip_address,
        user_agent=row.user_agent,
    )
