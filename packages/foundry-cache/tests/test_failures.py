"""A store that is down fails fast, names itself and its address, and recovers."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from foundry.cache import DatabaseStore, RedisStore, Repository, StoreUnavailableError
from foundry.domain.errors import ServiceUnavailableError
from foundry.testing.redis import TcpRelay


async def test_a_refused_redis_fails_fast_naming_store_and_masked_address(
    closed_port: int,
) -> None:
    url = f"redis://app:hunter2@127.0.0.1:{closed_port}/0"
    cache = Repository(RedisStore(url, name="sessions", timeout=0.5))
    with pytest.raises(StoreUnavailableError) as caught:
        await asyncio.wait_for(cache.get("key"), 5)
    error = caught.value
    assert isinstance(error, ServiceUnavailableError)
    assert error.status == 503
    assert error.store == "sessions"
    assert f"redis://app:******@127.0.0.1:{closed_port}/0" in error.message
    assert "hunter2" not in error.message
    assert "hunter2" not in repr(error.to_dict())


async def test_a_silent_redis_times_out_instead_of_hanging(silent_port: int) -> None:
    cache = Repository(RedisStore(f"redis://127.0.0.1:{silent_port}/0", timeout=0.2))
    for operation in (cache.get("k"), cache.set("k", 1), cache.lock("l", 5).acquire()):
        with pytest.raises(StoreUnavailableError, match=r"no answer within 0\.2s"):
            await asyncio.wait_for(operation, 5)


async def test_redis_reconnects_by_itself_when_it_comes_back(relay: TcpRelay, prefix: str) -> None:
    cache = Repository(RedisStore(f"redis://127.0.0.1:{relay.port}/0", prefix=prefix))
    try:
        await cache.set("key", "before")
        await relay.stop()
        with pytest.raises(StoreUnavailableError):
            await asyncio.wait_for(cache.get("key"), 5)
        await relay.start()
        assert await cache.get("key") == "before"
        await cache.set("key", "after")
        assert await cache.get("key") == "after"
    finally:
        await cache.flush()
        await cache.close()


async def test_an_unreachable_database_fails_fast(closed_port: int, tmp_path: Path) -> None:
    from foundry.infra import SQLDatabase

    database = SQLDatabase(f"postgresql://app:hunter2@127.0.0.1:{closed_port}/app")
    cache = Repository(DatabaseStore(database, name="database", timeout=2))
    try:
        with pytest.raises(StoreUnavailableError) as caught:
            await asyncio.wait_for(cache.get("key"), 10)
        assert '"database" at postgresql://app:******@' in caught.value.message
        assert "hunter2" not in caught.value.message
    finally:
        await database.dispose()
