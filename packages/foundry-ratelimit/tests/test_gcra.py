"""GCRA (token bucket as one timestamp), exact allow/deny sequences on a frozen clock."""

from __future__ import annotations

import pytest

from foundry.ratelimit import MemoryStore, StoreRateLimiter

KEY = "api:user:42"


@pytest.fixture
def limiter(frozen):
    return StoreRateLimiter(MemoryStore(clock=frozen), "gcra")


async def hits(limiter, n, limit=10, window=60.0, cost=1):
    return [await limiter.hit(KEY, limit, window, cost) for _ in range(n)]


async def test_a_full_bucket_allows_the_limit_as_a_burst(limiter):
    results = await hits(limiter, 11)
    assert [r.allowed for r in results] == [True] * 10 + [False]
    assert [r.remaining for r in results] == [9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 0]
    assert [r.reset_after for r in results[:3]] == [6.0, 12.0, 18.0]
    assert results[-1].reset_after == 60.0
    assert results[-1].retry_after == 6.0


async def test_after_a_burst_one_hit_passes_per_interval(limiter, frozen):
    await hits(limiter, 10)
    frozen.advance(5.999)
    assert not (await limiter.hit(KEY, 10, 60)).allowed
    frozen.advance(0.001)
    assert [r.allowed for r in await hits(limiter, 2)] == [True, False]
    frozen.advance(6)
    assert [r.allowed for r in await hits(limiter, 2)] == [True, False]


async def test_the_bucket_refills_in_proportion_to_time(limiter, frozen):
    await hits(limiter, 10)
    frozen.advance(30)  # 5 intervals of 6 seconds
    peeked = await limiter.peek(KEY, 10, 60)
    assert peeked.remaining == 5
    assert [r.allowed for r in await hits(limiter, 6)] == [True] * 5 + [False]
    frozen.advance(60)
    assert (await limiter.peek(KEY, 10, 60)).remaining == 10


async def test_a_cost_needs_that_many_tokens(limiter, frozen):
    await hits(limiter, 8)
    refused = await limiter.hit(KEY, 10, 60, cost=3)
    assert (refused.allowed, refused.remaining) == (False, 2)
    assert refused.retry_after == pytest.approx(6.0)
    frozen.advance(6)
    allowed = await limiter.hit(KEY, 10, 60, cost=3)
    assert (allowed.allowed, allowed.remaining) == (True, 0)


async def test_a_cost_above_the_limit_never_passes_and_counts_nothing(limiter):
    refused = await limiter.hit(KEY, 3, 60, cost=4)
    assert (refused.allowed, refused.retry_after) == (False, 60.0)
    assert (await limiter.peek(KEY, 3, 60)).remaining == 3


async def test_fractional_intervals_still_allow_exactly_the_limit(limiter):
    results = await hits(limiter, 4, limit=3, window=1.0)
    assert [r.allowed for r in results] == [True, True, True, False]


async def test_peek_counts_nothing_and_reset_forgets(limiter):
    await hits(limiter, 3)
    assert (await limiter.peek(KEY, 10, 60)).remaining == 7
    assert (await limiter.peek(KEY, 10, 60)).remaining == 7
    await limiter.reset(KEY)
    assert (await limiter.peek(KEY, 10, 60)).remaining == 10


async def test_a_state_of_the_other_algorithm_starts_fresh(frozen):
    store = MemoryStore(clock=frozen)
    sliding = StoreRateLimiter(store, "sliding")
    gcra = StoreRateLimiter(store, "gcra")
    for _ in range(10):
        await sliding.hit(KEY, 10, 60)
    assert (await gcra.hit(KEY, 10, 60)).remaining == 9
