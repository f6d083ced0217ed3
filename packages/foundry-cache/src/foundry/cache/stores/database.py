"""The database store: the ``cache_entries`` table, through the ``Database`` contract.

Works on SQLite, PostgreSQL and MySQL/MariaDB with the engine ``foundry-infra`` binds.
Each operation is one short transaction:

* ``set``/``set_many`` — one upsert statement (``ON CONFLICT DO UPDATE`` /
  ``ON DUPLICATE KEY UPDATE``) for all the rows;
* ``add``, ``increment`` and lock acquisition — an upsert that changes nothing takes the
  row's exclusive lock (inserting an expired placeholder when the key is missing) and
  returns the row, with ``RETURNING`` where the database has it; the value is then checked,
  computed and written before the commit releases the lock, so concurrent writers of a key
  from any number of processes queue on its row, and never deadlock;
* ``pull`` — ``DELETE ... RETURNING`` (PostgreSQL, SQLite 3.35+), or the row lock above,
  a read and a ``DELETE`` (MySQL);
* lock release — ``DELETE ... WHERE key = :lock AND value = :owner``.

Transactions, deadlock retries and error reporting are in
:mod:`foundry.cache.stores.transactions`.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Awaitable, Callable, Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from foundry.cache.errors import NotAnIntegerError
from foundry.cache.serialization import Serializer, serializer
from foundry.cache.stores.base import MISSING, Store
from foundry.cache.stores.transactions import transaction
from foundry.domain.clock import Clock, SystemClock
from foundry.domain.errors import MissingDependencyError

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncConnection

    from foundry.domain.database import Database

__all__ = ["DatabaseStore"]

T = TypeVar("T")

INSTALL = "'foundry-cache[database]'"
_LOCK_PREFIX = "lock:"
_BATCH = 500
_EXPIRED = datetime(1970, 1, 1, tzinfo=UTC)


class DatabaseStore(Store):
    """Entries as rows of ``cache_entries``.

    Args:
        database: the application's ``Database`` (its engine is used).
        name: the configured store name.
        prefix: put before every key.
        timeout: seconds one operation may take, waiting for a connection included.
        clock: decides expiry; a ``FrozenClock`` makes it exact in tests.
        serializer: writes and reads values (the application-wide one by default).

    Raises:
        MissingDependencyError: SQLAlchemy is not installed (``foundry-cache[database]``).
    """

    driver = "database"

    def __init__(
        self,
        database: Database,
        *,
        name: str = "database",
        prefix: str = "",
        timeout: float = 5.0,
        clock: Clock | None = None,
        serializer: Serializer = serializer,
    ) -> None:
        super().__init__(name=name, prefix=prefix)
        try:
            from foundry.cache.stores import table
        except ImportError:
            raise MissingDependencyError(f'The "{name}" cache store (database)', INSTALL) from None
        self._table = table
        self.database = database
        self.timeout = timeout
        self._clock: Clock = clock or SystemClock()
        self._serializer = serializer

    @property
    def address(self) -> str:
        return f"{self.database.url} (table cache_entries)"

    # --- plumbing -------------------------------------------------------------------

    def _full(self, key: str) -> str:
        """The row key: prefixed, and shortened with a hash past 255 bytes."""
        full = self.prefix + key
        raw = full.encode()
        if len(raw) <= self._table.MAX_KEY_BYTES:
            return full
        head = raw[:190].decode(errors="ignore")
        return f"{head}:{hashlib.sha256(raw).hexdigest()}"

    def _now(self) -> datetime:
        return self._clock.now()

    def _expiry(self, ttl: float | None) -> datetime | None:
        return None if ttl is None else self._now() + timedelta(seconds=ttl)

    def _live(self, now: datetime) -> Any:
        column = self._table.TABLE.c.expires_at
        return column.is_(None) | (column > now)

    @property
    def _dialect(self) -> str:
        return str(self.database.dialect)

    @property
    def _returning(self) -> bool:
        """Whether ``INSERT``/``DELETE ... RETURNING`` exist (PostgreSQL; SQLite 3.35+)."""
        if self._dialect == "postgresql":
            return True
        return self._dialect == "sqlite" and sqlite3.sqlite_version_info >= (3, 35)

    async def _run(self, work: Callable[[AsyncConnection], Awaitable[T]]) -> T:
        return await transaction(self.database, work, store=self.name, timeout=self.timeout)

    def _row(
        self, full: str, data: bytes, expires: datetime | None, now: datetime
    ) -> dict[str, Any]:
        return {"key": full, "value": data, "expires_at": expires, "created_at": now}

    async def _lock_row(self, connection: AsyncConnection, full: str, now: datetime) -> Any:
        """Take the row lock of ``full`` and return its ``(value, expires_at)``.

        An upsert that changes nothing on an existing row (it sets ``created_at`` to
        itself) takes the row's exclusive lock, or inserts an already-expired placeholder
        when the key is missing, so every concurrent writer of the key queues here until
        this transaction ends — no shared lock to upgrade, hence no deadlock between them.
        The placeholder never outlives the transaction: the caller overwrites it or the
        transaction rolls back.
        """
        from sqlalchemy import select

        table = self._table.TABLE
        row = self._row(full, b"", _EXPIRED, now)
        stmt = self._table.touch(self._dialect, row, returning=self._returning)
        if self._returning:
            return (await connection.execute(stmt)).one()
        await connection.execute(stmt)
        query = (
            select(table.c.value, table.c.expires_at).where(table.c.key == full).with_for_update()
        )
        return (await connection.execute(query)).one()

    async def _store_if_absent(self, full: str, data: bytes, ttl: float | None) -> bool:
        """``add``: write ``data`` unless the key holds a live row, as one locked step."""
        from sqlalchemy import update

        table, now = self._table.TABLE, self._now()
        expires = self._expiry(ttl)

        async def add(connection: AsyncConnection) -> bool:
            row = await self._lock_row(connection, full, now)
            if row.expires_at is None or row.expires_at > now:
                return False
            await connection.execute(
                update(table)
                .where(table.c.key == full)
                .values(value=data, expires_at=expires, created_at=now)
            )
            return True

        return await self._run(add)

    # --- entries --------------------------------------------------------------------

    async def get(self, key: str) -> Any:
        found = await self.get_many([key])
        return found.get(key, MISSING)

    async def get_many(self, keys: Iterable[str]) -> dict[str, Any]:
        from sqlalchemy import select

        by_full = {self._full(key): key for key in keys}
        if not by_full:
            return {}
        table, now = self._table.TABLE, self._now()

        async def read(connection: AsyncConnection) -> list[Any]:
            query = select(table.c.key, table.c.value).where(
                table.c.key.in_(list(by_full)), self._live(now)
            )
            return list((await connection.execute(query)).all())

        rows = await self._run(read)
        found: dict[str, Any] = {}
        for full, value in rows:
            found[by_full[full]] = self._serializer.loads(bytes(value))
        return found

    async def has(self, key: str) -> bool:
        from sqlalchemy import select

        table, full, now = self._table.TABLE, self._full(key), self._now()

        async def exists(connection: AsyncConnection) -> bool:
            query = select(table.c.key).where(table.c.key == full, self._live(now))
            return (await connection.execute(query)).first() is not None

        return await self._run(exists)

    async def put(self, key: str, value: Any, ttl: float | None) -> None:
        await self.put_many({key: value}, ttl)

    async def put_many(self, values: Mapping[str, Any], ttl: float | None) -> None:
        if not values:
            return
        now = self._now()
        expires = self._expiry(ttl)
        rows = [
            self._row(self._full(k), self._serializer.dumps(v), expires, now)
            for k, v in values.items()
        ]

        async def upsert(connection: AsyncConnection) -> None:
            for start in range(0, len(rows), _BATCH):
                await connection.execute(
                    self._table.upsert(self._dialect, rows[start : start + _BATCH])
                )

        await self._run(upsert)

    async def add(self, key: str, value: Any, ttl: float | None) -> bool:
        return await self._store_if_absent(self._full(key), self._serializer.dumps(value), ttl)

    async def forget(self, key: str) -> bool:
        from sqlalchemy import delete

        table, full, now = self._table.TABLE, self._full(key), self._now()

        async def forget(connection: AsyncConnection) -> bool:
            live = await connection.execute(
                delete(table).where(table.c.key == full, self._live(now))
            )
            if live.rowcount:
                return True
            await connection.execute(delete(table).where(table.c.key == full))
            return False

        return await self._run(forget)

    async def pull(self, key: str) -> Any:
        from sqlalchemy import delete

        table, full, now = self._table.TABLE, self._full(key), self._now()

        async def pull(connection: AsyncConnection) -> Any:
            if self._returning:
                statement = (
                    delete(table)
                    .where(table.c.key == full)
                    .returning(table.c.value, table.c.expires_at)
                )
                row = (await connection.execute(statement)).first()
            else:  # lock the row (a placeholder when missing), read it, delete it
                row = await self._lock_row(connection, full, now)
                await connection.execute(delete(table).where(table.c.key == full))
            if row is None or (row.expires_at is not None and row.expires_at <= now):
                return None
            return bytes(row.value)

        data = await self._run(pull)
        return MISSING if data is None else self._serializer.loads(data)

    async def increment(self, key: str, amount: int) -> int:
        from sqlalchemy import update

        table, full, now = self._table.TABLE, self._full(key), self._now()

        async def increment(connection: AsyncConnection) -> int:
            row = await self._lock_row(connection, full, now)
            expires = row.expires_at
            if expires is not None and expires <= now:
                current, expires = 0, None
            else:
                current = self._serializer.loads(bytes(row.value))
                if type(current) is not int:
                    raise NotAnIntegerError(key, f"a {type(current).__name__}")
            value: int = current + amount
            await connection.execute(
                update(table)
                .where(table.c.key == full)
                .values(value=self._serializer.dumps(value), expires_at=expires)
            )
            return value

        return await self._run(increment)

    async def flush(self) -> None:
        from sqlalchemy import delete

        condition = self._table.prefix_filter(self._dialect, self.prefix)

        async def flush(connection: AsyncConnection) -> None:
            await connection.execute(delete(self._table.TABLE).where(condition))

        await self._run(flush)

    async def prune(self) -> int:
        """Delete the expired rows under this prefix; returns how many."""
        from sqlalchemy import delete

        table, now = self._table.TABLE, self._now()
        condition = self._table.prefix_filter(self._dialect, self.prefix)

        async def prune(connection: AsyncConnection) -> int:
            result = await connection.execute(
                delete(table).where(
                    table.c.expires_at.is_not(None), table.c.expires_at <= now, condition
                )
            )
            return int(result.rowcount)

        return await self._run(prune)

    # --- locks ----------------------------------------------------------------------

    async def acquire_lock(self, name: str, owner: str, ttl: float | None) -> bool:
        return await self._store_if_absent(self._full(_LOCK_PREFIX + name), owner.encode(), ttl)

    async def release_lock(self, name: str, owner: str) -> bool:
        from sqlalchemy import delete

        table, full, now = self._table.TABLE, self._full(_LOCK_PREFIX + name), self._now()

        async def release(connection: AsyncConnection) -> bool:
            result = await connection.execute(
                delete(table).where(
                    table.c.key == full, table.c.value == owner.encode(), self._live(now)
                )
            )
            return bool(result.rowcount == 1)

        return await self._run(release)

    async def force_release_lock(self, name: str) -> None:
        from sqlalchemy import delete

        table, full = self._table.TABLE, self._full(_LOCK_PREFIX + name)

        async def force(connection: AsyncConnection) -> None:
            await connection.execute(delete(table).where(table.c.key == full))

        await self._run(force)

    async def lock_owner(self, name: str) -> str | None:
        from sqlalchemy import select

        table, full, now = self._table.TABLE, self._full(_LOCK_PREFIX + name), self._now()

        async def owner(connection: AsyncConnection) -> str | None:
            query = select(table.c.value).where(table.c.key == full, self._live(now))
            value = (await connection.execute(query)).scalar()
            return None if value is None else bytes(value).decode()

        return await self._run(owner)
