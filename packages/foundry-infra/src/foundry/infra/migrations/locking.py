"""One migrating process per database at a time.

Two replicas deploying at once both run ``foundry migrate --force``; without a lock both
would apply the same revision. PostgreSQL takes a session advisory lock, MySQL/MariaDB a
named ``GET_LOCK`` (named after the database, since those locks are server-wide); the second
process waits for the first, then finds nothing pending. SQLite needs nothing: its file lock
already lets one writer through at a time.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from foundry.infra.errors import MigrationError

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

__all__ = ["DEFAULT_LOCK_TIMEOUT", "migration_lock"]

DEFAULT_LOCK_TIMEOUT = 300.0
PG_LOCK_KEY = 7_301_245_913_447_718_417
"""The advisory-lock key of Foundry's migrations (any fixed 64-bit number)."""


def _busy(timeout: float) -> MigrationError:
    return MigrationError(
        f"Another process has been migrating this database for more than {timeout:g}s "
        "(it holds the migration lock). Nothing was changed; run the command again when it "
        "has finished."
    )


def _mysql_name(connection: Connection) -> str:
    database = connection.exec_driver_sql("SELECT DATABASE()").scalar() or ""
    return f"foundry_migrations:{database}"[:64]


@contextmanager
def migration_lock(connection: Connection, dialect: str, timeout: float) -> Iterator[None]:
    """Hold the database's migration lock for the block (waits up to ``timeout`` seconds).

    Raises:
        MigrationError: another process kept the lock longer than ``timeout``.
    """
    import sqlalchemy as sa

    if dialect == "postgresql":
        try:
            connection.exec_driver_sql(f"SET LOCAL lock_timeout = {max(1, round(timeout * 1000))}")
            connection.execute(sa.text("SELECT pg_advisory_lock(:key)"), {"key": PG_LOCK_KEY})
        except sa.exc.DBAPIError as exc:
            connection.rollback()
            raise _busy(timeout) from exc
        connection.commit()
        try:
            yield
        finally:
            if connection.in_transaction():
                connection.rollback()
            connection.execute(sa.text("SELECT pg_advisory_unlock(:key)"), {"key": PG_LOCK_KEY})
            connection.commit()
    elif dialect == "mysql":
        name = _mysql_name(connection)
        got = connection.execute(
            sa.text("SELECT GET_LOCK(:name, :timeout)"), {"name": name, "timeout": timeout}
        ).scalar()
        connection.commit()
        if got != 1:
            raise _busy(timeout)
        try:
            yield
        finally:
            if connection.in_transaction():
                connection.rollback()
            connection.execute(sa.text("SELECT RELEASE_LOCK(:name)"), {"name": name})
            connection.commit()
    else:
        yield
