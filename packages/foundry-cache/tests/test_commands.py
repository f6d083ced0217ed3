"""cache:clear, cache:forget, cache:prune and cache:table through the command runner."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest

from foundry.application import Application
from foundry.cache import CacheManager
from foundry.cache.provider import CacheServiceProvider
from foundry.domain.application import CommandOutcome, CommandRunner
from foundry.domain.clock import Clock, FrozenClock
from foundry.domain.outputs import PlainOutput


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("CACHE_DRIVER", "CACHE_PREFIX", "REDIS_URL", "DATABASE_URL", "APP_ENV"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CACHE_PREFIX", "foundry_test_commands:")


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock()


@pytest.fixture
async def app(tmp_path: Path, clock: FrozenClock) -> AsyncIterator[Application]:
    application = Application(tmp_path, providers=[CacheServiceProvider], discover=False)
    application.register()
    application.instance(Clock, clock)
    application.boot()
    yield application
    await application.terminate()


@pytest.fixture
def run(app: Application) -> Callable[..., Any]:
    async def run(name: str, *argv: str, **options: Any) -> tuple[CommandOutcome, str]:
        out = io.StringIO()
        outcome = await app.make(CommandRunner).run(
            name, list(argv), output=PlainOutput(stdout=out, stderr=io.StringIO()), **options
        )
        return outcome, out.getvalue()

    return run


async def test_cache_clear_flushes_the_default_store(app: Application, run: Any) -> None:
    cache = app.make(CacheManager).store()
    await cache.set("key", 1)
    outcome, _ = await run("cache:clear", format="json")
    assert outcome.exit_code == 0
    assert outcome.result.data == {"store": "memory", "tags": [], "dry_run": False}
    assert await cache.get("key") is None


async def test_cache_clear_takes_a_store_and_tags(app: Application, run: Any) -> None:
    manager = app.make(CacheManager)
    memory, other = manager.store(), manager.store("file")
    await other.tags("people").set("ada", 1)
    await other.tags("posts").set("first", 2)
    await memory.set("untouched", 3)
    outcome, _ = await run("cache:clear", "--store", "file", "--tags", "people,artists")
    assert outcome.exit_code == 0
    assert outcome.result.message == (
        'Flushed the entries tagged people, artists in the "file" cache store.'
    )
    assert await other.tags("people").get("ada") is None
    assert await other.tags("posts").get("first") == 2
    assert await memory.get("untouched") == 3


async def test_cache_clear_dry_run_changes_nothing(app: Application, run: Any) -> None:
    cache = app.make(CacheManager).store()
    await cache.set("key", 1)
    outcome, _ = await run("cache:clear", dry_run=True)
    assert outcome.exit_code == 0
    assert "Dry run" in (outcome.result.message or "")
    assert await cache.get("key") == 1


async def test_an_unknown_store_fails_in_one_line(run: Any) -> None:
    outcome, _ = await run("cache:clear", "--store", "nowhere")
    assert outcome.exit_code == 1
    assert 'The cache store "nowhere" is not configured' in (outcome.error or "")


async def test_an_unreachable_store_fails_naming_it(
    app: Application, run: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    app.config.set("redis.url", "redis://127.0.0.1:1/0")
    outcome, _ = await run("cache:clear", "--store", "redis")
    assert outcome.exit_code == 1
    assert 'The cache store "redis" at redis://127.0.0.1:1/0 is unavailable' in (
        outcome.error or ""
    )


async def test_cache_forget_removes_one_key(app: Application, run: Any) -> None:
    cache = app.make(CacheManager).store()
    await cache.set_many({"gone": 1, "kept": 2})
    outcome, _ = await run("cache:forget", "gone", format="json")
    assert outcome.result.data["forgotten"] is True
    assert (
        outcome.result.message == 'The [gone] key has been removed from the "memory" cache store.'
    )
    again, _ = await run("cache:forget", "gone")
    assert again.exit_code == 0
    assert again.result.data["forgotten"] is False
    assert await cache.get("kept") == 2


async def test_cache_forget_without_a_key_is_a_usage_error(run: Any) -> None:
    outcome, _ = await run("cache:forget")
    assert outcome.exit_code == 2


async def test_cache_prune_reports_how_many_expired_entries_it_deleted(
    app: Application, run: Any, clock: FrozenClock
) -> None:
    files = app.make(CacheManager).store("file")
    await files.set_many({"a": 1, "b": 2}, 10)
    await files.set("c", 3)
    clock.advance(10)
    outcome, _ = await run("cache:prune", "--store", "file", format="json")
    assert outcome.exit_code == 0
    assert outcome.result.data == {"store": "file", "driver": "file", "pruned": 2}
    assert outcome.result.message == 'Pruned 2 expired entries from the "file" cache store.'
    assert await files.get("c") == 3


async def test_cache_prune_skips_stores_that_expire_by_themselves(
    app: Application, run: Any, redis_url: str
) -> None:
    app.config.set("redis.url", redis_url)
    outcome, _ = await run("cache:prune", "--store", "redis")
    assert outcome.exit_code == 0
    assert outcome.result.status == "skipped"
    assert "removes expired entries itself" in (outcome.result.message or "")


async def test_cache_table_points_at_the_shipped_migration(app: Application, run: Any) -> None:
    outcome, printed = await run("cache:table")
    assert outcome.exit_code == 0
    (migration,) = outcome.result.data["migrations"]
    assert Path(migration).is_file()
    assert f"Migration: {migration}" in printed
    assert "foundry migrate" in (outcome.result.message or "")
    description = app.commands.descriptor("cache:table").description
    assert "ships that migration itself" in description
    assert "writes no file" in description
