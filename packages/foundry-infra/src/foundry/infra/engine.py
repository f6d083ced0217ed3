"""Building the async engine: the driver, the pool and SQLite's connection settings.

Pool mapping of the RustForge variables:

* ``DATABASE_POOL_SIZE`` -> ``pool_size`` with ``max_overflow=0``: at most that many
  connections, like sqlx's ``max_connections``.
* ``DATABASE_POOL_MAX_LIFETIME`` -> ``pool_recycle`` (seconds).
* ``DATABASE_CONNECT_TIMEOUT`` -> the driver's connect timeout (asyncpg ``timeout``,
  aiomysql/asyncmy ``connect_timeout``), so a dead server fails fast instead of hanging.
* ``DATABASE_POOL_MIN_IDLE`` has no SQLAlchemy equivalent (the pool opens connections on
  demand and keeps up to ``pool_size`` idle; it never pre-opens a floor) and is not read.

SQLite connections get WAL journaling (file databases), ``foreign_keys=ON``, a 5 s busy
timeout, and PEP 249 transactions: the driver's legacy mode, which skips ``BEGIN`` before
DDL and ``SAVEPOINT``, is switched off and SQLAlchemy emits ``BEGIN`` itself, so migrations
run in real transactions and savepoints nest correctly.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import TYPE_CHECKING, Any

from foundry.domain.errors import MissingDependencyError
from foundry.infra.errors import DatabaseUnreachableError
from foundry.infra.settings import DatabaseSettings
from foundry.infra.urls import DatabaseURL

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection
    from sqlalchemy.ext.asyncio import AsyncEngine

__all__ = [
    "SQLITE_BUSY_TIMEOUT_MS",
    "build_engine",
    "require_driver",
    "set_sqlite_foreign_keys",
]

SQLITE_BUSY_TIMEOUT_MS = 5000

_INSTALL: dict[str, tuple[str, str]] = {
    "asyncpg": ("PostgreSQL", "'foundry-infra[postgresql]'"),
    "psycopg": ("PostgreSQL through psycopg", "'psycopg[binary]'"),
    "aiomysql": ("MySQL/MariaDB", "'foundry-infra[mysql]'"),
    "asyncmy": ("MySQL/MariaDB through asyncmy", "asyncmy"),
    "aiosqlite": ("SQLite", "aiosqlite"),
}


def require_driver(url: DatabaseURL) -> None:
    """Fail with the exact install line when the URL's driver is not installed.

    Raises:
        MissingDependencyError: e.g. ``pip install 'foundry-infra[postgresql]'``.
    """
    if importlib.util.find_spec(url.driver) is None:
        label, install = _INSTALL[url.driver]
        raise MissingDependencyError(f"{label} (DATABASE_URL={url.masked})", install)


def _connect_args(url: DatabaseURL, timeout: float) -> dict[str, Any]:
    if url.driver == "asyncpg":
        return {"timeout": timeout}
    if url.driver == "psycopg":
        return {"connect_timeout": max(1, round(timeout))}
    if url.dialect == "mysql":
        return {"connect_timeout": timeout}
    return {}


def _install_sqlite_hooks(engine: AsyncEngine, url: DatabaseURL) -> None:
    from sqlalchemy import event

    wal = not url.in_memory

    @event.listens_for(engine.sync_engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN (see below)
        cursor = dbapi_connection.cursor()
        try:
            if wal:
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        finally:
            cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN")


def _make_folder(url: DatabaseURL, folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        reason = f"cannot create the folder {folder} ({exc.strerror or exc})"
        raise DatabaseUnreachableError(url.masked, reason) from exc


def build_engine(url: DatabaseURL, settings: DatabaseSettings) -> AsyncEngine:
    """An ``AsyncEngine`` for ``url`` with the pool and timeouts of ``settings``.

    Creates the SQLite file's folder.

    Raises:
        MissingDependencyError: the driver is not installed.
        DatabaseUnreachableError: the SQLite file's folder cannot be created.
    """
    require_driver(url)
    from sqlalchemy.ext.asyncio import create_async_engine

    options: dict[str, Any] = {"echo": settings.echo}
    if url.dialect == "sqlite":
        if url.sqlite_path is not None:
            _make_folder(url, url.sqlite_path.parent)
            options.update(pool_size=settings.pool_size, max_overflow=0)
            options["pool_recycle"] = settings.pool_max_lifetime
    else:
        options.update(
            pool_size=settings.pool_size,
            max_overflow=0,
            pool_recycle=settings.pool_max_lifetime,
            pool_pre_ping=True,
            connect_args=_connect_args(url, settings.connect_timeout),
        )
    engine = create_async_engine(url.driver_url, **options)
    if url.dialect == "sqlite":
        _install_sqlite_hooks(engine, url)
    return engine


def set_sqlite_foreign_keys(connection: Connection, enabled: bool) -> None:
    """Switch SQLite's foreign-key enforcement on a (sync) connection.

    SQLite ignores the pragma inside a transaction, so any open one is committed first and
    the pragma goes straight to the driver. Schema changes that copy tables (migrations in
    batch mode, ``db:wipe``) run with enforcement off, as SQLite's documentation prescribes.
    """
    if connection.in_transaction():
        connection.commit()
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(f"PRAGMA foreign_keys={'ON' if enabled else 'OFF'}")
    finally:
        cursor.close()
