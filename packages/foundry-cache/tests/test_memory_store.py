"""The memory store: bounded, per-item TTLs, objects kept as they are."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from foundry.cache import MemoryStore, Repository
from foundry.domain.clock import FrozenClock


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock()


def memory(capacity: int = 100, clock: FrozenClock | None = None) -> Repository:
    return Repository(MemoryStore(prefix="app_", capacity=capacity, clock=clock))


async def test_the_least_recently_used_entry_leaves_when_full() -> None:
    cache = memory(capacity=3)
    await cache.set_many({"a": 1, "b": 2, "c": 3})
    assert await cache.get("a") == 1  # "a" is now the most recently used
    await cache.set("d", 4)
    assert await cache.get_many(["a", "b", "c", "d"]) == {"a": 1, "c": 3, "d": 4}
    assert len(cache.store) == 3  # type: ignore[arg-type]


async def test_objects_are_kept_unserialised() -> None:
    @dataclass
    class Unregistered:
        items: list[int]

    cache = memory()
    value = Unregistered([1])
    await cache.set("obj", value)
    assert await cache.get("obj") is value
    sentinel = object()
    await cache.set("plain", sentinel)
    assert await cache.get("plain") is sentinel


async def test_locks_are_never_evicted_by_capacity() -> None:
    cache = memory(capacity=1)
    assert await cache.lock("job", 60).acquire()
    await cache.set_many({"a": 1, "b": 2})
    assert not await cache.lock("job", 60).acquire()


async def test_prune_drops_expired_entries_and_counts_them(clock: FrozenClock) -> None:
    cache = memory(clock=clock)
    await cache.set_many({"a": 1, "b": 2}, 5)
    await cache.set("c", 3)
    clock.advance(5)
    assert await cache.store.prune() == 2  # type: ignore[attr-defined]
    assert len(cache.store) == 1  # type: ignore[arg-type]


def test_capacity_must_be_positive() -> None:
    with pytest.raises(ValueError, match="capacity"):
        MemoryStore(capacity=0)


async def test_flush_without_a_prefix_empties_everything() -> None:
    cache = Repository(MemoryStore())
    await cache.set("a", 1)
    assert await cache.lock("l", 10).acquire()
    await cache.flush()
    assert await cache.get("a") is None
    assert await cache.lock("l", 10).acquire()
