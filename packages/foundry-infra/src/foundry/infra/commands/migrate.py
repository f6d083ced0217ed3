"""``migrate``, ``migrate:status``, ``migrate:rollback``, ``migrate:reset``,
``migrate:refresh`` and ``migrate:fresh``."""

from __future__ import annotations

from typing import Any

from foundry.domain.commands import Command, CommandContext, CommandResult, Option
from foundry.domain.errors import InputError
from foundry.infra.commands.seed import run_seeder
from foundry.infra.commands.support import (
    connect,
    migrator_of,
    plural,
    refuse_in_production,
    show_steps,
)

__all__ = [
    "MigrateCommand",
    "MigrateFreshCommand",
    "MigrateRefreshCommand",
    "MigrateResetCommand",
    "MigrateRollbackCommand",
    "MigrateStatusCommand",
]

_SEED = Option("seed", "Run the DatabaseSeeder afterwards", type="bool")
_SEEDER = Option("seeder", "The seeder class --seed runs", default="DatabaseSeeder")


async def _seed_if_asked(ctx: CommandContext, database: Any, data: dict[str, Any]) -> str:
    if not ctx.option("seed", False):
        return ""
    report = await run_seeder(ctx, database, str(ctx.option("seeder", "DatabaseSeeder")))
    data["seeded"] = report
    return f" Seeded with {report['seeder']}."


class MigrateCommand(Command):
    name = "migrate"
    aliases = ("db:migrate",)
    summary = "Run the pending migrations of the app and its packages"
    description = (
        "Applies every pending revision (all package branches and the app's own, in "
        "dependency order) as one batch; each revision runs in its own transaction where the "
        "database allows. --pretend (or --dry-run) prints the SQL instead of running it."
    )
    options = (
        Option("pretend", "Print the SQL the migrations would run, change nothing", type="bool"),
        _SEED,
        _SEEDER,
    )

    async def handle(self, ctx: CommandContext) -> CommandResult:
        pretend = bool(ctx.option("pretend", False)) or ctx.dry_run
        if not pretend:
            refuse_in_production(ctx, "it changes the database schema")
        database = await connect(ctx)
        migrator = migrator_of(ctx, database)
        if pretend:
            pending, sql = await migrator.pretend()
            data = {"pending": [p.revision for p in pending], "sql": sql}
            if not pending:
                return CommandResult.success("Nothing to migrate.", data=data)
            if not ctx.json:
                ctx.output.line(sql.rstrip())
            return CommandResult.success(
                f"{plural(len(pending), 'migration')} would run (nothing was changed).", data
            )
        run = await migrator.migrate()
        data = run.to_dict()
        show_steps(ctx, "Migrated", run.steps)
        message = (
            f"Migrated {plural(len(run.steps), 'migration')} (batch {run.batch})."
            if run.steps
            else "Nothing to migrate."
        )
        message += await _seed_if_asked(ctx, database, data)
        return CommandResult.success(message, data=data)


class MigrateStatusCommand(Command):
    name = "migrate:status"
    summary = "Show every migration, whether it ran and in which batch"

    async def handle(self, ctx: CommandContext) -> CommandResult:
        database = await connect(ctx)
        states = await migrator_of(ctx, database).status()
        ran = sum(1 for state in states if state.ran)
        pending = len(states) - ran
        data = {"migrations": [s.to_dict() for s in states], "ran": ran, "pending": pending}
        if not states:
            return CommandResult.success("No migrations found.", data=data)
        if not ctx.json:
            rows = [
                [
                    "Yes" if s.ran else "No",
                    s.batch if s.batch is not None else "",
                    s.branch,
                    s.revision,
                    s.description or s.file,
                ]
                for s in states
            ]
            ctx.output.table(["Ran?", "Batch", "Branch", "Revision", "Migration"], rows)
        return CommandResult.success(f"{ran} ran, {pending} pending.", data=data)


class MigrateRollbackCommand(Command):
    name = "migrate:rollback"
    aliases = ("db:rollback",)
    summary = "Roll back the last batch of migrations (or the last --step N)"
    options = (Option("step", "Roll back this many migrations instead of the last batch", "int"),)

    async def handle(self, ctx: CommandContext) -> CommandResult:
        step = ctx.option("step")
        if step is not None and int(step) < 1:
            raise InputError("step", "--step must be 1 or more")
        refuse_in_production(ctx, "rolling back drops tables and columns")
        database = await connect(ctx)
        run = await migrator_of(ctx, database).rollback(int(step) if step is not None else None)
        show_steps(ctx, "Rolled back", run.steps)
        if not run.steps:
            return CommandResult.success("Nothing to roll back.", data=run.to_dict())
        return CommandResult.success(
            f"Rolled back {plural(len(run.steps), 'migration')}.", data=run.to_dict()
        )


class MigrateResetCommand(Command):
    name = "migrate:reset"
    summary = "Roll back every migration"

    async def handle(self, ctx: CommandContext) -> CommandResult:
        refuse_in_production(ctx, "it rolls back every migration")
        database = await connect(ctx)
        run = await migrator_of(ctx, database).reset()
        show_steps(ctx, "Rolled back", run.steps)
        if not run.steps:
            return CommandResult.success("Nothing to roll back.", data=run.to_dict())
        return CommandResult.success(
            f"Rolled back {plural(len(run.steps), 'migration')}.", data=run.to_dict()
        )


class MigrateRefreshCommand(Command):
    name = "migrate:refresh"
    aliases = ("db:refresh",)
    summary = "Roll back every migration, then migrate again"
    options = (_SEED, _SEEDER)

    async def handle(self, ctx: CommandContext) -> CommandResult:
        refuse_in_production(ctx, "it rolls back every migration, deleting their data")
        database = await connect(ctx)
        migrator = migrator_of(ctx, database)
        reset = await migrator.reset()
        show_steps(ctx, "Rolled back", reset.steps)
        run = await migrator.migrate()
        show_steps(ctx, "Migrated", run.steps)
        data: dict[str, Any] = {
            "rolled_back": [s.to_dict() for s in reset.steps],
            "migrated": [s.to_dict() for s in run.steps],
            "batch": run.batch,
        }
        message = (
            f"Rolled back {plural(len(reset.steps), 'migration')} and migrated "
            f"{plural(len(run.steps), 'migration')}."
        )
        message += await _seed_if_asked(ctx, database, data)
        return CommandResult.success(message, data=data)


class MigrateFreshCommand(Command):
    name = "migrate:fresh"
    aliases = ("db:fresh",)
    summary = "Drop every table, then run every migration"
    description = (
        "Drops all tables and views (and PostgreSQL enum types) without running any "
        "downgrade, then migrates from scratch."
    )
    options = (_SEED, _SEEDER)

    async def handle(self, ctx: CommandContext) -> CommandResult:
        from foundry.infra.schema import wipe

        refuse_in_production(ctx, "it drops every table")
        database = await connect(ctx)
        dropped = await wipe(database)
        if not ctx.json:
            ctx.output.line(f"Dropped {plural(len(dropped['tables']), 'table')}.")
        run = await migrator_of(ctx, database).migrate()
        show_steps(ctx, "Migrated", run.steps)
        data: dict[str, Any] = {
            "dropped": dropped,
            "migrated": [s.to_dict() for s in run.steps],
            "batch": run.batch,
        }
        message = (
            f"Dropped {plural(len(dropped['tables']), 'table')} and migrated "
            f"{plural(len(run.steps), 'migration')}."
        )
        message += await _seed_if_asked(ctx, database, data)
        return CommandResult.success(message, data=data)
