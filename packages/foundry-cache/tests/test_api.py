"""Every operation of the ``Cache`` contract, on every store."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from cache_support import StoreFactory

from foundry.cache import InvalidKeyError, NotAnIntegerError, Repository
from foundry.domain.cache import Cache, Lock

VALUES = [
    None,
    True,
    0,
    -17,
    2**70,
    3.25,
    "text ✓",
    b"\x00\xffbytes",
    [1, [2, "three"]],
    {"a": {"b": (1, 2)}, 3: {4, 5}},
    (1, "two", None),
    frozenset({"x"}),
    datetime(2026, 3, 4, 5, 6, 7, 890, tzinfo=UTC),
    date(2026, 3, 4),
    timedelta(days=1, seconds=2, microseconds=3),
    Decimal("12.3400"),
    uuid.UUID("12345678-1234-5678-1234-567812345678"),
]


def test_every_store_implements_the_contract(cache: Repository) -> None:
    assert isinstance(cache, Cache)
    assert isinstance(cache.tags("t"), Cache)
    assert isinstance(cache.lock("l", 5), Lock)


@pytest.mark.parametrize("value", VALUES, ids=lambda v: type(v).__name__)
async def test_set_then_get_returns_an_equal_value(cache: Repository, value: object) -> None:
    await cache.set("key", value)
    found = await cache.get("key", "default")
    assert found == value
    assert type(found) is type(value)


async def test_get_of_a_missing_key_returns_the_default(cache: Repository) -> None:
    assert await cache.get("missing") is None
    assert await cache.get("missing", 42) == 42


async def test_set_replaces_the_value(cache: Repository) -> None:
    await cache.set("key", "one")
    await cache.set("key", "two", 60)
    assert await cache.get("key") == "two"


async def test_a_stored_none_is_a_value(cache: Repository) -> None:
    await cache.set("key", None)
    assert await cache.has("key")
    assert await cache.get("key", "default") is None


async def test_add_stores_only_when_absent(cache: Repository) -> None:
    assert await cache.add("key", "first", 60)
    assert not await cache.add("key", "second", 60)
    assert await cache.get("key") == "first"


async def test_forget_removes_and_reports(cache: Repository) -> None:
    await cache.set("key", "value")
    assert await cache.forget("key")
    assert not await cache.forget("key")
    assert not await cache.has("key")


async def test_has_tells_present_from_missing(cache: Repository) -> None:
    assert not await cache.has("key")
    await cache.set("key", 0)
    assert await cache.has("key")


async def test_pull_returns_and_removes(cache: Repository) -> None:
    await cache.set("key", {"v": 1})
    assert await cache.pull("key") == {"v": 1}
    assert await cache.pull("key", "gone") == "gone"
    assert not await cache.has("key")


async def test_increment_and_decrement_count_from_zero(cache: Repository) -> None:
    assert await cache.increment("hits") == 1
    assert await cache.increment("hits", 10) == 11
    assert await cache.decrement("hits", 3) == 8
    assert await cache.decrement("other") == -1
    assert await cache.get("hits") == 8


async def test_increment_continues_from_a_stored_int(cache: Repository) -> None:
    await cache.set("hits", 41, 60)
    assert await cache.increment("hits") == 42


async def test_increment_of_a_non_integer_is_refused_and_keeps_the_value(
    cache: Repository,
) -> None:
    await cache.set("name", "ada")
    with pytest.raises(NotAnIntegerError, match=r'"name".*str'):
        await cache.increment("name")
    assert await cache.get("name") == "ada"


async def test_increment_takes_an_int_amount(cache: Repository) -> None:
    with pytest.raises(TypeError):
        await cache.increment("hits", 1.5)  # type: ignore[arg-type]


async def test_get_many_returns_the_keys_that_hold_values(cache: Repository) -> None:
    await cache.set("a", 1)
    await cache.set("b", [2])
    assert await cache.get_many(["a", "b", "missing"]) == {"a": 1, "b": [2]}
    assert await cache.get_many([]) == {}


async def test_set_many_stores_every_pair(cache: Repository) -> None:
    await cache.set_many({"a": 1, "b": "two", "c": (3,)}, 60)
    assert await cache.get_many(["a", "b", "c"]) == {"a": 1, "b": "two", "c": (3,)}
    await cache.set_many({"a": 10})
    assert await cache.get("a") == 10


async def test_a_zero_or_negative_ttl_removes_the_key(cache: Repository) -> None:
    await cache.set("key", "value")
    await cache.set("key", "new", 0)
    assert not await cache.has("key")
    assert not await cache.add("other", "value", -1)
    await cache.set("many", 1)
    await cache.set_many({"many": 2}, timedelta(seconds=-5))
    assert not await cache.has("many")


async def test_forever_keeps_a_value_without_expiry(cache: Repository) -> None:
    await cache.forever("key", "kept")
    assert await cache.get("key") == "kept"


async def test_flush_empties_the_store(cache: Repository) -> None:
    await cache.set_many({"a": 1, "b": 2})
    await cache.flush()
    assert await cache.get_many(["a", "b"]) == {}


async def test_flush_leaves_other_prefixes_alone(stores: StoreFactory) -> None:
    if stores.kind == "memory":
        pytest.skip("each memory store is its own process-local table")
    mine = stores.make()
    other = stores.make(prefix="other_" + stores.prefix)
    await mine.set("key", "mine")
    await other.set("key", "other")
    await mine.flush()
    assert await mine.get("key") is None
    assert await other.get("key") == "other"


async def test_prefixes_keep_stores_apart(stores: StoreFactory) -> None:
    manager = stores.manager(stores={"second": {"driver": stores.driver, "prefix": "second:"}})
    first, second = manager.store(stores.driver), manager.store("second")
    await first.set("key", 1)
    assert await second.get("key") is None


@pytest.mark.parametrize("key", ["", None, 5, b"bytes"])
async def test_keys_must_be_non_empty_strings(cache: Repository, key: object) -> None:
    with pytest.raises(InvalidKeyError):
        await cache.get(key)  # type: ignore[arg-type]
    with pytest.raises(InvalidKeyError):
        await cache.set(key, 1)  # type: ignore[arg-type]


async def test_keys_are_case_sensitive_and_keep_spaces(cache: Repository) -> None:
    await cache.set_many({"Key": 1, "key": 2, "key ": 3})
    assert await cache.get_many(["Key", "key", "key "]) == {"Key": 1, "key": 2, "key ": 3}


async def test_long_and_unicode_keys_work(cache: Repository) -> None:
    long_key = "ü" * 300
    await cache.set(long_key, "long")
    await cache.set(long_key[:-1], "shorter")
    assert await cache.get(long_key) == "long"
    assert await cache.get(long_key[:-1]) == "shorter"


async def test_a_ttl_must_be_seconds_a_timedelta_or_none(cache: Repository) -> None:
    with pytest.raises(TypeError, match="TTL"):
        await cache.set("key", 1, "60")  # type: ignore[arg-type]
