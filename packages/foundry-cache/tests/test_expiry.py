"""TTLs: exact expiry at T and T+1 on a frozen clock, and by state on Redis."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from cache_support import StoreFactory

from foundry.cache.repository import Repository
from foundry.domain.clock import FrozenClock


async def test_an_entry_lives_until_its_ttl_and_not_a_moment_longer(
    clocked_stores: StoreFactory, clock: FrozenClock
) -> None:
    cache = clocked_stores.make()
    await cache.set("key", "value", 10)
    clock.advance(9.999)
    assert await cache.get("key") == "value"
    assert await cache.has("key")
    clock.advance(0.001)
    assert await cache.get("key") is None
    assert not await cache.has("key")
    assert await cache.get_many(["key"]) == {}


async def test_each_entry_has_its_own_ttl(clocked_stores: StoreFactory, clock: FrozenClock) -> None:
    cache = clocked_stores.make()
    await cache.set("short", 1, 5)
    await cache.set("long", 2, timedelta(minutes=1))
    await cache.set("forever", 3)
    await cache.set_many({"batch": 4}, 30)
    clock.advance(6)
    assert await cache.get_many(["short", "long", "forever", "batch"]) == {
        "long": 2,
        "forever": 3,
        "batch": 4,
    }
    clock.advance(60)
    assert await cache.get_many(["short", "long", "forever", "batch"]) == {"forever": 3}


async def test_add_succeeds_over_an_expired_entry(
    clocked_stores: StoreFactory, clock: FrozenClock
) -> None:
    cache = clocked_stores.make()
    await cache.add("key", "old", 1)
    clock.advance(1)
    assert await cache.add("key", "new", 10)
    assert await cache.get("key") == "new"


async def test_pull_and_forget_ignore_an_expired_entry(
    clocked_stores: StoreFactory, clock: FrozenClock
) -> None:
    cache = clocked_stores.make()
    await cache.set("a", 1, 1)
    await cache.set("b", 2, 1)
    clock.advance(2)
    assert await cache.pull("a", "gone") == "gone"
    assert not await cache.forget("b")


async def test_increment_keeps_the_ttl_of_a_live_counter(
    clocked_stores: StoreFactory, clock: FrozenClock
) -> None:
    cache = clocked_stores.make()
    await cache.set("hits", 5, 10)
    clock.advance(5)
    assert await cache.increment("hits") == 6
    clock.advance(5)
    assert await cache.get("hits") is None


async def test_increment_of_an_expired_counter_starts_again_from_zero(
    clocked_stores: StoreFactory, clock: FrozenClock
) -> None:
    cache = clocked_stores.make()
    await cache.set("hits", 99, 1)
    clock.advance(1)
    assert await cache.increment("hits", 2) == 2
    clock.advance(3600)
    assert await cache.get("hits") == 2  # a fresh counter has no expiry


async def test_a_lock_frees_itself_after_its_ttl(
    clocked_stores: StoreFactory, clock: FrozenClock
) -> None:
    cache = clocked_stores.make()
    first = cache.lock("job", 10)
    assert await first.acquire()
    clock.advance(9)
    assert not await cache.lock("job", 10).acquire()
    clock.advance(1)
    second = cache.lock("job", 10)
    assert await second.acquire()
    assert not await first.release()  # expired: it is no longer first's to release
    assert await second.release()


async def _gone(cache: Repository, key: str) -> bool:
    """Wait (bounded) until Redis has expired ``key``; True when it did."""
    for _ in range(200):
        if not await cache.has(key):
            return True
        await asyncio.sleep(0.01)
    return False


async def test_redis_expires_entries_on_the_server(redis_stores: StoreFactory) -> None:
    cache = redis_stores.make()
    store = cache.store
    await cache.set("short", "value", 0.05)
    await cache.set("forever", "value")
    await cache.add("added", "value", 0.05)
    await cache.set_many({"many": 1}, 0.05)
    client = store.client()  # type: ignore[attr-defined]
    assert 0 < await client.pttl(store.prefix + "short") <= 50
    assert await client.pttl(store.prefix + "forever") == -1
    assert await _gone(cache, "short")
    assert await _gone(cache, "added")
    assert await _gone(cache, "many")
    assert await cache.get("forever") == "value"


async def test_redis_increment_keeps_the_ttl(redis_stores: StoreFactory) -> None:
    cache = redis_stores.make()
    await cache.set("hits", 1, 60)
    await cache.increment("hits")
    client = cache.store.client()  # type: ignore[attr-defined]
    assert 0 < await client.pttl(cache.store.prefix + "hits") <= 60_000
