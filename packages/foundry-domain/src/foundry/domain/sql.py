"""Column types that behave the same on SQLite, PostgreSQL and MySQL/MariaDB.

Needs SQLAlchemy: install ``foundry-domain[sql]`` (every data package does). They live here,
not in the database package, because every package with tables needs them and packages
never import each other.

=================  ==================  ====================  ==========================
what               PostgreSQL          MySQL / MariaDB       SQLite
=================  ==================  ====================  ==========================
``UTCDateTime``    timestamptz         DATETIME(6), UTC      DATETIME text, UTC
``JSON``           JSONB               JSON (MariaDB:        JSON text
                                       LONGTEXT + CHECK)
``uuid.UUID``      UUID                CHAR(32) hex          CHAR(32) hex
``bool``           BOOLEAN             TINYINT(1)            INTEGER 0/1
=================  ==================  ====================  ==========================

Every dialect gets back what was stored: aware UTC datetimes (microseconds kept), dicts and
lists, ``uuid.UUID`` objects and ``bool`` values. Migrations should not import this module:
write the plain SQLAlchemy DDL each type stands for (``sa.DateTime(timezone=True)`` with a
``mysql.DATETIME(fsp=6)`` variant, ``sa.JSON()`` with a ``postgresql.JSONB()`` variant), so
old migrations keep working whatever happens to these helpers.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import types
from sqlalchemy.dialects import mysql, postgresql
from sqlalchemy.engine.interfaces import Dialect

__all__ = ["JSON", "UTCDateTime"]

_MYSQL = frozenset({"mysql", "mariadb"})


class UTCDateTime(types.TypeDecorator[datetime]):
    """A timestamp stored in UTC and always returned timezone-aware.

    PostgreSQL stores ``timestamptz``; MySQL/MariaDB ``DATETIME(6)`` and SQLite text hold
    the UTC wall time without an offset (so they sort and compare correctly). Naive
    datetimes are refused: guessing their zone is how local times end up stored as UTC.
    """

    impl = types.DateTime
    cache_ok = True

    def __init__(self) -> None:
        super().__init__(timezone=True)

    def __repr__(self) -> str:
        return "UTCDateTime()"

    def load_dialect_impl(self, dialect: Dialect) -> types.TypeEngine[Any]:
        if dialect.name in _MYSQL:
            return dialect.type_descriptor(mysql.DATETIME(fsp=6))
        return dialect.type_descriptor(types.DateTime(timezone=True))

    def coerce_compared_value(self, op: Any, value: Any) -> types.TypeEngine[Any]:
        if isinstance(value, timedelta):
            return types.Interval()
        return self

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"UTCDateTime columns take datetime values, not {type(value).__name__}")
        if value.utcoffset() is None:
            raise ValueError(
                f"{value.isoformat()} has no timezone; UTCDateTime columns need aware "
                "datetimes (datetime.now(UTC), or value.replace(tzinfo=UTC) for a UTC value)."
            )
        value = value.astimezone(UTC)
        return value if dialect.name == "postgresql" else value.replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.utcoffset() is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class JSON(types.TypeDecorator[Any]):
    """JSON documents: ``JSONB`` on PostgreSQL, ``JSON`` elsewhere (MariaDB included).

    Values go in and come out as Python dicts, lists, strings, numbers, booleans and None.
    """

    impl = types.JSON
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> types.TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(postgresql.JSONB())
        return dialect.type_descriptor(types.JSON())

    def __repr__(self) -> str:
        return "JSON()"
