"""Named stores from configuration, and the errors that say what to fix."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from foundry.cache import FailoverStore, FileStore, MemoryStore, NullStore, RedisStore
from foundry.cache.manager import CacheManager
from foundry.domain.config import MappingConfig
from foundry.domain.errors import ConfigurationError


def manager(tmp_path: Path | None = None, **cache: Any) -> CacheManager:
    return CacheManager(MappingConfig({"cache": cache}), base_path=tmp_path or ".")


def test_memory_is_the_default_store() -> None:
    built = manager()
    assert built.default_name == "memory"
    assert isinstance(built.store().store, MemoryStore)
    assert built.store() is built.store("memory")


def test_the_driver_setting_picks_the_default_store() -> None:
    assert isinstance(manager(driver="null").store().store, NullStore)


def test_named_stores_take_their_own_options(tmp_path: Path) -> None:
    built = manager(
        tmp_path,
        prefix="app_",
        stores={
            "sessions": {"driver": "redis", "url": "redis://10.0.0.5:6380/2", "prefix": "s_"},
            "small": {"driver": "memory", "capacity": 2},
            "disk": {"driver": "file", "path": "var/cache"},
        },
    )
    sessions = built.raw("sessions")
    assert isinstance(sessions, RedisStore)
    assert (sessions.prefix, sessions.address) == ("s_", "redis://10.0.0.5:6380/2")
    small = built.raw("small")
    assert isinstance(small, MemoryStore)
    assert (small.capacity, small.prefix) == (2, "app_")
    disk = built.raw("disk")
    assert isinstance(disk, FileStore)
    assert disk.root == tmp_path / "var" / "cache"
    assert built.names()[:3] == ["sessions", "small", "disk"]


def test_the_file_store_defaults_to_storage_framework_cache_data(tmp_path: Path) -> None:
    store = manager(tmp_path).raw("file")
    assert isinstance(store, FileStore)
    assert store.root == tmp_path / "storage" / "framework" / "cache" / "data"


def test_a_failover_store_shares_its_members_with_the_named_stores() -> None:
    built = manager(stores={"failover": {"stores": ["redis", "memory"]}})
    failover = built.raw("failover")
    assert isinstance(failover, FailoverStore)
    assert failover.stores == (built.raw("redis"), built.raw("memory"))


def test_an_unknown_store_lists_the_ones_there_are() -> None:
    with pytest.raises(ConfigurationError, match=r'"sessions" is not configured.*memory'):
        manager().store("sessions")


def test_an_unknown_driver_is_named() -> None:
    with pytest.raises(ConfigurationError, match=r'cache\.stores\.x\.driver is "memcached"'):
        manager(stores={"x": {"driver": "memcached"}}).store("x")


@pytest.mark.parametrize("members", [None, [], "redis", [""]])
def test_a_failover_store_needs_a_list_of_stores(members: object) -> None:
    with pytest.raises(ConfigurationError, match="must list the stores"):
        manager(stores={"failover": {"stores": members}}).store("failover")


def test_stores_that_refer_to_each_other_in_a_loop_are_refused() -> None:
    stores = {
        "a": {"driver": "failover", "stores": ["b"]},
        "b": {"driver": "failover", "stores": ["a"]},
    }
    with pytest.raises(ConfigurationError, match="a -> b -> a"):
        manager(stores=stores).store("a")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"driver": "memory", "capacity": 0}, r"capacity is 0"),
        ({"driver": "memory", "capacity": "lots"}, r"capacity is 'lots'"),
        ({"driver": "redis", "timeout": -1}, r"timeout is -1"),
        ({"driver": "redis", "url": "http://nope"}, r"not a Redis URL"),
        ("memory", r"must be a table"),
    ],
)
def test_bad_options_name_the_setting(options: object, message: str) -> None:
    with pytest.raises(ConfigurationError, match=message):
        manager(stores={"x": options}).store("x")


def test_a_database_store_without_a_database_says_what_to_install() -> None:
    with pytest.raises(ConfigurationError, match="Install foundry-infra"):
        manager().store("database")
