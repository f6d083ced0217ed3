"""Tagged caches: flushing tags invalidates their entries without scanning."""

from __future__ import annotations

import pytest
from cache_support import StoreFactory

from foundry.cache import InvalidKeyError
from foundry.cache.repository import Repository


async def test_tags_flush_invalidates_the_tagged_entries_only(cache: Repository) -> None:
    await cache.tags("people").set("ada", "Ada")
    await cache.tags("posts").set("first", "Hello")
    await cache.set("plain", "kept")
    await cache.tags("people").flush()
    assert await cache.tags("people").get("ada") is None
    assert await cache.tags("posts").get("first") == "Hello"
    assert await cache.get("plain") == "kept"


async def test_flushing_one_tag_invalidates_entries_with_several_tags(cache: Repository) -> None:
    both = cache.tags("people", "artists")
    await both.set("ada", "Ada")
    assert await both.get("ada") == "Ada"
    await cache.tags("artists").flush()
    assert await both.get("ada") is None


async def test_tagged_entries_are_not_the_untagged_keys(cache: Repository) -> None:
    await cache.tags("people").set("ada", "tagged")
    assert await cache.get("ada") is None
    assert not await cache.tags("other").has("ada")


async def test_every_operation_works_through_tags(cache: Repository) -> None:
    tagged = cache.tags("t")
    assert await tagged.add("a", 1, 60)
    assert not await tagged.add("a", 2, 60)
    assert await tagged.increment("a", 4) == 5
    assert await tagged.decrement("a") == 4
    await tagged.set_many({"b": "two", "c": (3,)}, 60)
    assert await tagged.get_many(["a", "b", "c", "d"]) == {"a": 4, "b": "two", "c": (3,)}
    assert await tagged.pull("b") == "two"
    assert await tagged.forget("c")
    assert not await tagged.has("c")
    assert await tagged.remember("r", 60, lambda: "computed") == "computed"
    assert await tagged.get("r") == "computed"


async def test_tags_of_a_tagged_cache_add_up(cache: Repository) -> None:
    await cache.tags("a").tags("b").set("key", 1)
    assert await cache.tags("a", "b").get("key") == 1
    await cache.tags("b").flush()
    assert await cache.tags("a", "b").get("key") is None


async def test_tag_ids_agree_across_instances(shared_stores: StoreFactory) -> None:
    first, second = shared_stores.make(), shared_stores.make()
    await first.tags("people").set("ada", "Ada")
    assert await second.tags("people").get("ada") == "Ada"
    await second.tags("people").flush()
    assert await first.tags("people").get("ada") is None


async def test_a_tagged_lock_is_the_plain_lock(cache: Repository) -> None:
    assert await cache.tags("t").lock("job", 30).acquire()
    assert not await cache.lock("job", 30).acquire()


def test_tags_need_names(cache: Repository) -> None:
    with pytest.raises(InvalidKeyError):
        cache.tags()
    with pytest.raises(InvalidKeyError):
        cache.tags("ok", "")
