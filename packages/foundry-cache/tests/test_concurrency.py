"""Atomicity under concurrency: counters, remember, across separate instances."""

from __future__ import annotations

import asyncio

import pytest
from cache_support import StoreFactory

from foundry.cache.repository import Repository


async def test_increment_is_atomic_under_100_concurrent_tasks(stores: StoreFactory) -> None:
    cache = stores.make()
    results = await asyncio.gather(*(cache.increment("hits") for _ in range(100)))
    assert sorted(results) == list(range(1, 101))
    assert await cache.get("hits") == 100


async def test_increment_is_atomic_across_two_instances(shared_stores: StoreFactory) -> None:
    first, second = shared_stores.make(), shared_stores.make()
    assert first.store is not second.store  # separate connections, as two app instances
    work = [cache.increment("hits", 2) for cache in (first, second) for _ in range(50)]
    results = await asyncio.gather(*work)
    assert sorted(results) == list(range(2, 201, 2))
    assert await first.get("hits") == 200


async def test_add_admits_exactly_one_of_many_concurrent_callers(stores: StoreFactory) -> None:
    cache = stores.make()
    results = await asyncio.gather(*(cache.add("once", n, 60) for n in range(20)))
    assert results.count(True) == 1
    assert await cache.get("once") == results.index(True)


def _slow_factory(calls: list[int], value: object) -> object:
    async def factory() -> object:
        calls.append(1)
        await asyncio.sleep(0.05)
        return value

    return factory


async def test_remember_runs_the_factory_once_for_ten_concurrent_callers(
    stores: StoreFactory,
) -> None:
    cache = stores.make()
    calls: list[int] = []
    results = await asyncio.gather(
        *(cache.remember("report", 60, _slow_factory(calls, {"rows": 3})) for _ in range(10))
    )
    assert calls == [1]
    assert results == [{"rows": 3}] * 10
    assert await cache.get("report") == {"rows": 3}


async def test_remember_runs_once_across_instances(shared_stores: StoreFactory) -> None:
    instances = [shared_stores.make() for _ in range(2)]
    calls: list[int] = []
    results = await asyncio.gather(
        *(
            instances[n % 2].remember("report", 60, _slow_factory(calls, "computed"))
            for n in range(10)
        )
    )
    assert calls == [1]
    assert set(results) == {"computed"}


async def test_remember_returns_a_cached_value_without_calling(cache: Repository) -> None:
    await cache.set("key", "cached")

    def explode() -> str:
        raise AssertionError("the factory must not run")

    assert await cache.remember("key", 60, explode) == "cached"


async def test_remember_accepts_plain_functions(cache: Repository) -> None:
    assert await cache.remember("key", 60, lambda: 7) == 7
    assert await cache.get("key") == 7


async def test_a_failing_factory_stores_nothing_and_lets_the_next_caller_compute(
    cache: Repository,
) -> None:
    def fail() -> str:
        raise RuntimeError("upstream down")

    with pytest.raises(RuntimeError, match="upstream down"):
        await cache.remember("key", 60, fail)
    assert not await cache.has("key")
    assert await cache.remember("key", 60, lambda: "second") == "second"


async def test_remember_computes_anyway_when_another_instance_holds_the_key_too_long(
    shared_stores: StoreFactory,
) -> None:
    cache = shared_stores.make(remember_wait=0.05)
    other = cache.lock("remember:report", 60)
    assert await other.acquire()  # another instance is computing and never finishes
    assert await cache.remember("report", 60, lambda: "fallback") == "fallback"
    assert await other.release()
