"""What the database commands share: the database, the production guard, output helpers.

Standard library and ``foundry.domain`` only at module level: command modules are imported
to list commands, and listing must not load SQLAlchemy.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from foundry.domain.commands import CommandContext
from foundry.domain.database import Database
from foundry.domain.errors import CommandError, ConfigurationError

if TYPE_CHECKING:
    from foundry.infra.database import SQLDatabase
    from foundry.infra.migrations.migrator import Migrator
    from foundry.infra.migrations.runner import AppliedStep

__all__ = [
    "connect",
    "database_of",
    "migrator_of",
    "plural",
    "refuse_in_production",
    "show_steps",
]


def plural(count: int, word: str, many: str | None = None) -> str:
    """``plural(2, "table")`` -> ``2 tables``; irregular forms through ``many``."""
    return f"{count} {word if count == 1 else (many or word + 's')}"


def refuse_in_production(ctx: CommandContext, consequence: str) -> None:
    """Stop a destructive command in production unless ``--force`` was given.

    Raises:
        CommandError: ``APP_ENV`` is production and ``--force`` is absent.
    """
    if ctx.app.is_production() and not ctx.force:
        raise CommandError(
            f"Refusing to run {ctx.name} in production (APP_ENV=production): {consequence}. "
            "Pass --force to run it anyway.",
            context={"command": ctx.name},
        )


def database_of(ctx: CommandContext) -> SQLDatabase:
    """The app's database, which must be foundry-infra's (the commands need its engine)."""
    from foundry.infra.database import SQLDatabase

    database = ctx.app.make(Database)
    if not isinstance(database, SQLDatabase):
        raise ConfigurationError(
            f"{ctx.name} needs foundry-infra's SQLDatabase, but Database is bound to "
            f"{type(database).__name__}. Remove that binding or run the command from its package."
        )
    return database


async def connect(ctx: CommandContext) -> SQLDatabase:
    """The app's database after a successful ping (one clear line when unreachable)."""
    database = database_of(ctx)
    await database.ping(database.settings.connect_timeout)
    return database


def migrator_of(ctx: CommandContext, database: SQLDatabase) -> Migrator:
    from foundry.infra.migrations.migrator import Migrator

    return Migrator(database, ctx.app.migration_locations)


def show_steps(ctx: CommandContext, verb: str, steps: Sequence[AppliedStep]) -> None:
    """One line per applied or rolled-back revision (human format only)."""
    if ctx.json:
        return
    for step in steps:
        label = step.description or step.file
        ctx.output.line(
            f"{verb:<12} {step.branch:<12} {step.revision}  {label}  ({step.duration_ms:.1f} ms)"
        )
