"""The failover store: the next store when one is down, the first again after a cool-down."""

from __future__ import annotations

import pytest
from cache_support import StoreFactory

from foundry.cache import FailoverStore, NotAnIntegerError, StoreUnavailableError
from foundry.cache.manager import CacheManager
from foundry.domain.clock import FrozenClock
from foundry.domain.config import MappingConfig
from foundry.testing.redis import TcpRelay


def manager(redis: str, clock: FrozenClock, prefix: str, **extra: object) -> CacheManager:
    config = {
        "cache": {
            "prefix": prefix,
            "driver": "failover",
            "stores": {"failover": {"stores": ["redis", "memory"], "cooldown": 5}, **extra},
        },
        "redis": {"url": redis},
    }
    return CacheManager(MappingConfig(config), clock=clock)


async def test_a_closed_redis_port_fails_over_to_the_next_store(
    closed_port: int, clock: FrozenClock, prefix: str
) -> None:
    cache = manager(f"redis://127.0.0.1:{closed_port}/0", clock, prefix).store()
    failover = cache.store
    assert isinstance(failover, FailoverStore)
    await cache.set("key", "value")
    assert await cache.get("key") == "value"
    assert await cache.increment("hits") == 1
    assert failover.active.name == "memory"


async def test_the_first_store_is_tried_again_after_the_cooldown(
    relay: TcpRelay, clock: FrozenClock, prefix: str
) -> None:
    built = manager(f"redis://127.0.0.1:{relay.port}/0", clock, prefix)
    cache, failover = built.store(), built.raw("failover")
    assert isinstance(failover, FailoverStore)
    try:
        await cache.set("key", "from redis")
        await relay.stop()
        await cache.set("key", "during the outage")
        assert failover.active.name == "memory"
        await relay.start()
        clock.advance(4.9)
        assert await cache.get("key") == "during the outage"  # still cooling down
        clock.advance(0.1)
        assert failover.active.name == "redis"
        assert await cache.get("key") == "from redis"
    finally:
        await built.raw("redis").flush()
        await built.close()


async def test_when_every_store_is_down_the_error_names_them_all(
    closed_port: int, clock: FrozenClock, prefix: str
) -> None:
    config = {
        "cache": {
            "stores": {
                "failover": {"stores": ["redis", "broken"]},
                "broken": {"driver": "redis", "url": f"redis://127.0.0.1:{closed_port}/1"},
            }
        },
        "redis": {"url": f"redis://127.0.0.1:{closed_port}/0"},
    }
    cache = CacheManager(MappingConfig(config), clock=clock).store("failover")
    with pytest.raises(StoreUnavailableError, match=r"every store failed \(redis: .*broken: "):
        await cache.get("key")


async def test_errors_about_the_value_do_not_fail_over(
    redis_url: str, clock: FrozenClock, prefix: str
) -> None:
    built = manager(redis_url, clock, prefix)
    cache, failover = built.store(), built.raw("failover")
    assert isinstance(failover, FailoverStore)
    try:
        await cache.set("name", "ada")
        with pytest.raises(NotAnIntegerError):
            await cache.increment("name")
        assert failover.active.name == "redis"
    finally:
        await cache.flush()
        await built.close()


async def test_redis_then_database_as_configured_in_the_brief(
    db_stores: StoreFactory, closed_port: int
) -> None:
    built = db_stores.manager(
        driver="failover", stores={"failover": {"stores": ["redis", "database"]}}
    )
    built._config.set("redis.url", f"redis://127.0.0.1:{closed_port}/0")
    cache = built.store()
    await cache.set("key", "kept in the database")
    assert await built.store("database").get("key") == "kept in the database"
