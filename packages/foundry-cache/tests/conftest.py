"""Fixtures: every store on a real backend, the local Redis, throwaway server databases.

The parametrised store fixtures give one store kind each: memory, file, SQLite, and Redis
(127.0.0.1:6379, a unique prefix per test, flushed afterwards); PostgreSQL when
``DATABASE_URL`` is a PostgreSQL URL and MySQL/MariaDB when ``MYSQL_URL`` is set, each in a
``foundry_test_<random>`` database created for the run and dropped at its end. With
``FOUNDRY_REQUIRE_SERVICES=1`` an unreachable service fails instead of skipping. Tables
are created by the package's own migration, run through foundry-infra's ``Migrator``.
"""

from __future__ import annotations

import asyncio
import secrets
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the shared cache_support module

from cache_support import (
    CLOCKED_KINDS,
    DB_KINDS,
    KINDS,
    RUN,
    SHARED_KINDS,
    Databases,
    StoreFactory,
)

from foundry.cache.repository import Repository
from foundry.domain.clock import FrozenClock
from foundry.testing.redis import TcpRelay, redis_address
from foundry.testing.servers import ServerDatabases


@pytest.fixture(scope="session")
def databases(
    tmp_path_factory: pytest.TempPathFactory, server_databases: ServerDatabases
) -> Databases:
    return Databases(tmp_path_factory.mktemp("databases"), server_databases)


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock()


@pytest.fixture
def prefix() -> str:
    """A key prefix of this test alone (stores on shared servers are never wiped)."""
    return f"foundry_test_{RUN}_{secrets.token_hex(4)}:"


async def _factory(
    kind: str, prefix: str, clock: FrozenClock, tmp_path: Path, databases: Databases
) -> AsyncIterator[StoreFactory]:
    factory = StoreFactory(kind, prefix, clock, tmp_path, databases)
    yield factory
    await factory.close()


@pytest.fixture(params=KINDS)
async def stores(
    request: pytest.FixtureRequest,
    prefix: str,
    clock: FrozenClock,
    tmp_path: Path,
    databases: Databases,
) -> AsyncIterator[StoreFactory]:
    """A factory of stores, for each kind."""
    async for factory in _factory(request.param, prefix, clock, tmp_path, databases):
        yield factory


@pytest.fixture(params=SHARED_KINDS)
async def shared_stores(
    request: pytest.FixtureRequest,
    prefix: str,
    clock: FrozenClock,
    tmp_path: Path,
    databases: Databases,
) -> AsyncIterator[StoreFactory]:
    """A factory of stores other processes share (every kind but memory)."""
    async for factory in _factory(request.param, prefix, clock, tmp_path, databases):
        yield factory


@pytest.fixture(params=CLOCKED_KINDS)
async def clocked_stores(
    request: pytest.FixtureRequest,
    prefix: str,
    clock: FrozenClock,
    tmp_path: Path,
    databases: Databases,
) -> AsyncIterator[StoreFactory]:
    """A factory of the stores whose expiry follows the application's clock."""
    async for factory in _factory(request.param, prefix, clock, tmp_path, databases):
        yield factory


@pytest.fixture(params=DB_KINDS)
async def db_stores(
    request: pytest.FixtureRequest,
    prefix: str,
    clock: FrozenClock,
    tmp_path: Path,
    databases: Databases,
) -> AsyncIterator[StoreFactory]:
    """A factory of database stores, for each dialect."""
    async for factory in _factory(request.param, prefix, clock, tmp_path, databases):
        yield factory


@pytest.fixture
async def redis_stores(
    redis_url: str, prefix: str, clock: FrozenClock, tmp_path: Path, databases: Databases
) -> AsyncIterator[StoreFactory]:
    async for factory in _factory("redis", prefix, clock, tmp_path, databases):
        yield factory


@pytest.fixture
def cache(stores: StoreFactory) -> Repository:
    """The cache API over one store of each kind."""
    return stores.make()


@pytest.fixture
async def silent_port() -> AsyncIterator[int]:
    """A local server that accepts connections and never answers (a hung server)."""
    held: list[asyncio.StreamWriter] = []

    async def accept(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)

    server = await asyncio.start_server(accept, "127.0.0.1", 0)
    try:
        yield server.sockets[0].getsockname()[1]
    finally:
        for writer in held:
            writer.close()
        server.close()
        await server.wait_closed()


@pytest.fixture
async def relay(redis_url: str) -> AsyncIterator[TcpRelay]:
    proxy = TcpRelay(redis_address(redis_url))
    await proxy.start()
    yield proxy
    await proxy.stop()
