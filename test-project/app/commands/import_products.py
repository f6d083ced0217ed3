"""``foundry products:import``: load a CSV of products into the catalogue."""

from __future__ import annotations

from pathlib import Path

from foundry.domain.commands import Argument, Command, CommandContext, CommandResult, Option


class ImportProductsCommand(Command):
    """Import products from a CSV file (header: sku,name,price[,description,stock,active]).

    The whole file is checked before anything is written (see :mod:`app.catalogue_import`);
    ``--dry-run`` reports the counts and writes nothing.
    """

    name = "products:import"
    summary = "Import products from a CSV file"
    description = (
        "Checks every row first; any invalid row refuses the whole file. Existing SKUs are "
        "skipped unless --update is given. --dry-run reports and writes nothing."
    )
    arguments = (Argument("file", "The CSV file to import", type="path", rules=("file",)),)
    options = (Option("update", "Update products whose SKU already exists", type="bool"),)

    async def handle(self, ctx: CommandContext) -> CommandResult:
        from foundry.domain.database import Database

        from app.catalogue_import import import_products

        path = Path(ctx.argument("file"))
        counts = await import_products(
            ctx.app.make(Database),
            path,
            update=bool(ctx.option("update")),
            dry_run=ctx.dry_run,
        )
        verb = "Would import" if ctx.dry_run else "Imported"
        message = (
            f"{verb} {path.name}: {counts['created']} created, {counts['updated']} updated, "
            f"{counts['skipped']} skipped."
        )
        return CommandResult.success(message, data={**counts, "dry_run": ctx.dry_run})
