"""``CacheFake``: the ``Cache`` contract in a dict, recording TTLs and reads, able to fail."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from foundry.domain.cache import Cache, Lock
from foundry.testing.fakes.cache import CacheFake, LockFake


def test_it_implements_the_cache_and_lock_contracts() -> None:
    cache = CacheFake()
    assert isinstance(cache, Cache)
    assert isinstance(cache.lock("jobs", 10), Lock)
    assert cache.tags("a", "b") is cache


async def test_values_and_their_ttls_are_recorded() -> None:
    cache = CacheFake()
    await cache.set("forever", 1)
    await cache.set("minute", 2, 60)
    await cache.set_many({"a": 3, "b": 4}, timedelta(seconds=5))
    assert cache.data == {"forever": 1, "minute": 2, "a": 3, "b": 4}
    assert cache.ttls == {
        "forever": None,
        "minute": 60,
        "a": timedelta(seconds=5),
        "b": timedelta(seconds=5),
    }
    assert await cache.forget("minute") is True
    assert await cache.forget("minute") is False
    assert "minute" not in cache.ttls
    await cache.flush()
    assert cache.data == {}
    assert cache.ttls == {}


async def test_reads_are_counted_per_key() -> None:
    cache = CacheFake()
    await cache.set("k", "v")
    assert await cache.get("k") == "v"
    assert await cache.get("missing", "default") == "default"
    assert await cache.get_many(["k", "missing"]) == {"k": "v"}  # missing keys left out
    assert cache.reads == {"k": 2, "missing": 2}


async def test_the_rest_of_the_contract() -> None:
    cache = CacheFake()
    assert await cache.add("k", 1, 30) is True
    assert await cache.add("k", 2) is False
    assert cache.data["k"] == 1
    assert cache.ttls["k"] == 30
    assert await cache.has("k")
    assert not await cache.has("other")
    assert await cache.increment("n") == 1
    assert await cache.increment("n", 5) == 6
    assert await cache.decrement("n", 2) == 4
    assert await cache.pull("k") == 1
    assert await cache.pull("k", "gone") == "gone"
    calls: list[int] = []

    async def compute() -> str:
        calls.append(1)
        return "computed"

    assert await cache.remember("r", 10, compute) == "computed"
    assert await cache.remember("r", 10, compute) == "computed"
    assert await cache.remember("s", None, lambda: "plain") == "plain"
    assert calls == [1]
    assert cache.ttls["r"] == 10


async def test_a_failing_store_refuses_every_operation() -> None:
    cache = CacheFake()
    await cache.set("k", "v")
    cache.failing = True
    for operation in (
        cache.get("k"),
        cache.set("k", "w"),
        cache.add("new", 1),
        cache.forget("k"),
        cache.has("k"),
        cache.pull("k"),
        cache.increment("n"),
        cache.get_many(["k"]),
        cache.set_many({"k": 1}),
        cache.remember("k", None, lambda: 1),
        cache.flush(),
        cache.lock("l", 1).acquire(),
    ):
        with pytest.raises(ConnectionRefusedError, match="Connection refused"):
            await operation
    cache.failing = False
    assert cache.data == {"k": "v"}  # nothing changed while it was down
    assert cache.reads == {}


async def test_only_the_owner_releases_a_lock() -> None:
    cache = CacheFake()
    mine = cache.lock("jobs", 10, owner="me")
    theirs = cache.lock("jobs", 10, owner="them")
    assert isinstance(mine, LockFake)
    assert mine.name == "jobs"
    assert mine.owner == "me"
    assert await mine.acquire() is True
    assert await theirs.acquire() is False
    assert await theirs.release() is False
    assert cache.data["lock:jobs"] == "me"
    assert await mine.release() is True
    assert await theirs.acquire() is True
    await mine.force_release()
    assert "lock:jobs" not in cache.data
    assert cache.lock("x", 1).owner != cache.lock("x", 1).owner  # random owners


async def test_block_waits_for_the_lock_or_gives_up() -> None:
    cache = CacheFake()
    holder = cache.lock("jobs", 10)
    waiter = cache.lock("jobs", 10)
    await holder.acquire()
    assert await waiter.block(0.05) is False

    async def release_soon() -> None:
        await asyncio.sleep(0.02)
        await holder.release()

    releasing = asyncio.create_task(release_soon())
    assert await waiter.block(2) is True
    await releasing


async def test_the_lock_as_a_context_manager() -> None:
    cache = CacheFake()
    async with cache.lock("jobs", 10) as lock:
        assert cache.data["lock:jobs"] == lock.owner
    assert "lock:jobs" not in cache.data


def test_the_new_helpers_are_exported_from_the_package() -> None:
    import foundry.testing as testing
    from foundry.testing.redis import RedisServerProcess
    from foundry.testing.running import CapturedCommand, capture_command

    assert testing.CacheFake is CacheFake
    assert testing.LockFake is LockFake
    assert testing.capture_command is capture_command
    assert testing.CapturedCommand is CapturedCommand
    assert testing.RedisServerProcess is RedisServerProcess
