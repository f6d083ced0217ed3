"""Fixtures: applications booted with the kernel, real databases and a real Redis.

SQLite always runs. PostgreSQL runs when ``DATABASE_URL`` is a PostgreSQL URL and MariaDB
when ``MYSQL_URL`` is set: each run creates its own ``foundry_test_<random>`` database and
drops it at the end. Redis is the local server (127.0.0.1:6379) with a key prefix of its
own per test. With ``FOUNDRY_REQUIRE_SERVICES=1`` a missing service fails instead of
skipping.
"""

from __future__ import annotations

import secrets
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

from foundry.application import Application
from foundry.domain.provider import ServiceProvider
from foundry.queue.provider import QueueServiceProvider
from foundry.testing.redis import delete_prefix, require_redis, unique_prefix
from foundry.testing.running import CapturedCommand, capture_command
from foundry.testing.servers import ServerDatabases, empty_database

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # queue_test_jobs, importable by workers in other processes

CLEARED = (
    "APP_ENV",
    "DATABASE_URL",
    "REDIS_URL",
    "QUEUE_CONNECTION",
    "QUEUE_DEFAULT",
    "QUEUE_RETRY_AFTER",
    "QUEUE_REDIS_PREFIX",
    "QUEUE_FAILED_PRUNE_HOURS",
    "FOUNDRY_DONT_DISCOVER",
)


# --- server databases: foundry-testing's ``server_databases`` ---------------------------


@pytest.fixture(params=["sqlite", "postgresql", "mysql"])
def dialect(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
async def db_url(dialect: str, server_databases: ServerDatabases) -> str:
    """An empty database of ``dialect`` (SQLite: a file in the app folder)."""
    if dialect == "sqlite":
        return "sqlite:///storage/database.sqlite"
    url = server_databases.url(dialect)
    await empty_database(url)
    return url


# --- applications -------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in CLEARED:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def base(tmp_path: Path) -> Path:
    folder = tmp_path / "app"
    folder.mkdir()
    return folder


@pytest.fixture
def ledger(tmp_path: Path) -> str:
    return str(tmp_path / "ledger.txt")


class MemoryCache:
    """The slice of the ``Cache`` contract unique jobs use (locks with owners and TTLs),
    for tests without foundry-cache."""

    def __init__(self) -> None:
        self.locks: dict[str, tuple[str, float]] = {}

    def lock(self, name: str, ttl: float, owner: str | None = None) -> Any:
        return _Lock(self, name, float(ttl), owner or secrets.token_hex(8))


class _Lock:
    def __init__(self, cache: MemoryCache, name: str, ttl: float, owner: str) -> None:
        self.cache, self.name, self.ttl, self.owner = cache, name, ttl, owner

    async def acquire(self) -> bool:
        held = self.cache.locks.get(self.name)
        if held is not None and held[1] > time.monotonic():
            return False
        self.cache.locks[self.name] = (self.owner, time.monotonic() + self.ttl)
        return True

    async def release(self) -> bool:
        held = self.cache.locks.get(self.name)
        if held is None or held[0] != self.owner:
            return False
        del self.cache.locks[self.name]
        return True


class Bindings(ServiceProvider):
    name = "queue-test-bindings"

    def __init__(self, cache: MemoryCache | None = None) -> None:
        self.cache = cache

    def register(self, app: Any) -> None:
        from foundry.domain.cache import Cache

        if self.cache is not None:
            app.instance(Cache, self.cache)


def infra_provider() -> type[ServiceProvider]:
    from foundry.infra.provider import InfraServiceProvider

    return InfraServiceProvider


@pytest.fixture
def run() -> Callable[..., Awaitable[CapturedCommand]]:
    """``await run(app, name, *argv, **options)``: foundry-testing's ``capture_command``."""
    return capture_command


@pytest.fixture
async def make_app(
    base: Path, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[Callable[..., Any]]:
    """``await make_app(connection, database=url, env=..., providers=...)``: a booted app
    with the queue and infra providers, migrated."""
    built: list[Application] = []

    async def build(
        connection: str = "sync",
        *,
        database: str = "sqlite:///storage/database.sqlite",
        env: Mapping[str, str] | None = None,
        providers: tuple[Any, ...] = (),
        migrate: bool = True,
    ) -> Application:
        monkeypatch.setenv("DATABASE_URL", database)
        monkeypatch.setenv("QUEUE_CONNECTION", connection)
        for key, value in (env or {}).items():
            monkeypatch.setenv(key, value)
        app = Application(
            base,
            providers=[QueueServiceProvider, infra_provider(), *providers],
            discover=False,
        ).boot()
        built.append(app)
        if migrate:
            ran = await capture_command(app, "migrate", force=True)
            assert ran.outcome.exit_code == 0, ran.outcome.error
        return app

    yield build
    for app in built:
        await app.terminate()


# --- workers --------------------------------------------------------------------------------


@pytest.fixture(params=["sqlite", "postgresql", "mysql", "redis"])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
async def queue_app(
    backend: str, server_databases: ServerDatabases, make_app: Callable[..., Any]
) -> AsyncIterator[Callable[..., Any]]:
    """``await queue_app(**options)``: an app whose default connection is ``backend``
    (``database`` on that dialect, or ``redis`` with a prefix of its own)."""
    env: dict[str, str] = {"QUEUE_RETRY_AFTER": "30"}
    database = "sqlite:///storage/database.sqlite"
    if backend == "redis":
        env.update(
            REDIS_URL=require_redis(), QUEUE_REDIS_PREFIX=unique_prefix("foundry-queue-test")
        )
        connection = "redis"
    else:
        if backend != "sqlite":
            database = server_databases.url(backend)
            await empty_database(database)
        connection = "database"

    async def build(**options: Any) -> Application:
        merged = {**env, **options.pop("env", {})}
        app: Application = await make_app(connection, database=database, env=merged, **options)
        return app

    yield build
    if backend == "redis":  # only this test's keys: the shared Redis is never flushed
        delete_prefix(env["REDIS_URL"], env["QUEUE_REDIS_PREFIX"])


async def work(app: Application, *queues: str, **options: Any) -> Any:
    """Run a worker in this process until the queues are empty; returns its report."""
    from foundry.queue.manager import QueueManager
    from foundry.queue.worker import Worker, WorkerOptions

    manager = app.make(QueueManager)
    connection = manager.worker_connection()
    settings = {"stop_when_empty": True, "sleep": 0.05, "timeout": 10.0, **options}
    worker = Worker(
        manager,
        connection,
        WorkerOptions(queues=tuple(queues) or (connection.default_queue,), **settings),
    )
    return await worker.run()
