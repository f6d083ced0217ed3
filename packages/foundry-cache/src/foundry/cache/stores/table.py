"""The ``cache_entries`` table as SQLAlchemy Core sees it, and the SQL each dialect needs
for it (upserts, row locks, prefix filters).

The shape is RustForge's (``key`` primary key, ``value`` bytes, ``expires_at`` indexed,
``created_at``); the migration in ``foundry/cache/migrations`` creates it — these column
types only say how values travel, so never ``create_all`` this table. On MySQL and MariaDB
the key is ``VARBINARY(255)`` so keys compare byte for byte (a ``VARCHAR`` would make
``Foo`` and ``foo``, or ``a`` and ``a ``, the same key) and the value is ``LONGBLOB`` (a
``BLOB`` stops at 64 KiB). Timestamps are UTC; the table lives in its own ``MetaData`` so
the app's ``make:migration`` never sees it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import mysql
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

__all__ = [
    "MAX_KEY_BYTES",
    "TABLE",
    "CacheKey",
    "CacheValue",
    "UTCTimestamp",
    "insert_for",
    "prefix_filter",
    "touch",
    "upsert",
]

MAX_KEY_BYTES = 255
_MYSQL = ("mysql", "mariadb")


class UTCTimestamp(sa.TypeDecorator[datetime]):
    """Aware UTC datetimes in, aware UTC datetimes out, on every dialect."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def load_dialect_impl(self, dialect: sa.Dialect) -> sa.types.TypeEngine[Any]:
        if dialect.name in _MYSQL:
            return dialect.type_descriptor(mysql.DATETIME(fsp=6))
        return dialect.type_descriptor(sa.DateTime(timezone=True))

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        value = value.astimezone(UTC)
        return value if dialect.name == "postgresql" else value.replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class _from_hex(FunctionElement[Any]):
    """``UNHEX(:param)`` on MySQL/MariaDB, the bare parameter elsewhere."""

    inherit_cache = True
    name = "from_hex"


@compiles(_from_hex)
def _bare(element: _from_hex, compiler: Any, **kw: Any) -> str:
    return str(compiler.process(element.clauses, **kw))


@compiles(_from_hex, "mysql")
@compiles(_from_hex, "mariadb")
def _unhex(element: _from_hex, compiler: Any, **kw: Any) -> str:
    return f"UNHEX({compiler.process(element.clauses, **kw)})"


class _HexOnMySQL(sa.TypeDecorator[Any]):
    """Binary columns whose parameters reach MySQL/MariaDB as hex text.

    aiomysql cannot send a ``bytes`` parameter with PyMySQL 1.2.3 or later (it calls a
    helper PyMySQL replaced by a placeholder string: aio-libs/aiomysql#1080), so on MySQL
    the parameter is its hex digits and the SQL wraps it in ``UNHEX()`` — which works with
    every driver and version. The other dialects bind bytes (or text) as they are.
    """

    impl: sa.types.TypeEngine[Any] = sa.LargeBinary()
    cache_ok = True
    text_elsewhere = False

    def load_dialect_impl(self, dialect: sa.Dialect) -> sa.types.TypeEngine[Any]:
        if dialect.name in _MYSQL or self.text_elsewhere:
            return dialect.type_descriptor(sa.String())
        return dialect.type_descriptor(sa.LargeBinary())

    def bind_expression(self, bindvalue: Any) -> Any:
        return _from_hex(bindvalue)

    def process_bind_param(self, value: Any, dialect: sa.Dialect) -> Any:
        if value is None or dialect.name not in _MYSQL:
            return value
        return (value.encode() if isinstance(value, str) else bytes(value)).hex()


class CacheKey(_HexOnMySQL):
    """Text keys; ``VARBINARY(255)`` on MySQL/MariaDB, so they compare byte for byte."""

    impl = sa.String(MAX_KEY_BYTES)
    cache_ok = True
    text_elsewhere = True

    def process_result_value(self, value: Any, dialect: sa.Dialect) -> str | None:
        return bytes(value).decode() if isinstance(value, bytes | bytearray) else value


class CacheValue(_HexOnMySQL):
    """The serialised value (``BYTEA``, ``BLOB``, ``LONGBLOB``), always read as bytes."""

    cache_ok = True

    def process_result_value(self, value: Any, dialect: sa.Dialect) -> bytes | None:
        return None if value is None else bytes(value)


_metadata = sa.MetaData()

TABLE = sa.Table(
    "cache_entries",
    _metadata,
    sa.Column("key", CacheKey(), primary_key=True),
    sa.Column("value", CacheValue(), nullable=False),
    sa.Column("expires_at", UTCTimestamp(), nullable=True, index=True),
    sa.Column("created_at", UTCTimestamp(), nullable=False),
)


def upsert(dialect: str, rows: list[dict[str, Any]]) -> Any:
    """Insert ``rows``, replacing value, expiry and creation time of existing keys."""
    stmt = insert_for(dialect).values(rows)
    if dialect in _MYSQL:
        return stmt.on_duplicate_key_update(
            value=stmt.inserted.value,
            expires_at=stmt.inserted.expires_at,
            created_at=stmt.inserted.created_at,
        )
    return stmt.on_conflict_do_update(
        index_elements=[TABLE.c.key],
        set_={
            "value": stmt.excluded.value,
            "expires_at": stmt.excluded.expires_at,
            "created_at": stmt.excluded.created_at,
        },
    )


def touch(dialect: str, row: dict[str, Any], *, returning: bool) -> Any:
    """Insert ``row`` or, when its key exists, set ``created_at`` to itself.

    The no-op update still takes the existing row's exclusive lock. With ``returning``
    (PostgreSQL, SQLite 3.35+) the statement also gives back the row's ``value`` and
    ``expires_at``; elsewhere a ``SELECT ... FOR UPDATE`` reads them after it.
    """
    stmt = insert_for(dialect).values(row)
    if dialect in _MYSQL:
        return stmt.on_duplicate_key_update(created_at=TABLE.c.created_at)
    stmt = stmt.on_conflict_do_update(
        index_elements=[TABLE.c.key], set_={"created_at": TABLE.c.created_at}
    )
    return stmt.returning(TABLE.c.value, TABLE.c.expires_at) if returning else stmt


def insert_for(dialect: str) -> Any:
    """The dialect's ``insert()`` construct (for its upsert clauses)."""
    from sqlalchemy.dialects import postgresql, sqlite

    if dialect == "postgresql":
        return postgresql.insert(TABLE)
    if dialect in _MYSQL:
        return mysql.insert(TABLE)
    return sqlite.insert(TABLE)


def prefix_filter(dialect: str, prefix: str) -> sa.ColumnElement[bool]:
    """Rows whose key starts with ``prefix``, compared case-sensitively on every dialect.

    SQLite's ``LIKE`` ignores ASCII case, so SQLite compares the leading characters;
    PostgreSQL and MySQL (binary keys) use an escaped ``LIKE``, which their indexes serve.
    """
    key = TABLE.c.key
    if not prefix:
        return sa.true()
    if dialect == "sqlite":
        return sa.func.substr(key, 1, len(prefix)) == prefix
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return key.like(escaped + "%", escape="\\")
