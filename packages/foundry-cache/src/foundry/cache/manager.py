"""The cache manager: named stores built from configuration, once each.

``app.make(CacheManager).store("redis")`` returns the :class:`Repository` of one store;
``app.make(Cache)`` is the default store (``CACHE_DRIVER``). Stores are built on first use,
so an app whose default is ``memory`` never imports redis-py or SQLAlchemy, and every
repository of one store — and a failover store using it — shares one connection pool.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from foundry.cache import settings
from foundry.cache.repository import Repository
from foundry.domain.clock import Clock, SystemClock
from foundry.domain.config import ConfigRepository
from foundry.domain.errors import ConfigurationError

if TYPE_CHECKING:
    from foundry.cache.stores.base import Store
    from foundry.domain.database import Database

__all__ = ["CacheManager"]

DEFAULT_FILE_PATH = ("storage", "framework", "cache", "data")


class CacheManager:
    """Builds and keeps the configured cache stores.

    Args:
        config: the application's configuration (``cache.*`` and ``redis.url``).
        base_path: the application root (relative file-store paths start there).
        clock: decides expiry in the memory, file and database stores.
        database: returns the application's ``Database``; called only when a database
            store is first built (so apps without one need no database package).
    """

    def __init__(
        self,
        config: ConfigRepository,
        *,
        base_path: Path | str = ".",
        clock: Clock | None = None,
        database: Callable[[], Database] | None = None,
    ) -> None:
        self._config = config
        self._base = Path(base_path)
        self._clock: Clock = clock or SystemClock()
        self._database = database
        self._stores: dict[str, Store] = {}
        self._repositories: dict[str, Repository] = {}
        self._building: list[str] = []

    @property
    def default_name(self) -> str:
        """The default store's name (``CACHE_DRIVER``, ``memory`` when unset)."""
        return str(self._config.get("cache.driver") or "memory")

    def names(self) -> list[str]:
        """Every store name that can be asked for: configured ones, then the drivers."""
        return settings.configured_names(self._config)

    def store(self, name: str | None = None) -> Repository:
        """The cache API over the store called ``name`` (the default store when None).

        Raises:
            ConfigurationError: no such store, or its options are wrong.
            MissingDependencyError: its driver's library is not installed.
        """
        chosen = name or self.default_name
        repository = self._repositories.get(chosen)
        if repository is None:
            repository = Repository(
                self.raw(chosen),
                remember_wait=settings.number(
                    self._config.get("cache.remember_wait", 5.0), "cache.remember_wait"
                ),
                remember_lock_ttl=settings.number(
                    self._config.get("cache.remember_lock_ttl", 30.0), "cache.remember_lock_ttl"
                ),
            )
            self._repositories[chosen] = repository
        return repository

    def raw(self, name: str) -> Store:
        """The :class:`Store` called ``name`` itself (built on first use)."""
        store = self._stores.get(name)
        if store is None:
            if name in self._building:
                chain = " -> ".join([*self._building, name])
                raise ConfigurationError(f"Cache stores refer to each other in a loop: {chain}")
            self._building.append(name)
            try:
                store = self._stores[name] = self._build(name)
            finally:
                self._building.pop()
        return store

    async def close(self) -> None:
        """Close every built store's connections (the app calls it on terminate)."""
        for store in list(self._stores.values()):
            await store.close()

    # --- building --------------------------------------------------------------------

    def _build(self, name: str) -> Store:
        driver, options = settings.store_options(self._config, name)
        prefix = str(options.get("prefix", self._config.get("cache.prefix", "foundry_cache_")))
        where = f"cache.stores.{name}"
        if driver == "memory":
            from foundry.cache.stores.memory import MemoryStore

            capacity = options.get("capacity", self._config.get("cache.memory_capacity", 10_000))
            return MemoryStore(
                name=name,
                prefix=prefix,
                capacity=settings.number(capacity, f"{where}.capacity", integer=True),
                clock=self._clock,
            )
        if driver == "file":
            from foundry.cache.stores.file import FileStore

            path = Path(
                options.get("path")
                or self._config.get("cache.file_path")
                or Path(*DEFAULT_FILE_PATH)
            )
            return FileStore(
                path if path.is_absolute() else self._base / path,
                name=name,
                prefix=prefix,
                clock=self._clock,
            )
        if driver == "redis":
            from foundry.cache.stores.redis import RedisStore

            timeout = options.get("timeout", self._config.get("cache.redis_timeout", 0.5))
            return RedisStore(
                str(
                    options.get("url")
                    or self._config.get("redis.url")
                    or settings.DEFAULT_REDIS_URL
                ),
                name=name,
                prefix=prefix,
                timeout=settings.number(timeout, f"{where}.timeout"),
                pool_size=settings.number(
                    options.get("pool_size", 50), f"{where}.pool_size", integer=True
                ),
            )
        if driver == "database":
            return self._database_store(name, prefix, options)
        if driver == "failover":
            return self._failover_store(name, options)
        from foundry.cache.stores.null import NullStore

        return NullStore(name=name, prefix=prefix)

    def _database_store(self, name: str, prefix: str, options: dict[str, Any]) -> Store:
        from foundry.cache.stores.database import DatabaseStore

        if self._database is None:
            raise ConfigurationError(
                f'The "{name}" cache store needs the database, and none is bound. Install '
                "foundry-infra (or bind foundry.domain.database.Database)."
            )
        return DatabaseStore(
            self._database(),
            name=name,
            prefix=prefix,
            timeout=settings.number(options.get("timeout", 5.0), f"cache.stores.{name}.timeout"),
            clock=self._clock,
        )

    def _failover_store(self, name: str, options: dict[str, Any]) -> Store:
        from foundry.cache.stores.failover import FailoverStore

        members = options.get("stores")
        if (
            not isinstance(members, list)
            or not members
            or not all(isinstance(m, str) and m for m in members)
        ):
            raise ConfigurationError(
                f"cache.stores.{name}.stores must list the stores to try in order, e.g. "
                '["redis", "database"].'
            )
        return FailoverStore(
            [self.raw(member) for member in members],
            name=name,
            cooldown=settings.number(
                options.get("cooldown", 5.0), f"cache.stores.{name}.cooldown", strict=False
            ),
            clock=self._clock,
        )

    def __repr__(self) -> str:
        return f"<CacheManager default={self.default_name!r} built={sorted(self._stores)}>"
