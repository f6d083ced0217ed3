"""The Redis store against the real local server: counts, atomicity across connections,
the server's clock, TTLs, NOSCRIPT recovery, time-outs and reconnection; restarts and
outages against a throwaway ``redis-server`` of the test's own.

Windows are long (an hour or a day) so the counts asserted never depend on how fast the
test runs; only the expiry test uses a short window, and it asserts counts, not times.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from foundry.domain.clock import FrozenClock
from foundry.ratelimit import RateLimitStoreError, RedisStore, StoreRateLimiter
from foundry.ratelimit.algorithms import ALGORITHMS

HOUR = 3600.0


@pytest.fixture
async def store(redis_url, prefix):
    made = RedisStore(redis_url, prefix=prefix)
    yield made
    await made.aclose()


@pytest.mark.parametrize("name", list(ALGORITHMS))
async def test_the_limit_is_allowed_then_refused(store, name):
    limiter = StoreRateLimiter(store, name)
    results = [await limiter.hit("k", 5, HOUR) for _ in range(8)]
    assert [r.allowed for r in results] == [True] * 5 + [False] * 3
    assert [r.remaining for r in results] == [4, 3, 2, 1, 0, 0, 0, 0]
    assert all(r.limit == 5 for r in results)
    assert results[-1].retry_after > 0
    assert results[0].retry_after == 0.0


@pytest.mark.parametrize("name", list(ALGORITHMS))
async def test_peek_counts_nothing_and_reset_forgets(store, name):
    limiter = StoreRateLimiter(store, name)
    for _ in range(3):
        await limiter.hit("k", 5, HOUR)
    assert [(await limiter.peek("k", 5, HOUR)).remaining for _ in range(3)] == [2, 2, 2]
    await limiter.reset("k")
    assert (await limiter.peek("k", 5, HOUR)).remaining == 5
    assert (await limiter.hit("k", 5, HOUR)).remaining == 4


@pytest.mark.parametrize("name", list(ALGORITHMS))
async def test_costs_and_impossible_costs(store, name):
    limiter = StoreRateLimiter(store, name)
    assert (await limiter.hit("k", 10, HOUR, cost=7)).remaining == 3
    refused = await limiter.hit("k", 10, HOUR, cost=4)
    assert (refused.allowed, refused.remaining) == (False, 3)
    never = await limiter.hit("k", 10, HOUR, cost=11)
    assert (never.allowed, never.retry_after) == (False, HOUR)
    assert (await limiter.hit("k", 10, HOUR, cost=3)).allowed


@pytest.mark.parametrize("name", list(ALGORITHMS))
async def test_fifty_concurrent_hits_over_two_connections_allow_exactly_ten(
    redis_url, prefix, name
):
    # two stores, two connection pools: two application instances sharing one Redis
    first, second = RedisStore(redis_url, prefix=prefix), RedisStore(redis_url, prefix=prefix)
    a, b = StoreRateLimiter(first, name), StoreRateLimiter(second, name)
    try:
        results = await asyncio.gather(
            *(limiter.hit("shared", 10, HOUR) for _ in range(25) for limiter in (a, b))
        )
    finally:
        await first.aclose()
        await second.aclose()
    assert len(results) == 50
    assert sum(r.allowed for r in results) == 10


async def test_the_servers_clock_counts_not_the_applications(redis_url, prefix):
    # instances whose own clocks are a century apart still share one count
    past = RedisStore(redis_url, prefix=prefix, clock=FrozenClock(datetime(2000, 1, 1, tzinfo=UTC)))
    future = RedisStore(
        redis_url, prefix=prefix, clock=FrozenClock(datetime(2100, 1, 1, tzinfo=UTC))
    )
    try:
        for name in ALGORITHMS:
            one, two = StoreRateLimiter(past, name), StoreRateLimiter(future, name)
            assert [(await one.hit(name, 4, HOUR)).remaining for _ in range(2)] == [3, 2]
            assert [(await two.hit(name, 4, HOUR)).remaining for _ in range(3)] == [1, 0, 0]
    finally:
        await past.aclose()
        await future.aclose()


@pytest.mark.parametrize("name", list(ALGORITHMS))
async def test_keys_carry_the_prefix_and_a_ttl(store, redis_client, prefix, name):
    await StoreRateLimiter(store, name).hit("api:user:42", 5, HOUR)
    keys = [key async for key in redis_client.scan_iter(match=f"{prefix}*")]
    assert keys == [f"{prefix}api:user:42"]
    ttl = await redis_client.pttl(keys[0])
    assert 0 < ttl <= 2 * HOUR * 1000


async def test_the_previous_window_is_weighted_by_the_script(store, redis_client, prefix):
    # a previous window (of one day) holding 1000 hits: they weigh what is left of today
    seconds, micros = await redis_client.time()
    now = seconds + micros / 1e6
    index = int(now // 86400)
    await redis_client.hset(f"{prefix}k", mapping={"w": "86400", "i": index - 1, "c": 1000, "p": 0})
    peeked = await StoreRateLimiter(store, "sliding").peek("k", 1000, 86400)
    elapsed = now - index * 86400
    expected = int(1000 - 1000 * (86400 - elapsed) / 86400)
    assert peeked.remaining in (expected, expected + 1)  # a few milliseconds may pass
    assert peeked.reset_after == pytest.approx(86400 - elapsed, abs=2)


async def test_a_gcra_state_ahead_of_now_leaves_the_matching_tokens(store, redis_client, prefix):
    seconds, micros = await redis_client.time()
    await redis_client.hset(f"{prefix}k", "t", repr(seconds + micros / 1e6 + 30))
    peeked = await StoreRateLimiter(store, "gcra").peek("k", 10, 60)
    assert peeked.remaining == 5  # 30 of 60 seconds still owed: 5 of 10 tokens left


async def test_counts_come_back_after_a_short_window(store):
    limiter = StoreRateLimiter(store, "gcra")
    assert [(await limiter.hit("k", 2, 0.2)).allowed for _ in range(3)] == [True, True, False]
    await asyncio.sleep(0.5)
    assert (await limiter.hit("k", 2, 0.2)).allowed


async def test_noscript_after_a_script_flush_reloads_and_keeps_counting(store, redis_client):
    limiter = StoreRateLimiter(store, "sliding")
    assert (await limiter.hit("k", 5, HOUR)).remaining == 4
    loaded = store.scripts_loaded
    await redis_client.script_flush()
    assert (await limiter.hit("k", 5, HOUR)).remaining == 3
    assert store.scripts_loaded == loaded + 1
    assert (await limiter.hit("k", 5, HOUR)).remaining == 2  # loaded once, not per call
    assert store.scripts_loaded == loaded + 1


async def test_a_closed_port_fails_with_the_store_named(closed_port):
    store = RedisStore(f"redis://:hunter2@127.0.0.1:{closed_port}/0", cooldown=0)
    with pytest.raises(RateLimitStoreError) as caught:
        await StoreRateLimiter(store, "sliding").hit("k", 5, HOUR)
    assert f"redis redis://:***@127.0.0.1:{closed_port}/0" in caught.value.message
    assert "hunter2" not in caught.value.message
    assert caught.value.status == 503


async def test_a_server_that_never_answers_is_given_up_on_after_the_timeout(silent_port):
    store = RedisStore(f"redis://127.0.0.1:{silent_port}/0", timeout=0.1, cooldown=0)
    with pytest.raises(RateLimitStoreError, match=r"no answer within 0\.1s"):
        await StoreRateLimiter(store, "gcra").hit("k", 5, HOUR)
    with pytest.raises(RateLimitStoreError, match=r"no answer within 0\.1s"):
        await store.delete("k")


async def test_after_a_failure_the_store_skips_redis_for_the_cooldown(closed_port):
    clock = FrozenClock()
    store = RedisStore(f"redis://127.0.0.1:{closed_port}/0", cooldown=1.0, clock=clock)
    limiter = StoreRateLimiter(store, "sliding")
    with pytest.raises(RateLimitStoreError, match="failed"):
        await limiter.hit("k", 5, HOUR)
    with pytest.raises(RateLimitStoreError, match="skipped"):
        await limiter.hit("k", 5, HOUR)
    clock.advance(1.0)
    with pytest.raises(RateLimitStoreError, match="failed"):
        await limiter.hit("k", 5, HOUR)


async def test_the_client_reconnects_when_redis_comes_back(relay, prefix):
    store = RedisStore(f"redis://127.0.0.1:{relay.port}/0", prefix=prefix, cooldown=0)
    limiter = StoreRateLimiter(store, "sliding")
    try:
        assert (await limiter.hit("k", 5, HOUR)).remaining == 4
        await relay.stop()
        with pytest.raises(RateLimitStoreError):
            await limiter.hit("k", 5, HOUR)
        await relay.start()
        assert (await limiter.hit("k", 5, HOUR)).remaining == 3
    finally:
        await store.aclose()


async def test_a_redis_restart_costs_no_failed_call(redis_server):
    # A long cool-down: one failed call would also refuse the calls after it.
    store = RedisStore(redis_server.url, cooldown=60.0)
    limiter = StoreRateLimiter(store, "sliding")
    try:
        # concurrent hits leave several connections in the pool, each one dead after
        # the restart below
        before = await asyncio.gather(*(limiter.hit("k", 100, HOUR) for _ in range(5)))
        assert sorted(r.remaining for r in before) == [95, 96, 97, 98, 99]
        redis_server.restart()  # the same port, empty, every old connection closed
        after = await asyncio.gather(*(limiter.hit("k", 100, HOUR) for _ in range(5)))
        assert sorted(r.remaining for r in after) == [95, 96, 97, 98, 99]  # counted anew
        assert (await limiter.hit("k", 100, HOUR)).remaining == 94
    finally:
        await store.aclose()


async def test_a_redis_that_stays_down_fails_then_cools_down_then_recovers(redis_server):
    clock = FrozenClock()
    store = RedisStore(redis_server.url, cooldown=1.0, clock=clock)
    limiter = StoreRateLimiter(store, "gcra")
    try:
        assert (await limiter.hit("k", 5, HOUR)).remaining == 4
        redis_server.stop()
        with pytest.raises(RateLimitStoreError, match="failed") as caught:
            await limiter.hit("k", 5, HOUR)  # the retry on a fresh connection is refused too
        assert f"127.0.0.1:{redis_server.port}" in caught.value.message
        with pytest.raises(RateLimitStoreError, match="skipped"):
            await limiter.hit("k", 5, HOUR)  # the cool-down: Redis is not tried
        redis_server.start()
        with pytest.raises(RateLimitStoreError, match="skipped"):
            await limiter.hit("k", 5, HOUR)  # still cooling down
        clock.advance(1.0)
        assert (await limiter.hit("k", 5, HOUR)).remaining == 4  # reconnected, counted anew
    finally:
        await store.aclose()


def test_a_missing_redis_extra_names_the_install(monkeypatch):
    import sys

    from foundry.domain.errors import MissingDependencyError

    for name in [m for m in sys.modules if m == "redis" or m.startswith("redis.")]:
        monkeypatch.setitem(sys.modules, name, None)  # as if redis-py were not installed
    monkeypatch.setitem(sys.modules, "redis", None)
    with pytest.raises(MissingDependencyError) as caught:
        RedisStore("redis://127.0.0.1:6379/0")
    assert "pip install 'foundry-ratelimit[redis]'" in caught.value.message


def test_a_url_that_is_not_redis_is_refused_with_the_password_masked():
    from foundry.domain.errors import ConfigurationError

    with pytest.raises(ConfigurationError) as caught:
        RedisStore("http://:hunter2@cache:6379/0")
    assert "REDIS_URL=http://:***@cache:6379/0 is not a Redis URL" in caught.value.message
    assert "hunter2" not in caught.value.message
