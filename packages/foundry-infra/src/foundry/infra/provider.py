"""The infra package's provider: the ``Database`` binding, its commands and variables."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import TYPE_CHECKING, Any, ClassVar

from foundry.domain.database import Database
from foundry.domain.env import EnvVar, parse_bool
from foundry.domain.provider import ServiceProvider
from foundry.infra.settings import ENV_VARS

if TYPE_CHECKING:
    from foundry.domain.application import Application
    from foundry.domain.health import HealthCheck

__all__ = ["InfraServiceProvider"]


class InfraServiceProvider(ServiceProvider):
    """Binds :class:`foundry.domain.database.Database` to one lazily connected
    ``SQLDatabase`` per application, disposed of when the app terminates."""

    name = "infra"
    provides = (Database,)
    env: ClassVar[tuple[EnvVar, ...]] = ENV_VARS
    stubs = "foundry.infra:stubs"
    commands = (
        "foundry.infra.commands.migrate:MigrateCommand",
        "foundry.infra.commands.migrate:MigrateStatusCommand",
        "foundry.infra.commands.migrate:MigrateRollbackCommand",
        "foundry.infra.commands.migrate:MigrateResetCommand",
        "foundry.infra.commands.migrate:MigrateRefreshCommand",
        "foundry.infra.commands.migrate:MigrateFreshCommand",
        "foundry.infra.commands.seed:DbSeedCommand",
        "foundry.infra.commands.db:DbShowCommand",
        "foundry.infra.commands.db:DbTableCommand",
        "foundry.infra.commands.db:DbWipeCommand",
        "foundry.infra.commands.make:MakeMigrationCommand",
        "foundry.infra.commands.make:MakeModelCommand",
        "foundry.infra.commands.make:MakeSeederCommand",
    )

    def __init__(self) -> None:
        self._built: list[Any] = []

    def register(self, app: Application) -> None:
        def build(_container: Any) -> Any:
            from foundry.infra.database import SQLDatabase
            from foundry.infra.settings import DatabaseSettings

            database = SQLDatabase(
                DatabaseSettings.from_config(app.config), base_path=app.base_path
            )
            self._built.append(database)
            return database

        app.singleton(Database, build)

    def boot(self, app: Application) -> None:
        async def dispose() -> None:
            while self._built:
                await self._built.pop().dispose()

        app.terminating(dispose)
        flag = app.config.get("database.migrate_on_start", False)
        if flag is True or (isinstance(flag, str) and parse_bool(flag)):
            app.on_serve(self._migrate_on_start(app))

    @staticmethod
    def _migrate_on_start(app: Application) -> Callable[[], Awaitable[None]]:
        async def migrate() -> None:
            import logging

            from foundry.infra.database import SQLDatabase
            from foundry.infra.migrations.migrator import Migrator

            alembic = logging.getLogger("alembic")
            if not alembic.isEnabledFor(logging.DEBUG):
                # Alembic narrates every plugin and revision at INFO; one line of ours says
                # what happened (`-vvv` / LOG_LEVEL=debug still shows Alembic's detail).
                alembic.setLevel(logging.WARNING)

            database = app.make(Database)
            if not isinstance(database, SQLDatabase):
                return  # another Database implementation migrates its own way
            await database.ping()
            run = await Migrator(database, app.migration_locations).migrate()
            if run.steps:
                logging.getLogger("foundry.infra").info(
                    "Applied %d migration(s) at start-up (batch %s).", len(run.steps), run.batch
                )

        return migrate

    def health_checks(self, app: Application) -> Iterable[HealthCheck]:
        from foundry.infra.health import DatabaseHealthCheck

        return (DatabaseHealthCheck(app),)
