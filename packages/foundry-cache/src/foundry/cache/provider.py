"""The cache package's provider: the manager, the default store, variables and commands."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from foundry.cache.settings import ENV
from foundry.domain.cache import Cache
from foundry.domain.clock import Clock
from foundry.domain.config import ConfigRepository
from foundry.domain.database import Database
from foundry.domain.env import EnvVar
from foundry.domain.provider import ServiceProvider

if TYPE_CHECKING:
    from foundry.cache.manager import CacheManager
    from foundry.domain.application import Application

__all__ = ["CacheServiceProvider"]


class CacheServiceProvider(ServiceProvider):
    """Binds ``CacheManager`` (named stores) and ``Cache`` (the default store)."""

    name = "cache"
    provides = (Cache,)
    after = (Database, Clock, ConfigRepository)
    commands = (
        "foundry.cache.commands:ClearCommand",
        "foundry.cache.commands:ForgetCommand",
        "foundry.cache.commands:PruneCommand",
        "foundry.cache.commands:TableCommand",
    )
    env: ClassVar[tuple[EnvVar, ...]] = ENV
    migrations = "foundry.cache:migrations"

    def __init__(self) -> None:
        self._manager: CacheManager | None = None

    def register(self, app: Application) -> None:
        from foundry.cache.manager import CacheManager

        def manager(_: Any) -> CacheManager:
            self._manager = CacheManager(
                app.config,
                base_path=app.base_path,
                clock=app.make(Clock),
                database=lambda: app.make(Database),
            )
            return self._manager

        app.singleton(CacheManager, manager)
        app.singleton(Cache, lambda container: container.make(CacheManager).store())

    def boot(self, app: Application) -> None:
        async def close() -> None:
            if self._manager is not None:
                await self._manager.close()

        app.terminating(close)
