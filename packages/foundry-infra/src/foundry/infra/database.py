"""``SQLDatabase``: the implementation of ``foundry.domain.database.Database``.

One object per application (the provider binds it as a singleton). The engine is built on
first use, so booting an app, listing commands or serving a route that never touches the
database opens no connection and imports no driver.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from foundry.infra.connectivity import reason
from foundry.infra.errors import DatabaseUnreachableError
from foundry.infra.settings import DatabaseSettings
from foundry.infra.urls import DatabaseURL, parse_database_url

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker
    from sqlmodel.ext.asyncio.session import AsyncSession

__all__ = ["SQLDatabase"]


class SQLDatabase:
    """The application's database: a lazily built async engine and its sessions.

    Args:
        settings: a :class:`DatabaseSettings`, or just the URL.
        base_path: the application root (relative SQLite paths and ``app/models`` start
            there); the current directory when omitted.
        models_package: the app's models package, imported by :meth:`models`.
    """

    def __init__(
        self,
        settings: DatabaseSettings | str,
        *,
        base_path: Path | str | None = None,
        models_package: str = "app.models",
    ) -> None:
        self._settings = DatabaseSettings(url=settings) if isinstance(settings, str) else settings
        self._base = Path(base_path).resolve() if base_path is not None else Path.cwd()
        self._url: DatabaseURL = parse_database_url(self._settings.url, self._base)
        self._models_package = models_package
        self._engine: AsyncEngine | None = None
        self._sessions: async_sessionmaker[AsyncSession] | None = None

    # --- what it is -------------------------------------------------------------------

    @property
    def url(self) -> str:
        """The connection URL with the password masked (safe to print)."""
        return self._url.masked

    @property
    def parsed_url(self) -> DatabaseURL:
        """The parsed URL: dialect, driver, database name, SQLite path."""
        return self._url

    @property
    def dialect(self) -> str:
        """``sqlite``, ``postgresql`` or ``mysql`` (MariaDB too)."""
        return self._url.dialect

    @property
    def settings(self) -> DatabaseSettings:
        return self._settings

    @property
    def base_path(self) -> Path:
        return self._base

    # --- connections ------------------------------------------------------------------

    @property
    def engine(self) -> AsyncEngine:
        """The ``AsyncEngine``, built on first access.

        Raises:
            MissingDependencyError: the dialect's driver is not installed; the message
                holds the exact ``pip install`` line.
        """
        if self._engine is None:
            from foundry.infra.engine import build_engine

            self._engine = build_engine(self._url, self._settings)
        return self._engine

    @property
    def session_factory(self) -> async_sessionmaker[AsyncSession]:
        """Makes SQLModel ``AsyncSession`` objects bound to :attr:`engine`.

        ``expire_on_commit`` is off: objects stay readable after commit, which async code
        needs (an expired attribute would need a lazy load, which asyncio forbids).
        """
        if self._sessions is None:
            from sqlalchemy.ext.asyncio import async_sessionmaker
            from sqlmodel.ext.asyncio.session import AsyncSession

            self._sessions = async_sessionmaker(
                self.engine, class_=AsyncSession, expire_on_commit=False
            )
        return self._sessions

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """An ``AsyncSession`` that commits when the block ends and rolls back on error.

        Example::

            async with database.session() as session:
                session.add(Post(title="Hello"))
            # committed here; an exception in the block would have rolled it back
        """
        async with self.session_factory() as session:
            try:
                yield session
            except BaseException:
                await session.rollback()
                raise
            await session.commit()

    async def ping(self, timeout: float = 2.0) -> None:
        """Run ``SELECT 1`` within ``timeout`` seconds.

        Raises:
            DatabaseUnreachableError: (a ``ServiceUnavailableError``) the database refused,
                timed out, rejected the credentials or does not exist; the message reads
                ``The database at <masked url> is not reachable: <reason>``.
            MissingDependencyError: the driver is not installed.
        """
        engine = self.engine  # raises MissingDependencyError before anything is tried

        async def probe() -> None:
            async with engine.connect() as connection:
                await connection.exec_driver_sql("SELECT 1")

        try:
            await asyncio.wait_for(probe(), timeout)
        except TimeoutError as exc:
            raise DatabaseUnreachableError(self.url, reason(exc, timeout)) from exc
        except Exception as exc:  # every driver failure means "not reachable" here
            raise DatabaseUnreachableError(self.url, reason(exc, timeout)) from exc

    def unreachable(self, exc: BaseException) -> DatabaseUnreachableError:
        """The error to raise when ``exc`` was a failure to connect."""
        return DatabaseUnreachableError(self.url, reason(exc, self._settings.connect_timeout))

    # --- models -----------------------------------------------------------------------

    def models(self) -> Mapping[str, type[Any]]:
        """Every SQLModel table class, by class name.

        Imports the app's ``app/models`` package (all modules in it) when it exists; models
        of packages are there as soon as those packages imported them.
        """
        from foundry.infra.models import import_app_models, table_models

        import_app_models(self._base, self._models_package)
        return table_models()

    async def dispose(self) -> None:
        """Close every pooled connection (the app's terminating hook calls this)."""
        if self._engine is not None:
            engine, self._engine, self._sessions = self._engine, None, None
            await engine.dispose()

    def __repr__(self) -> str:
        return f"<SQLDatabase {self.url}>"
