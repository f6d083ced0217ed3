"""The memory store: atomic under tasks and threads, and bounded."""

from __future__ import annotations

import asyncio
import logging
import threading

from foundry.ratelimit import MemoryStore, StoreRateLimiter
from foundry.ratelimit.algorithms import ALGORITHMS


async def test_fifty_concurrent_hits_with_limit_ten_allow_exactly_ten(frozen):
    for name in ALGORITHMS:
        limiter = StoreRateLimiter(MemoryStore(clock=frozen), name)
        results = await asyncio.gather(*(limiter.hit("k", 10, 60) for _ in range(50)))
        assert sum(r.allowed for r in results) == 10, name


def test_hits_from_many_threads_allow_exactly_the_limit(frozen):
    store = MemoryStore(clock=frozen)
    algorithm = ALGORITHMS["sliding"]
    allowed: list[bool] = []
    start = threading.Barrier(8)

    def worker() -> None:
        start.wait()
        for _ in range(250):
            allowed.append(store.apply_now("k", algorithm, 100, 60, 1, True).allowed)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(allowed) == 2000
    assert sum(allowed) == 100


async def test_expired_keys_are_dropped_on_the_next_write(frozen):
    store = MemoryStore(clock=frozen)
    limiter = StoreRateLimiter(store, "sliding")
    for n in range(50):
        await limiter.hit(f"k{n}", 10, 60)
    assert len(store) == 50
    frozen.advance(120)  # two windows: none of them matters any more
    await limiter.hit("fresh", 10, 60)
    assert len(store) == 1
    assert "fresh" in store


async def test_gcra_keys_expire_when_the_bucket_is_full_again(frozen):
    store = MemoryStore(clock=frozen)
    limiter = StoreRateLimiter(store, "gcra")
    await limiter.hit("a", 10, 60, cost=5)  # full again after 30 seconds
    frozen.advance(30)
    await limiter.hit("b", 10, 60)
    assert "a" not in store
    assert "b" in store


async def test_the_periodic_sweep_finds_expired_keys_behind_live_ones(frozen):
    store = MemoryStore(clock=frozen, sweep_interval=60)
    limiter = StoreRateLimiter(store, "sliding")
    await limiter.hit("daily", 10, 86400)  # least recently used, and live all day
    await limiter.hit("short", 10, 1)
    frozen.advance(10)
    await limiter.hit("other", 10, 86400)
    assert "short" in store  # the cheap pass stops at the first live key
    frozen.advance(60)
    await limiter.hit("other", 10, 86400)
    assert "short" not in store
    assert "daily" in store


async def test_a_flood_of_keys_stays_within_max_keys(frozen, caplog):
    store = MemoryStore(clock=frozen, max_keys=100)
    limiter = StoreRateLimiter(store, "sliding")
    with caplog.at_level(logging.WARNING, logger="foundry.ratelimit"):
        for n in range(1000):
            await limiter.hit(f"ip:10.0.{n // 256}.{n % 256}", 10, 60)
    assert len(store) == 100
    assert store.evicted == 900
    assert "ip:10.0.3.231" in store  # the most recent survive
    assert "ip:10.0.0.0" not in store
    warnings = [r for r in caplog.records if "maximum of 100 keys" in r.getMessage()]
    assert len(warnings) == 1


async def test_recently_used_keys_survive_eviction(frozen):
    store = MemoryStore(clock=frozen, max_keys=3)
    limiter = StoreRateLimiter(store, "gcra")
    for key in ("a", "b", "c"):
        await limiter.hit(key, 10, 60)
    await limiter.hit("a", 10, 60)  # a is now the most recently used
    await limiter.hit("d", 10, 60)
    assert "a" in store
    assert "b" not in store


async def test_peeking_stores_nothing(frozen):
    store = MemoryStore(clock=frozen)
    for name in ALGORITHMS:
        await StoreRateLimiter(store, name).peek(f"{name}:k", 10, 60)
    assert len(store) == 0


async def test_delete_reports_whether_a_live_count_was_there(frozen):
    store = MemoryStore(clock=frozen)
    await StoreRateLimiter(store, "sliding").hit("k", 10, 60)
    assert await store.delete("k") is True
    assert await store.delete("k") is False
