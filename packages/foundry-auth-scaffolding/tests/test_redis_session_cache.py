"""ASVS V3.3 (session termination) with the redis driver's in-process cache: a session
ended or changed by another app instance is never served from this one's memory once
Redis has announced the change, and the cache steps aside whenever it cannot be told."""

from __future__ import annotations

import asyncio
import logging
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from foundry.auth_scaffolding.sessions.redis import RedisSessionStore
from foundry.auth_scaffolding.sessions.tracking import CLIENT_NAME, TrackedCache
from foundry.domain.session import SessionRecord


def record(session_id: str, **data: object) -> SessionRecord:
    now = datetime.now(UTC)
    return SessionRecord(
        id=session_id,
        user_id=None,
        expires_at=now + timedelta(hours=1),
        last_activity=now,
        data=dict(data),
    )


async def eventually(check, seconds: float = 3.0) -> None:
    deadline = asyncio.get_running_loop().time() + seconds
    while not await check():
        if asyncio.get_running_loop().time() > deadline:
            pytest.fail(f"not within {seconds}s: {check.__doc__}")
        await asyncio.sleep(0.01)


@pytest.fixture
async def stores(redis_url):
    """Two stores on one Redis and prefix: two app instances."""
    prefix = f"foundry:test:{uuid.uuid4().hex[:8]}:session:"
    here = RedisSessionStore(redis_url, prefix=prefix)
    there = RedisSessionStore(redis_url, prefix=prefix, client_cache=False)
    yield here, there
    keys = [key async for key in here.client.scan_iter(f"{prefix}*")]
    if keys:
        await here.client.delete(*keys)
    await here.aclose()
    await there.aclose()


async def cached_read(store: RedisSessionStore, session_id: str) -> SessionRecord | None:
    """Read until the listener is live, then once more: that read comes from memory."""
    assert store.cache is not None

    async def live() -> bool:
        """the invalidation listener subscribes"""
        await store.read(session_id)
        return store.cache.live

    await eventually(live)
    await store.read(session_id)  # cached now
    hits = store.cache.hits
    found = await store.read(session_id)
    assert store.cache.hits == hits + 1
    return found


async def test_reads_are_served_from_memory_once_redis_tracks_the_prefix(stores):
    here, there = stores
    await there.write(record("s1", cart="one"))
    found = await cached_read(here, "s1")
    assert found is not None
    assert found.data == {"cart": "one"}


async def test_a_session_ended_on_another_instance_is_gone_here(stores):
    here, there = stores
    await there.write(record("s1", who="alice"))
    assert await cached_read(here, "s1") is not None
    await there.destroy("s1")

    async def gone() -> bool:
        """the destroyed session stops being read"""
        return await here.read("s1") is None

    await eventually(gone, seconds=1.0)
    assert await here.read("s1") is None


async def test_a_session_changed_on_another_instance_is_read_again(stores):
    here, there = stores
    await there.write(record("s1", step=1))
    await cached_read(here, "s1")
    await there.write(record("s1", step=2))

    async def changed() -> bool:
        """the new data is read"""
        found = await here.read("s1")
        return found is not None and found.data == {"step": 2}

    await eventually(changed, seconds=1.0)


async def test_this_instances_own_changes_show_at_once(stores):
    here, _ = stores
    await here.write(record("s1", step=1))
    await cached_read(here, "s1")
    await here.write(record("s1", step=2))
    found = await here.read("s1")
    assert found is not None
    assert found.data == {"step": 2}
    await here.destroy("s1")
    assert await here.read("s1") is None


async def test_changing_a_read_record_in_place_does_not_change_the_cache(stores):
    here, there = stores
    await there.write(record("s1", cart=["anvil"]))
    first = await cached_read(here, "s1")
    assert first is not None
    first.data["cart"].append("rope")
    again = await here.read("s1")
    assert again is not None
    assert again.data == {"cart": ["anvil"]}


async def test_a_lost_listener_stops_the_cache_until_it_is_back(stores, redis_url):
    here, there = stores
    await there.write(record("s1", step=1))
    await cached_read(here, "s1")
    clients = await there.client.client_list()
    ours = [c["id"] for c in clients if c.get("name") == CLIENT_NAME]
    assert ours, "the listener names itself in CLIENT LIST"
    for client_id in ours:
        await there.client.client_kill_filter(_id=client_id)

    async def stopped() -> bool:
        """the cache notices its connection is gone"""
        return not here.cache.live

    await eventually(stopped, seconds=2.0)
    # While it is off, a change made elsewhere is read straight away.
    await there.write(record("s1", step=2))
    found = await here.read("s1")
    assert found is not None
    assert found.data == {"step": 2}
    # It reconnects by itself, and caches again.
    assert (await cached_read(here, "s1")).data == {"step": 2}


async def test_a_read_that_overlapped_an_invalidation_is_not_kept():
    cache = TrackedCache("redis://unused", "p:")
    cache._live = True  # as if subscribed
    generation = cache.generation()
    cache._invalidate(["p:k"])  # a change announced while the GET was in flight
    cache.put("p:k", "old", generation)
    assert cache.get("p:k") is None
    cache.put("p:k", "new", cache.generation())
    assert cache.get("p:k") == "new"
    cache._invalidate(None)  # FLUSHDB
    assert cache.get("p:k") is None


async def test_a_server_that_refuses_tracking_leaves_the_cache_off(redis_url, caplog):
    import redis.asyncio as aioredis

    admin = aioredis.Redis.from_url(redis_url)
    user = f"foundry_test_{uuid.uuid4().hex[:8]}"
    await admin.execute_command(
        "ACL", "SETUSER", user, "on", "nopass", "~*", "&*", "+@all", "-client"
    )
    scheme, rest = redis_url.split("://", 1)
    store = RedisSessionStore(f"{scheme}://{user}@{rest.rpartition('@')[2]}", prefix="p:")
    try:
        with caplog.at_level(logging.WARNING, logger="foundry.auth"):
            await store.read("nothing")

            async def refused() -> bool:
                """the refusal is noticed"""
                return store.cache._refused

            await eventually(refused)
        assert "refused CLIENT TRACKING" in caplog.text
        assert not store.cache.live
        await admin.set("p:s1", "x")  # reads still go to Redis
        assert await store.client.get("p:s1") == "x"
    finally:
        await store.aclose()
        await admin.delete("p:s1")
        await admin.execute_command("ACL", "DELUSER", user)
        await admin.aclose()


def test_the_cache_can_be_turned_off(redis_url):
    assert RedisSessionStore(redis_url, client_cache=False).cache is None
