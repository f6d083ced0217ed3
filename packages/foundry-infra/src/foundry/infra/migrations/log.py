"""The ``migrations`` table: which revision ran in which batch, and when.

Alembic's ``alembic_version`` only knows each branch's head. Laravel users expect more:
``migrate`` runs everything pending as one *batch*, ``migrate:rollback`` undoes the last
batch. This table keeps that history. It is written in the same transaction as the
migration it records (on PostgreSQL and SQLite), and reconciled against
``alembic_version`` before every change, so the two never disagree for long.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from foundry.domain.clock import utcnow
from foundry.domain.sql import UTCDateTime

__all__ = ["LOG_TABLE", "LogRow", "MigrationLog"]

LOG_TABLE = "migrations"

_metadata = sa.MetaData()
_table = sa.Table(
    LOG_TABLE,
    _metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("revision", sa.String(64), nullable=False, unique=True),
    sa.Column("branch", sa.String(64), nullable=False),
    sa.Column("batch", sa.Integer, nullable=False),
    sa.Column("applied_at", UTCDateTime(), nullable=False),
)


@dataclass(frozen=True, slots=True)
class LogRow:
    id: int
    revision: str
    branch: str
    batch: int
    applied_at: datetime

    def to_dict(self) -> dict[str, Any]:
        return {
            "revision": self.revision,
            "branch": self.branch,
            "batch": self.batch,
            "applied_at": self.applied_at.isoformat(),
        }


class MigrationLog:
    """Reads and writes the log on a synchronous connection (inside ``run_sync``)."""

    table = _table

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def exists(self) -> bool:
        return sa.inspect(self._connection).has_table(LOG_TABLE)

    def create(self) -> None:
        _table.create(self._connection, checkfirst=True)

    def rows(self) -> list[LogRow]:
        """Every row, oldest first (empty when the table does not exist yet)."""
        if not self.exists():
            return []
        result = self._connection.execute(sa.select(_table).order_by(_table.c.id))
        return [LogRow(r.id, r.revision, r.branch, r.batch, r.applied_at) for r in result]

    def last_batch(self) -> int:
        if not self.exists():
            return 0
        value = self._connection.execute(sa.select(sa.func.max(_table.c.batch))).scalar()
        return int(value or 0)

    def record(self, revision: str, branch: str, batch: int) -> None:
        self._connection.execute(
            _table.insert().values(
                revision=revision, branch=branch, batch=batch, applied_at=utcnow()
            )
        )

    def forget(self, revision: str) -> None:
        self._connection.execute(_table.delete().where(_table.c.revision == revision))
