"""``foundry db:seed``: run the app's seeders in one transaction."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from foundry.domain.commands import Command, CommandContext, CommandResult, Option
from foundry.domain.errors import CommandError, FoundryError
from foundry.infra.commands.support import connect, refuse_in_production

if TYPE_CHECKING:
    from foundry.infra.database import SQLDatabase

__all__ = ["DbSeedCommand", "run_seeder"]


async def run_seeder(ctx: CommandContext, database: SQLDatabase, name: str) -> dict[str, Any]:
    """Run the seeder ``name`` in one session; every row is saved, or none.

    Raises:
        NotFoundError: no such seeder.
        CommandError: the seeder failed (the session was rolled back).
    """
    from foundry.infra.seeding import find_seeder

    cls = find_seeder(ctx.app.base_path, name)
    seeder = ctx.app.make(cls)
    seeder.container = ctx.app
    started = time.perf_counter()
    try:
        async with database.session() as session:
            await seeder.run(session)
    except FoundryError:
        raise
    except Exception as exc:
        orig = getattr(exc, "orig", None)
        detail = str(orig) if orig is not None else f"{type(exc).__name__}: {exc}"
        detail = (detail.strip().splitlines() or [type(exc).__name__])[0]
        raise CommandError(
            f"Seeding with {cls.__name__} failed: {detail}. Nothing was saved (the seeding "
            "transaction was rolled back).",
            context={"seeder": cls.__name__},
        ) from exc
    elapsed = (time.perf_counter() - started) * 1000
    return {"seeder": cls.__name__, "module": cls.__module__, "duration_ms": round(elapsed, 2)}


class DbSeedCommand(Command):
    name = "db:seed"
    aliases = ("seed",)
    summary = "Seed the database with the app's seeders"
    description = (
        "Runs DatabaseSeeder (or --class) from database/seeders/ in one transaction: if any "
        "seeder fails, nothing is saved."
    )
    options = (Option("class", "The seeder class to run", default="DatabaseSeeder"),)

    async def handle(self, ctx: CommandContext) -> CommandResult:
        refuse_in_production(ctx, "seeders write rows into the database")
        name = str(ctx.option("class", "DatabaseSeeder"))
        database = await connect(ctx)
        report = await run_seeder(ctx, database, name)
        message = f"Database seeded with {report['seeder']} ({report['duration_ms']:.1f} ms)."
        return CommandResult.success(message, data=report)
