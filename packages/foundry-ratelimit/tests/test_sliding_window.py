"""The sliding window (two-window approximation), exact allow/deny sequences on a frozen
clock through the memory store."""

from __future__ import annotations

import pytest

from foundry.ratelimit import InvalidRateError, MemoryStore, StoreRateLimiter

KEY = "api:ip:203.0.113.9"


@pytest.fixture
def limiter(frozen):
    return StoreRateLimiter(MemoryStore(clock=frozen), "sliding")


async def hits(limiter, n, limit=10, window=60.0, cost=1):
    return [await limiter.hit(KEY, limit, window, cost) for _ in range(n)]


async def test_the_limit_is_allowed_then_refused_within_one_window(limiter):
    results = await hits(limiter, 11)
    assert [r.allowed for r in results] == [True] * 10 + [False]
    assert [r.remaining for r in results] == [9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 0]
    refused = results[-1]
    # the window is full: wait for the next one, where 10 hits weigh 9 after 6 seconds
    assert refused.retry_after == pytest.approx(66.0)
    assert refused.reset_after == pytest.approx(120.0)
    assert refused.limit == 10


async def test_refused_hits_are_not_counted(limiter, frozen):
    await hits(limiter, 10)
    await hits(limiter, 50)  # all refused
    frozen.advance(66)
    assert (await limiter.hit(KEY, 10, 60)).allowed


async def test_the_previous_window_fades_across_the_current_one(limiter, frozen):
    await hits(limiter, 10)
    frozen.advance(60)  # next window: the previous 10 still weigh 10
    first = await limiter.hit(KEY, 10, 60)
    assert (first.allowed, first.remaining) == (False, 0)
    assert first.retry_after == pytest.approx(6.0)
    frozen.advance(6)  # they weigh 9: one fits
    assert [r.allowed for r in await hits(limiter, 2)] == [True, False]
    frozen.advance(24)  # half way: they weigh 5, plus the 1 counted: 4 more fit
    assert [r.allowed for r in await hits(limiter, 5)] == [True] * 4 + [False]


async def test_waiting_the_retry_after_is_enough(limiter, frozen):
    await hits(limiter, 10)
    frozen.advance(60)
    await hits(limiter, 3)
    refused = (await hits(limiter, 1))[0]
    assert not refused.allowed
    frozen.advance(refused.retry_after - 0.001)
    assert not (await limiter.hit(KEY, 10, 60)).allowed
    frozen.advance(0.001)
    assert (await limiter.hit(KEY, 10, 60)).allowed


async def test_two_windows_later_everything_is_forgotten(limiter, frozen):
    await hits(limiter, 10)
    frozen.advance(120)
    results = await hits(limiter, 11)
    assert [r.allowed for r in results] == [True] * 10 + [False]


async def test_a_burst_across_the_window_boundary_is_not_doubled(limiter, frozen):
    frozen.advance(59)  # the last second of a window
    assert all(r.allowed for r in await hits(limiter, 10))
    frozen.advance(1)  # the next window: a fixed window would allow 10 more at once
    assert not any(r.allowed for r in await hits(limiter, 10))


async def test_a_cost_counts_several_hits(limiter):
    assert (await limiter.hit(KEY, 10, 60, cost=4)).remaining == 6
    assert (await limiter.hit(KEY, 10, 60, cost=6)).remaining == 0
    refused = await limiter.hit(KEY, 10, 60, cost=1)
    assert not refused.allowed


async def test_a_cost_above_the_limit_never_passes_and_counts_nothing(limiter):
    refused = await limiter.hit(KEY, 3, 60, cost=4)
    assert (refused.allowed, refused.retry_after) == (False, 60.0)
    assert (await limiter.peek(KEY, 3, 60)).remaining == 3


async def test_peek_counts_nothing(limiter):
    await hits(limiter, 4)
    for _ in range(3):
        peeked = await limiter.peek(KEY, 10, 60)
        assert (peeked.allowed, peeked.remaining) == (True, 6)
    await hits(limiter, 6)
    peeked = await limiter.peek(KEY, 10, 60)
    assert (peeked.allowed, peeked.remaining) == (False, 0)


async def test_reset_forgets_the_key(limiter):
    await hits(limiter, 10)
    await limiter.reset(KEY)
    assert (await limiter.hit(KEY, 10, 60)).remaining == 9


async def test_keys_are_counted_apart(limiter):
    await hits(limiter, 10)
    assert (await limiter.hit("api:ip:198.51.100.1", 10, 60)).allowed


async def test_a_changed_window_starts_a_fresh_count(limiter):
    await hits(limiter, 10)
    assert (await limiter.hit(KEY, 10, 3600)).remaining == 9


async def test_a_clock_stepping_back_keeps_counting_in_the_same_window(limiter, frozen):
    frozen.advance(30)
    await hits(limiter, 10)
    frozen.advance(-20)
    assert not (await limiter.hit(KEY, 10, 60)).allowed


@pytest.mark.parametrize(
    ("limit", "window", "cost"), [(0, 60, 1), (10, 0, 1), (10, 60, 0), (10, -1, 1), (True, 60, 1)]
)
async def test_bad_arguments_are_refused(limiter, limit, window, cost):
    with pytest.raises(InvalidRateError):
        await limiter.hit(KEY, limit, window, cost)
