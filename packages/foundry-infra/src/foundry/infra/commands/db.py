"""``db:show``, ``db:table`` and ``db:wipe``."""

from __future__ import annotations

from foundry.domain.commands import Argument, Command, CommandContext, CommandResult
from foundry.infra.commands.support import connect, plural, refuse_in_production

__all__ = ["DbShowCommand", "DbTableCommand", "DbWipeCommand"]


def human_size(size: int | None) -> str:
    """``1536`` -> ``1.5 KiB``; None (a dialect that cannot tell) -> ``unknown``."""
    if size is None:
        return "unknown"
    value = float(size)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} TiB"


class DbShowCommand(Command):
    name = "db:show"
    summary = "Show the database: server, version, size and tables with row counts"

    async def handle(self, ctx: CommandContext) -> CommandResult:
        from foundry.infra.schema import overview

        database = await connect(ctx)
        info = await overview(database)
        if not ctx.json:
            ctx.output.definition_list(
                {
                    "Server": f"{info['server']} {info['version']}",
                    "Database": info["database"],
                    "URL": info["url"],
                    "Size": human_size(info["size_bytes"]),
                    "Tables": len(info["tables"]),
                    "Views": len(info["views"]),
                },
                title="Database",
            )
            if info["tables"]:
                rows = [[t["name"], t["rows"]] for t in info["tables"]]
                ctx.output.table(["Table", "Rows"], rows)
        message = f"{info['server']} {info['version']}, {plural(len(info['tables']), 'table')}."
        return CommandResult.success(message, data=info)


class DbTableCommand(Command):
    name = "db:table"
    summary = "Show a table's columns, indexes and foreign keys"
    arguments = (Argument("table", "The table to describe"),)

    async def handle(self, ctx: CommandContext) -> CommandResult:
        from foundry.infra.schema import describe_table

        name = str(ctx.argument("table"))
        database = await connect(ctx)
        info = await describe_table(database, name)
        if not ctx.json:
            out = ctx.output
            out.definition_list(
                {"Rows": info["rows"], "Primary key": ", ".join(info["primary_key"]) or "none"},
                title=f"Table {name}",
            )
            out.table(
                ["Column", "Type", "Nullable", "Default"],
                [
                    [c["name"], c["type"], "yes" if c["nullable"] else "no", c["default"] or ""]
                    for c in info["columns"]
                ],
            )
            if info["indexes"]:
                out.table(
                    ["Index", "Columns", "Unique"],
                    [
                        [i["name"], ", ".join(i["columns"]), "yes" if i["unique"] else "no"]
                        for i in info["indexes"]
                    ],
                )
            if info["foreign_keys"]:
                out.table(
                    ["Foreign key", "Columns", "References", "On delete"],
                    [
                        [
                            fk["name"] or "",
                            ", ".join(fk["columns"]),
                            f"{fk['references']}({', '.join(fk['referenced_columns'])})",
                            fk["on_delete"] or "",
                        ]
                        for fk in info["foreign_keys"]
                    ],
                )
        message = (
            f"{name}: {plural(len(info['columns']), 'column')}, "
            f"{plural(len(info['indexes']), 'index', 'indexes')}, "
            f"{plural(len(info['foreign_keys']), 'foreign key')}."
        )
        return CommandResult.success(message, data=info)


class DbWipeCommand(Command):
    name = "db:wipe"
    summary = "Drop every table and view (and PostgreSQL enum type)"

    async def handle(self, ctx: CommandContext) -> CommandResult:
        from foundry.infra.schema import wipe

        refuse_in_production(ctx, "it drops every table")
        database = await connect(ctx)
        dropped = await wipe(database)
        parts = [plural(len(dropped["tables"]), "table"), plural(len(dropped["views"]), "view")]
        if dropped["types"]:
            parts.append(plural(len(dropped["types"]), "type"))
        return CommandResult.success(f"Dropped {', '.join(parts)}.", data=dropped)
