"""One migrating process per database at a time.

Two replicas deploying at once both run ``foundry migrate --force``; without a lock both
would apply the same revision. PostgreSQL takes a session advisory lock, MySQL/MariaDB a
named ``GET_LOCK`` (named after the database, since those locks are server-wide); the second
process waits for the first, then finds nothing pending.

SQLite has no such lock: its own write lock only serialises single transactions, so two
workers of ``serve --workers 2`` migrating at start-up interleave their revisions and one
dies with "database is locked". For a SQLite file, :func:`sqlite_migration_lock` takes an
exclusive ``flock`` on a lock file beside it (``database.sqlite-migrate.lock``) before the
first connection, with the same timeout. The file stays: removing a lock file others may be
waiting on would let two processes hold "the" lock at once. In-memory SQLite is private to
one process and needs no lock; neither do platforms without ``fcntl``, where SQLite's own
locking is all there is.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from foundry.infra.errors import MigrationError

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

__all__ = ["DEFAULT_LOCK_TIMEOUT", "migration_lock", "sqlite_lock_path", "sqlite_migration_lock"]

DEFAULT_LOCK_TIMEOUT = 300.0
PG_LOCK_KEY = 7_301_245_913_447_718_417
"""The advisory-lock key of Foundry's migrations (any fixed 64-bit number)."""
_POLL_SECONDS = 0.05


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

    PostgreSQL and MySQL/MariaDB lock on the server, through ``connection``; for SQLite
    this is a no-op, since its lock is a file taken before connecting
    (:func:`sqlite_migration_lock`).

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


def sqlite_lock_path(database: Path) -> Path:
    """The lock file of the SQLite file ``database``: beside it, named after it."""
    return database.with_name(f"{database.name}-migrate.lock")


@asynccontextmanager
async def sqlite_migration_lock(database: Path, timeout: float) -> AsyncIterator[None]:
    """Hold the exclusive file lock of the SQLite file ``database`` for the block.

    Waits (without blocking the event loop) up to ``timeout`` seconds while another process
    holds it. The lock is released when the block ends, and by the system if the process
    dies, so a crashed migration never leaves the database locked.

    Raises:
        MigrationError: another process kept the lock longer than ``timeout``, or the lock
            file cannot be opened.
    """
    try:
        import fcntl
    except ImportError:  # no flock here (Windows): SQLite's own locking is all there is
        yield
        return
    path = sqlite_lock_path(database)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise MigrationError(
            f"Cannot open the migration lock file {path} ({exc.strerror or exc}). Nothing was "
            "changed; make its folder writable by this user, then run the command again."
        ) from exc
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise _busy(timeout) from None
                await asyncio.sleep(_POLL_SECONDS)
        try:
            yield
        finally:
            fcntl.flock(descriptor, fcntl.LOCK_UN)
    finally:
        os.close(descriptor)
