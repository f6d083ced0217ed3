"""The Redis store: one round trip for batches, prefixes, compare-and-delete locks."""

from __future__ import annotations

import asyncio

import pytest
from cache_support import StoreFactory

from foundry.cache import NotAnIntegerError, RedisStore, Repository
from foundry.domain.errors import ConfigurationError


@pytest.fixture
def round_trips(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts packets sent to Redis: one per round trip (a pipeline sends one)."""
    from redis.asyncio.connection import AbstractConnection

    sent: list[int] = []
    original = AbstractConnection.send_packed_command

    async def counting(self: object, command: object, check_health: bool = True) -> None:
        sent.append(1)
        await original(self, command, check_health)  # type: ignore[arg-type]

    monkeypatch.setattr(AbstractConnection, "send_packed_command", counting)
    return sent


async def test_get_many_is_one_round_trip(
    redis_stores: StoreFactory, round_trips: list[int]
) -> None:
    cache = redis_stores.make()
    await cache.set_many({f"k{n}": n for n in range(50)})
    round_trips.clear()
    found = await cache.get_many([f"k{n}" for n in range(60)])
    assert found == {f"k{n}": n for n in range(50)}
    assert len(round_trips) == 1


async def test_set_many_with_a_ttl_is_one_round_trip(
    redis_stores: StoreFactory, round_trips: list[int]
) -> None:
    cache = redis_stores.make()
    await cache.get("warm-up")  # open the connection first
    round_trips.clear()
    await cache.set_many({f"k{n}": n for n in range(50)}, 60)
    assert len(round_trips) == 1


async def test_keys_carry_the_prefix_on_the_server(redis_stores: StoreFactory) -> None:
    cache = redis_stores.make()
    await cache.set("key", "value")
    client = cache.store.client()  # type: ignore[attr-defined]
    assert await client.exists(redis_stores.prefix + "key") == 1
    assert await client.exists("key") == 0


async def test_flush_escapes_glob_characters_of_the_prefix(redis_url: str) -> None:
    glob = Repository(RedisStore(redis_url, prefix="foundry_test_glob*?[]:"))
    lookalike = Repository(RedisStore(redis_url, prefix="foundry_test_globXY]:"))
    try:
        await glob.set("key", 1)
        await lookalike.set("key", 2)
        await glob.flush()
        assert await glob.get("key") is None
        assert await lookalike.get("key") == 2
    finally:
        await lookalike.flush()
        await glob.close()
        await lookalike.close()


async def test_an_expired_owner_cannot_release_the_next_owners_lock(
    redis_stores: StoreFactory,
) -> None:
    cache = redis_stores.make()
    first = cache.lock("job", 0.05)
    assert await first.acquire()
    for _ in range(200):
        if await first.current_owner() is None:
            break
        await asyncio.sleep(0.01)
    second = cache.lock("job", 30)
    assert await second.acquire()
    assert not await first.release()
    assert await second.is_owned()


async def test_incrementing_a_serialised_value_is_refused(redis_stores: StoreFactory) -> None:
    cache = redis_stores.make()
    await cache.set("name", ["a"])
    with pytest.raises(NotAnIntegerError, match="a list"):
        await cache.increment("name")


def test_a_bad_url_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match=r"not a Redis URL.*redis://host:6379/0"):
        RedisStore("http://cache:6379")


async def test_close_releases_the_pool_and_a_later_call_reconnects(
    redis_stores: StoreFactory,
) -> None:
    cache = redis_stores.make()
    await cache.set("key", 1)
    client = cache.store.client()  # type: ignore[attr-defined]
    await cache.close()
    assert cache.store.client() is not client  # type: ignore[attr-defined]
    assert await cache.get("key") == 1
