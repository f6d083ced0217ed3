"""Fixtures: applications booted with the kernel, real databases and a real Redis.

SQLite always runs. PostgreSQL runs when ``DATABASE_URL`` is a PostgreSQL URL and MariaDB
when ``MYSQL_URL`` is set: each run creates its own ``foundry_test_<random>`` database and
drops it at the end. Redis is the local server (127.0.0.1:6379) with a key prefix of its
own per test. With ``FOUNDRY_REQUIRE_SERVICES=1`` a missing service fails instead of
skipping.
"""

from __future__ import annotations

import asyncio
import io
import os
import secrets
import socket
import sys
import time
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

from foundry.application import Application
from foundry.domain.application import CommandOutcome, CommandRunner
from foundry.domain.outputs import PlainOutput
from foundry.domain.provider import ServiceProvider
from foundry.queue.provider import QueueServiceProvider

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # queue_test_jobs, importable by workers in other processes

REQUIRE_SERVICES = os.environ.get("FOUNDRY_REQUIRE_SERVICES") == "1"
LOCAL_REDIS = ("127.0.0.1", 6379)
REDIS_URL = "redis://127.0.0.1:6379/0"
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


def unavailable(message: str) -> None:
    if REQUIRE_SERVICES:
        pytest.fail(f"FOUNDRY_REQUIRE_SERVICES=1 and {message}")
    pytest.skip(message)


# --- server databases -------------------------------------------------------------------

_GIVEN = {
    "postgresql": os.environ.get("DATABASE_URL", "").strip(),
    "mysql": os.environ.get("MYSQL_URL", "").strip(),
}


def given_url(kind: str) -> str | None:
    url = _GIVEN[kind]
    if kind == "postgresql":
        scheme = url.partition("://")[0].partition("+")[0].lower()
        return url if scheme in ("postgres", "postgresql") else None
    return url or None


def with_database(url: str, database: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{database}", parts.query, ""))


async def _admin(kind: str, url: str, statement: str) -> None:
    from sqlalchemy.ext.asyncio import create_async_engine

    from foundry.infra.urls import parse_database_url

    admin = with_database(url, "postgres" if kind == "postgresql" else "")
    engine = create_async_engine(parse_database_url(admin).driver_url, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            await connection.exec_driver_sql(statement)
    finally:
        await engine.dispose()


def _blocking(kind: str, url: str, statement: str) -> None:
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, _admin(kind, url, statement)).result()


class ServerDatabases:
    """One ``foundry_test_<random>`` database per server and run, created on first use."""

    def __init__(self) -> None:
        self.created: dict[str, str] = {}
        self.problems: dict[str, str] = {}

    def url(self, kind: str) -> str:
        if kind in self.created:
            return self.created[kind]
        if kind not in self.problems:
            given = given_url(kind)
            variable = "DATABASE_URL (postgresql://...)" if kind == "postgresql" else "MYSQL_URL"
            if given is None:
                self.problems[kind] = f"{kind} tests need {variable}"
            else:
                name = f"foundry_test_{secrets.token_hex(4)}"
                try:
                    _blocking(kind, given, f"CREATE DATABASE {name}")
                except Exception as exc:
                    self.problems[kind] = f"{kind} is not reachable: {exc}"
                else:
                    self.created[kind] = with_database(given, name)
                    return self.created[kind]
        unavailable(self.problems[kind])
        raise AssertionError("unreachable")

    def drop(self) -> None:
        for kind, url in self.created.items():
            given = given_url(kind)
            assert given is not None
            name = urlsplit(url).path.strip("/")
            force = " WITH (FORCE)" if kind == "postgresql" else ""
            _blocking(kind, given, f"DROP DATABASE IF EXISTS {name}{force}")


@pytest.fixture(scope="session")
def servers() -> Iterator[ServerDatabases]:
    databases = ServerDatabases()
    yield databases
    databases.drop()


@pytest.fixture(params=["sqlite", "postgresql", "mysql"])
def dialect(request: pytest.FixtureRequest) -> str:
    return str(request.param)


async def wipe(url: str, base: Path) -> None:
    from foundry.infra.database import SQLDatabase
    from foundry.infra.schema import wipe as wipe_all

    database = SQLDatabase(url, base_path=base)
    try:
        await wipe_all(database)
    finally:
        await database.dispose()


@pytest.fixture
async def db_url(dialect: str, servers: ServerDatabases, base: Path) -> str:
    """An empty database of ``dialect`` (SQLite: a file in the app folder)."""
    if dialect == "sqlite":
        return "sqlite:///storage/database.sqlite"
    url = servers.url(dialect)
    await wipe(url, base)
    return url


# --- redis --------------------------------------------------------------------------------


def redis_reachable() -> bool:
    try:
        with socket.create_connection(LOCAL_REDIS, timeout=0.5):
            return True
    except OSError:
        return False


@pytest.fixture
async def redis_prefix() -> AsyncIterator[str]:
    """A key prefix of this test alone on the local Redis; its keys are deleted after."""
    if not redis_reachable():
        unavailable("Redis is not reachable at 127.0.0.1:6379")
    from redis.asyncio import Redis

    prefix = f"foundry-queue-test:{secrets.token_hex(6)}:"
    yield prefix
    client = Redis.from_url(REDIS_URL)
    try:
        keys = [key async for key in client.scan_iter(match=f"{prefix}*")]
        if keys:
            await client.delete(*keys)
    finally:
        await client.aclose()


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


@dataclass
class Ran:
    outcome: CommandOutcome
    stdout: str
    stderr: str

    @property
    def data(self) -> Any:
        return self.outcome.result.data

    @property
    def message(self) -> str | None:
        return self.outcome.result.message


async def run_command(app: Application, name: str, *argv: str, **options: Any) -> Ran:
    out, err = io.StringIO(), io.StringIO()
    outcome = await app.make(CommandRunner).run(
        name, list(argv), output=PlainOutput(stdout=out, stderr=err), **options
    )
    return Ran(outcome, out.getvalue(), err.getvalue())


@pytest.fixture
def run() -> Callable[..., Any]:
    return run_command


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
            ran = await run_command(app, "migrate", force=True)
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
    backend: str, servers: ServerDatabases, base: Path, make_app: Callable[..., Any]
) -> Callable[..., Any]:
    """``await queue_app(**options)``: an app whose default connection is ``backend``
    (``database`` on that dialect, or ``redis`` with a prefix of its own)."""
    env: dict[str, str] = {"QUEUE_RETRY_AFTER": "30"}
    database = "sqlite:///storage/database.sqlite"
    if backend == "redis":
        if not redis_reachable():
            unavailable("Redis is not reachable at 127.0.0.1:6379")
        env.update(
            REDIS_URL=REDIS_URL, QUEUE_REDIS_PREFIX=f"foundry-queue-test:{secrets.token_hex(6)}:"
        )
        connection = "redis"
    else:
        if backend != "sqlite":
            database = servers.url(backend)
            await wipe(database, base)
        connection = "database"

    async def build(**options: Any) -> Application:
        merged = {**env, **options.pop("env", {})}
        app: Application = await make_app(connection, database=database, env=merged, **options)
        return app

    yield build
    if backend == "redis":
        from redis.asyncio import Redis

        client = Redis.from_url(REDIS_URL)
        try:
            keys = [k async for k in client.scan_iter(match=f"{env['QUEUE_REDIS_PREFIX']}*")]
            if keys:
                await client.delete(*keys)
        finally:
            await client.aclose()


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
