"""Helpers the cache tests share: services, throwaway databases, store factories."""

from __future__ import annotations

import secrets
from importlib import resources
from pathlib import Path
from typing import Any

from foundry.cache.manager import CacheManager
from foundry.cache.repository import Repository
from foundry.cache.stores.base import Store
from foundry.domain.clock import FrozenClock
from foundry.domain.config import MappingConfig
from foundry.testing.redis import (
    DEFAULT_REDIS_URL,
    require_redis,
)
from foundry.testing.servers import ServerDatabases, require_service, run_blocking

REDIS_URL = DEFAULT_REDIS_URL
RUN = secrets.token_hex(4)
KINDS = ("memory", "file", "sqlite", "redis", "postgresql", "mysql")
SHARED_KINDS = ("file", "sqlite", "redis", "postgresql", "mysql")
CLOCKED_KINDS = ("memory", "file", "sqlite", "postgresql", "mysql")
DB_KINDS = ("sqlite", "postgresql", "mysql")


unavailable = require_service  # skips, or fails under FOUNDRY_REQUIRE_SERVICES=1


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
    """One migrated database per dialect for the whole run (servers: foundry-testing's
    throwaway ``foundry_test_<random>`` databases, which it drops at session end)."""

    def __init__(self, folder: Path, servers: ServerDatabases) -> None:
        self.folder = folder
        self.servers = servers
        self._urls: dict[str, str] = {}

    def url(self, kind: str) -> str:
        if kind in self._urls:
            return self._urls[kind]
        if kind == "sqlite":
            url = f"sqlite:///{self.folder / 'cache.sqlite'}"
        else:
            url = self.servers.url(kind)  # skips or fails when the server is missing
        run_blocking(lambda: migrate(url, self.folder))
        self._urls[kind] = url
        return url


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
            settings["redis"] = {"url": require_redis(REDIS_URL)}

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
