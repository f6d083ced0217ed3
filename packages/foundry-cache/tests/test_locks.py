"""Atomic locks: owners, blocking, forced release, restored owners."""

from __future__ import annotations

import asyncio

import pytest
from cache_support import StoreFactory

from foundry.cache import LockTimeoutError
from foundry.cache.repository import Repository


async def test_only_one_owner_holds_a_lock(cache: Repository) -> None:
    first, second = cache.lock("job", 30), cache.lock("job", 30)
    assert first.owner != second.owner
    assert await first.acquire()
    assert not await second.acquire()
    assert await first.is_owned()


async def test_another_owner_cannot_release_a_lock(cache: Repository) -> None:
    holder = cache.lock("job", 30)
    assert await holder.acquire()
    assert not await cache.lock("job", 30).release()
    assert not await cache.lock("job", 30).acquire()  # still held
    assert await holder.release()
    assert await cache.lock("job", 30).acquire()


async def test_force_release_frees_whoever_holds_it(cache: Repository) -> None:
    holder = cache.lock("job", 30)
    await holder.acquire()
    await cache.lock("job", 30).force_release()
    assert await holder.current_owner() is None
    assert await cache.lock("job", 30).acquire()


async def test_an_owner_token_restores_a_lock_elsewhere(stores: StoreFactory) -> None:
    if stores.kind == "memory":
        pytest.skip("a memory lock is visible in one process only")
    here, there = stores.make(), stores.make()
    lock = here.lock("export", 60)
    assert await lock.acquire()
    restored = there.lock("export", 60, owner=lock.owner)
    assert await restored.is_owned()
    assert await restored.release()
    assert await here.lock("export", 60).acquire()


async def test_block_gives_up_after_the_timeout(cache: Repository) -> None:
    assert await cache.lock("job", 30).acquire()
    assert not await cache.lock("job", 30).block(0.05)


async def test_block_gets_the_lock_once_it_is_released(cache: Repository) -> None:
    holder = cache.lock("job", 30)
    assert await holder.acquire()

    async def release_soon() -> None:
        await asyncio.sleep(0.03)
        await holder.release()

    releasing = asyncio.create_task(release_soon())
    waiter = cache.lock("job", 30)
    assert await waiter.block(5)
    await releasing
    assert await waiter.is_owned()


async def test_async_with_holds_the_lock_for_the_block(cache: Repository) -> None:
    async with cache.lock("job", 30) as held:
        assert await held.is_owned()
        with pytest.raises(LockTimeoutError, match='"job" is held'):
            async with cache.lock("job", 30):
                pass
    assert await cache.lock("job", 30).acquire()


async def test_locks_across_instances_exclude_each_other(shared_stores: StoreFactory) -> None:
    first, second = shared_stores.make(), shared_stores.make()
    results = await asyncio.gather(
        *(cache.lock("deploy", 30).acquire() for cache in (first, second) for _ in range(10))
    )
    assert results.count(True) == 1
