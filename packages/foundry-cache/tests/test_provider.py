"""The provider: bindings, variables, the migration branch and shutdown."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from foundry.application import Application
from foundry.cache import CacheManager, FileStore, MemoryStore, RedisStore, Repository
from foundry.cache.provider import CacheServiceProvider
from foundry.domain.application import CommandRunner
from foundry.domain.cache import Cache
from foundry.domain.clock import Clock, FrozenClock
from foundry.domain.env import REDIS_URL as SHARED_REDIS_URL
from foundry.domain.provider import ServiceProvider

VARIABLES = (
    "CACHE_DRIVER",
    "CACHE_PREFIX",
    "CACHE_MEMORY_CAPACITY",
    "CACHE_FILE_PATH",
    "CACHE_REDIS_TIMEOUT",
    "REDIS_URL",
    "DATABASE_URL",
    "APP_ENV",
    "FOUNDRY_DONT_DISCOVER",
)


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
async def boot(tmp_path: Path) -> AsyncIterator[Callable[..., Application]]:
    apps: list[Application] = []

    def build(*providers: type[ServiceProvider], clock: Clock | None = None) -> Application:
        app = Application(
            tmp_path, providers=[CacheServiceProvider, *providers], discover=False
        ).register()
        if clock is not None:
            app.instance(Clock, clock)
        app.boot()
        apps.append(app)
        return app

    yield build
    for app in apps:
        await app.terminate()


def test_the_default_store_is_bound_as_the_cache_contract(boot: Callable[..., Application]) -> None:
    app = boot()
    cache = app.make(Cache)
    assert isinstance(cache, Repository)
    assert isinstance(cache.store, MemoryStore)
    assert app.make(Cache) is cache
    manager = app.make(CacheManager)
    assert app.make(CacheManager) is manager
    assert manager.store() is cache


def test_environment_variables_choose_the_store_and_prefix(
    boot: Callable[..., Application], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("CACHE_DRIVER", "file")
    monkeypatch.setenv("CACHE_PREFIX", "shop_")
    store = boot().make(Cache).store  # type: ignore[attr-defined]
    assert isinstance(store, FileStore)
    assert store.prefix == "shop_"
    assert store.root == tmp_path / "storage" / "framework" / "cache" / "data"


def test_the_provider_declares_its_variables_and_shares_redis_url() -> None:
    declared = {var.name: var for var in CacheServiceProvider.env}
    assert set(declared) == {
        "CACHE_DRIVER",
        "CACHE_PREFIX",
        "CACHE_MEMORY_CAPACITY",
        "CACHE_FILE_PATH",
        "CACHE_REDIS_TIMEOUT",
        "REDIS_URL",
    }
    assert declared["REDIS_URL"] is SHARED_REDIS_URL
    assert declared["CACHE_DRIVER"].default == "memory"
    assert declared["CACHE_REDIS_TIMEOUT"].default == 0.5


def test_the_migration_branch_is_listed(boot: Callable[..., Application]) -> None:
    (location,) = boot().migration_locations
    assert location.branch == "cache"
    assert [p.name for p in location.path.glob("*.py")] == [
        "2026_11_26_000000_create_cache_entries_table.py"
    ]


async def test_a_bound_clock_decides_expiry(boot: Callable[..., Application]) -> None:
    clock = FrozenClock()
    cache = boot(clock=clock).make(Cache)
    await cache.set("key", "value", 10)
    clock.advance(10)
    assert await cache.get("key") is None


async def test_redis_pools_are_closed_when_the_app_terminates(
    boot: Callable[..., Application],
    monkeypatch: pytest.MonkeyPatch,
    redis_url: str,
    redis_prefix: str,
) -> None:
    monkeypatch.setenv("CACHE_DRIVER", "redis")
    monkeypatch.setenv("REDIS_URL", redis_url)
    monkeypatch.setenv("CACHE_PREFIX", redis_prefix)
    app = boot()
    cache = app.make(Cache)
    await cache.set("key", 1)
    store = cache.store  # type: ignore[attr-defined]
    assert isinstance(store, RedisStore)
    assert store._clients  # a pool is open for this event loop
    await cache.flush()
    await app.terminate()
    assert not store._clients


async def test_foundry_migrate_creates_the_table_on_sqlite(
    boot: Callable[..., Application], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from foundry.infra.provider import InfraServiceProvider

    monkeypatch.setenv("DATABASE_URL", "sqlite:///storage/database.sqlite")
    monkeypatch.setenv("CACHE_DRIVER", "database")
    app = boot(InfraServiceProvider)
    runner = app.make(CommandRunner)
    migrated = await runner.run("migrate", format="json")
    assert migrated.exit_code == 0, migrated.error
    assert (tmp_path / "storage" / "database.sqlite").is_file()
    cache = app.make(Cache)
    await cache.set("key", {"stored": True}, 60)
    assert await cache.get("key") == {"stored": True}
    status = await runner.run("migrate:status", format="json")
    assert status.exit_code == 0
    assert "bb22a5511126" in repr(status.result.data)
    rolled_back = await runner.run("migrate:rollback", format="json")
    assert rolled_back.exit_code == 0, rolled_back.error
