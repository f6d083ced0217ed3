"""The null store: caching switched off, code that uses the cache still runs."""

from __future__ import annotations

from foundry.cache import NullStore, Repository


async def test_every_read_misses_and_every_write_is_dropped() -> None:
    cache = Repository(NullStore())
    await cache.set("key", "value")
    await cache.set_many({"a": 1})
    assert await cache.get("key", "default") == "default"
    assert not await cache.has("key")
    assert await cache.get_many(["key", "a"]) == {}
    assert not await cache.add("key", "value")
    assert not await cache.forget("key")
    assert await cache.pull("key", "gone") == "gone"


async def test_counters_answer_as_if_counting_from_zero() -> None:
    cache = Repository(NullStore())
    assert await cache.increment("hits", 3) == 3
    assert await cache.increment("hits", 3) == 3
    assert await cache.decrement("hits") == -1


async def test_remember_computes_every_time() -> None:
    cache = Repository(NullStore())
    calls: list[int] = []

    def factory() -> int:
        calls.append(1)
        return len(calls)

    assert await cache.remember("key", 60, factory) == 1
    assert await cache.remember("key", 60, factory) == 2


async def test_locks_are_always_granted() -> None:
    cache = Repository(NullStore())
    assert await cache.lock("job", 30).acquire()
    assert await cache.lock("job", 30).acquire()
    async with cache.lock("job", 30):
        pass


async def test_tags_keep_nothing() -> None:
    cache = Repository(NullStore())
    await cache.tags("t").set("key", 1)
    assert await cache.tags("t").get("key") is None
