"""Every test inside one database transaction, rolled back when the test ends.

The test opens one connection and begins a transaction on it. Every session of the test
joins that transaction: the test's own (``db``), the factories', and the ones the code
under test opens through ``Database.session()`` — an HTTP request's ``DbSession``, a
command's, a job's. Each of those sessions works inside a SAVEPOINT
(``join_transaction_mode="create_savepoint"``), so a ``commit()`` in the code under test
releases its savepoint, a ``rollback()`` returns to it, and nothing reaches the database for
good: the outer transaction is rolled back after the test. SQLAlchemy documents this as
"joining a session into an external transaction"; it behaves the same on SQLite (whose
engine Foundry runs with real ``BEGIN`` and savepoints) and PostgreSQL.

The binding is made on the application's own ``Database`` object (its ``session`` is
replaced for the test), so services that resolved the database before the test began still
join. Code that opens connections itself (``database.engine.connect()``) works outside the
test transaction: its writes are not rolled back and, on SQLite, wait on the test's lock.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from foundry.domain.database import Database
from foundry.testing.errors import TestSetupError

__all__ = ["TestTransaction", "session_class"]


def session_class() -> type[Any]:
    """SQLModel's ``AsyncSession`` (what Foundry apps use) when installed, else SQLAlchemy's."""
    try:
        from sqlmodel.ext.asyncio.session import AsyncSession as ModelSession
    except ImportError:  # an app on plain SQLAlchemy
        from sqlalchemy.ext.asyncio import AsyncSession

        return AsyncSession
    return ModelSession


class TestTransaction:
    """The test's connection and outer transaction, opened on first use.

    Args:
        database: the application's database; its ``engine`` provides the connection.
    """

    __test__ = False

    def __init__(self, database: Database) -> None:
        self._database = database
        self._connection: Any = None
        self._transaction: Any = None
        self._sessions: list[Any] = []
        self._lock: asyncio.Lock | None = None
        self._closed = False

    @classmethod
    def install(cls, database: Database) -> TestTransaction:
        """Make ``database.session()`` join the test transaction; returns the transaction.

        Raises:
            TestSetupError: the database object does not let its ``session`` be replaced.
        """
        transaction = cls(database)
        try:
            database.session = transaction.session  # type: ignore[method-assign]
        except (AttributeError, TypeError) as exc:
            raise TestSetupError(
                f"Cannot run tests in a rolled-back transaction: the bound Database "
                f"({type(database).__name__}) does not allow replacing its session() "
                f"({exc}). Bind a Database implementation without __slots__."
            ) from exc
        return transaction

    @property
    def started(self) -> bool:
        """Whether the connection has been opened (something used the database)."""
        return self._connection is not None

    async def connection(self) -> Any:
        """The test's ``AsyncConnection``, with the outer transaction begun.

        Raises:
            TestSetupError: the test is over and the transaction was rolled back.
        """
        if self._closed:
            raise TestSetupError(
                "The test's database transaction has been rolled back (the test is over): "
                "open database sessions during the test, not in teardown code."
            )
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            if self._connection is None:
                connection = await self._database.engine.connect()
                self._transaction = await connection.begin()
                self._connection = connection
        return self._connection

    async def open_session(self) -> Any:
        """A new session joined to the test transaction; closed when the test ends."""
        connection = await self.connection()
        session = session_class()(
            bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
        )
        self._sessions.append(session)
        return session

    @asynccontextmanager
    async def session(self) -> AsyncIterator[Any]:
        """What ``Database.session()`` becomes: commit (release the savepoint) when the
        block ends, roll back to the savepoint when it raises."""
        session = await self.open_session()
        try:
            try:
                yield session
            except BaseException:
                await session.rollback()
                raise
            await session.commit()
        finally:
            await session.close()
            if session in self._sessions:
                self._sessions.remove(session)

    async def close(self) -> None:
        """Close every session, roll the outer transaction back, close the connection."""
        self._closed = True
        sessions, self._sessions = self._sessions, []
        for session in reversed(sessions):
            await session.close()
        connection, transaction = self._connection, self._transaction
        self._connection = self._transaction = None
        if connection is None:
            return
        try:
            if transaction is not None and transaction.is_active:
                await transaction.rollback()
        finally:
            await connection.close()
