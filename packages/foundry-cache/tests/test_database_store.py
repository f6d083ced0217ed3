"""The database store: RustForge's table shape, long keys, pruning, a missing table."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cache_support import StoreFactory

from foundry.cache import DatabaseStore, Repository
from foundry.domain.clock import FrozenClock
from foundry.domain.errors import ConfigurationError


async def rows(cache: Repository) -> list[tuple[str, bytes, datetime | None, datetime]]:
    from sqlalchemy import select

    from foundry.cache.stores.table import TABLE

    store = cache.store
    assert isinstance(store, DatabaseStore)
    async with store.database.engine.connect() as connection:
        query = select(TABLE.c.key, TABLE.c.value, TABLE.c.expires_at, TABLE.c.created_at)
        query = query.where(TABLE.c.key.like(store.prefix + "%"))
        return [tuple(row) for row in (await connection.execute(query)).all()]  # type: ignore[misc]


async def test_entries_are_rows_of_cache_entries(
    db_stores: StoreFactory, clock: FrozenClock
) -> None:
    cache = db_stores.make()
    await cache.set("counter", 41, 60)
    await cache.set("forever", {"a": 1})
    found = {key: rest for key, *rest in await rows(cache)}
    prefix = db_stores.prefix
    assert set(found) == {prefix + "counter", prefix + "forever"}
    value, expires, created = found[prefix + "counter"]
    assert value == b"41"
    assert expires == clock.now() + timedelta(seconds=60)
    assert expires.tzinfo is not None
    assert created == datetime(2026, 1, 1, tzinfo=UTC)
    assert found[prefix + "forever"][1] is None


async def test_keys_past_255_bytes_are_shortened_and_stay_distinct(
    db_stores: StoreFactory,
) -> None:
    cache = db_stores.make()
    first, second = "k" * 400 + "1", "k" * 400 + "2"
    await cache.set(first, 1)
    await cache.set(second, 2)
    assert await cache.get_many([first, second]) == {first: 1, second: 2}
    stored = [key for key, *_ in await rows(cache)]
    assert all(len(key.encode()) <= 255 for key in stored)
    assert all(key.startswith(db_stores.prefix) for key in stored)


async def test_prune_deletes_expired_rows_of_its_prefix(
    db_stores: StoreFactory, clock: FrozenClock
) -> None:
    cache = db_stores.make()
    neighbour = db_stores.make(prefix="other_" + db_stores.prefix)
    await cache.set_many({"a": 1, "b": 2}, 10)
    await cache.set("kept", 3)
    await neighbour.set("theirs", 4, 10)
    clock.advance(11)
    assert await cache.store.prune() == 2  # type: ignore[attr-defined]
    assert [key for key, *_ in await rows(cache)] == [db_stores.prefix + "kept"]
    assert await neighbour.store.prune() == 1  # type: ignore[attr-defined]


async def test_a_missing_table_says_to_migrate(tmp_path: Path) -> None:
    from foundry.infra import SQLDatabase

    database = SQLDatabase(f"sqlite:///{tmp_path / 'empty.sqlite'}")
    cache = Repository(DatabaseStore(database, name="db"))
    try:
        with pytest.raises(ConfigurationError, match=r"cache_entries.*foundry migrate"):
            await cache.get("key")
    finally:
        await database.dispose()


async def test_sqlite_before_3_35_works_without_returning(
    db_stores: StoreFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    if db_stores.kind != "sqlite":
        pytest.skip("about SQLite's RETURNING support")
    import types

    from foundry.cache.stores import database

    old = types.SimpleNamespace(sqlite_version_info=(3, 34, 1))
    monkeypatch.setattr(database, "sqlite3", old)
    cache = db_stores.make()
    assert await cache.add("key", "first")
    assert not await cache.add("key", "second")
    assert await cache.increment("hits", 2) == 2
    assert await cache.pull("key") == "first"
    assert await cache.pull("key", "gone") == "gone"
    assert await cache.lock("job", 30).acquire()
