"""Helpers the cache tests share: services, throwaway databases, store factories."""

from __future__ import annotations

import asyncio
import os
import secrets
import socket
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

from foundry.cache.manager import CacheManager
from foundry.cache.repository import Repository
from foundry.cache.stores.base import Store
from foundry.domain.clock import FrozenClock
from foundry.domain.config import MappingConfig

REQUIRE_SERVICES = os.environ.get("FOUNDRY_REQUIRE_SERVICES") == "1"
LOCAL_REDIS = ("127.0.0.1", 6379)
REDIS_URL = "redis://127.0.0.1:6379/0"
RUN = secrets.token_hex(4)
KINDS = ("memory", "file", "sqlite", "redis", "postgresql", "mysql")
SHARED_KINDS = ("file", "sqlite", "redis", "postgresql", "mysql")
CLOCKED_KINDS = ("memory", "file", "sqlite", "postgresql", "mysql")
DB_KINDS = ("sqlite", "postgresql", "mysql")


def unavailable(message: str) -> None:
    if REQUIRE_SERVICES:
        pytest.fail(f"FOUNDRY_REQUIRE_SERVICES=1 and {message}")
    pytest.skip(message)


def redis_reachable() -> bool:
    try:
        with socket.create_connection(LOCAL_REDIS, timeout=0.5):
            return True
    except OSError:
        return False


# --- server databases --------------------------------------------------------------------


def _given(kind: str) -> str | None:
    if kind == "postgresql":
        url = os.environ.get("DATABASE_URL", "").strip()
        scheme = url.partition("://")[0].partition("+")[0].lower()
        return url if scheme in ("postgres", "postgresql") else None
    return os.environ.get("MYSQL_URL", "").strip() or None


def _with_database(url: str, database: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{database}", parts.query, ""))


def _in_thread(work: Callable[[], Any]) -> Any:
    """Run async set-up on its own loop in a thread (callers may be inside a loop)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(work())).result()


async def _admin(kind: str, url: str, statement: str) -> None:
    from sqlalchemy.ext.asyncio import create_async_engine

    from foundry.infra.urls import parse_database_url

    admin = parse_database_url(_with_database(url, "postgres" if kind == "postgresql" else ""))
    timeout = {"timeout": 5} if kind == "postgresql" else {"connect_timeout": 5}
    engine = create_async_engine(
        admin.driver_url, isolation_level="AUTOCOMMIT", connect_args=timeout
    )
    try:
        async with engine.connect() as connection:
            await connection.exec_driver_sql(statement)
    finally:
        await engine.dispose()


async def migrate(url: str, base: Path) -> None:
    """Apply the package's migration branch to ``url`` (what ``foundry migrate`` runs)."""
    from foundry.domain.application import MigrationLocation
    from foundry.infra import Migrator, SQLDatabase

    folder = Path(str(resources.files("foundry.cache").joinpath("migrations")))
    database = SQLDatabase(url, base_path=base)
    try:
        await Migrator(database, [MigrationLocation(folder, "cache", "foundry-cache")]).migrate()
    finally:
        await database.dispose()


class Databases:
    """One migrated database per dialect for the whole run."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.name = f"foundry_test_{RUN}"
        self._urls: dict[str, str] = {}
        self._problems: dict[str, str] = {}
        self._created: list[str] = []

    def url(self, kind: str) -> str:
        if kind in self._urls:
            return self._urls[kind]
        if kind in self._problems:
            unavailable(self._problems[kind])
        if kind == "sqlite":
            url = f"sqlite:///{self.folder / 'cache.sqlite'}"
        else:
            given = _given(kind)
            if given is None:
                variable = (
                    "DATABASE_URL (postgresql://...)" if kind == "postgresql" else "MYSQL_URL"
                )
                self._problems[kind] = f"{kind} tests need {variable}"
                unavailable(self._problems[kind])
                raise AssertionError("unreachable")
            try:
                _in_thread(lambda: _admin(kind, given, f"CREATE DATABASE {self.name}"))
            except Exception as exc:
                self._problems[kind] = f"{kind} is not reachable: {type(exc).__name__}: {exc}"
                unavailable(self._problems[kind])
            self._created.append(kind)
            url = _with_database(given, self.name)
        _in_thread(lambda: migrate(url, self.folder))
        self._urls[kind] = url
        return url

    def drop(self) -> None:
        for kind in self._created:
            given = _given(kind)
            assert given is not None
            force = " WITH (FORCE)" if kind == "postgresql" else ""
            statement = f"DROP DATABASE IF EXISTS {self.name}{force}"
            _in_thread(lambda k=kind, g=given, s=statement: _admin(k, g, s))


# --- stores --------------------------------------------------------------------------------


class StoreFactory:
    """Builds stores of one kind on one backend: ``make()`` for a fresh instance (its own
    connections), so tests can act as two application instances."""

    def __init__(
        self, kind: str, prefix: str, clock: FrozenClock, tmp: Path, databases: Databases
    ) -> None:
        self.kind = kind
        self.prefix = prefix
        self.clock = clock
        self.tmp = tmp
        self._databases = databases
        self._managers: list[CacheManager] = []
        self._sql: list[Any] = []

    def manager(self, **config: Any) -> CacheManager:
        from foundry.infra import SQLDatabase

        settings: dict[str, Any] = {
            "cache": {"prefix": self.prefix, "file_path": str(self.tmp / "cache")}
        }
        settings["cache"].update(config)
        url = None
        if self.kind in DB_KINDS:
            url = self._databases.url(self.kind)
        elif self.kind == "redis":
            if not redis_reachable():
                unavailable("Redis is not reachable at 127.0.0.1:6379")
            settings["redis"] = {"url": REDIS_URL}

        def database() -> Any:
            assert url is not None
            sql = SQLDatabase(url, base_path=self.tmp)
            self._sql.append(sql)
            return sql

        manager = CacheManager(
            MappingConfig(settings), base_path=self.tmp, clock=self.clock, database=database
        )
        self._managers.append(manager)
        return manager

    @property
    def driver(self) -> str:
        return "database" if self.kind in DB_KINDS else self.kind

    def make(self, **config: Any) -> Repository:
        return self.manager(**config).store(self.driver)

    def raw(self) -> Store:
        return self.make().store

    async def close(self) -> None:
        for manager in self._managers:
            if self.kind in SHARED_KINDS:
                await manager.store(self.driver).flush()
            await manager.close()
        for sql in self._sql:
            await sql.dispose()


# --- unreachable servers -------------------------------------------------------------------


class Relay:
    """A TCP relay in front of the real Redis that can go down and come back on the same
    port: a Redis restart as the application sees it."""

    def __init__(self) -> None:
        self.port = 0
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._relay, "127.0.0.1", self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        assert self._server is not None
        self._server.close()
        for writer in list(self._writers):
            writer.close()
        self._writers.clear()
        await self._server.wait_closed()
        self._server = None

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            writer.close()

    async def _relay(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection(*LOCAL_REDIS)
        self._writers |= {writer, up_writer}
        await asyncio.gather(self._pipe(reader, up_writer), self._pipe(up_reader, writer))
