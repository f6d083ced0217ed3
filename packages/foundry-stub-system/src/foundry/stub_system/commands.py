"""``stub:publish`` and ``stub:list``: customising what ``make:*`` generates.

Laravel's model: ``stub:publish`` copies the packages' stubs into the app's ``stubs/``,
where they can be edited; from then on every generator renders the app's copy.
"""

from __future__ import annotations

from typing import Any

from foundry.domain.commands import Argument, Command, CommandContext, CommandResult

__all__ = ["ListStubsCommand", "PublishStubsCommand"]

APP_ONLY = "app's own"


class PublishStubsCommand(Command):
    """Copy every stub (or the named ones) into the app's stubs/ folder for customisation.

    Files already in stubs/ are kept unless --force is given. --dry-run lists what would be
    copied.
    """

    name = "stub:publish"
    summary = "Publish the stubs of make:* commands into stubs/ for customisation"
    arguments = (
        Argument(
            "names", "The stubs to publish (default: every stub)", type="list", required=False
        ),
    )

    def handle(self, ctx: CommandContext) -> CommandResult:
        from pathlib import Path

        from foundry.stub_system.catalogue import StubCatalogue
        from foundry.stub_system.writer import CREATED, OVERWRITTEN, write_all

        catalogue = StubCatalogue.for_app(ctx.app)
        index = catalogue.stubs()
        names: list[str] = list(ctx.argument("names") or [])
        chosen = [catalogue.get(name, index) for name in dict.fromkeys(names)] or [
            stub for stub in index.values() if stub.shipped is not None
        ]
        base = ctx.app.base_path
        folder = catalogue.app_folder or base / "stubs"
        rows: list[dict[str, Any]] = []
        writes: list[tuple[Path, bytes]] = []
        for stub in chosen:
            if stub.shipped is None:  # named, but only the app has it: nothing to copy
                rows.append(self._row(stub.name, stub.package, stub.active.location, APP_ONLY))
                continue
            # An app copy with another file name (command.txt.jinja) is the one to replace.
            relative = stub.active.relative if stub.overridden else stub.shipped.relative
            target = folder.joinpath(*relative.split("/"))
            shown = f"{folder.name}/{relative}"
            if target.exists() and not ctx.force:
                rows.append(self._row(stub.name, stub.package, shown, "kept"))
                continue
            action = "planned" if ctx.dry_run else (OVERWRITTEN if target.exists() else CREATED)
            rows.append(self._row(stub.name, stub.package, shown, action))
            writes.append((target, stub.shipped.file.read_bytes()))
        if writes and not ctx.dry_run:
            write_all(base, writes)

        if not ctx.json and rows:
            ctx.output.table(
                ["Stub", "Package", "File", "Result"],
                [[r["name"], r["package"], r["path"], r["action"]] for r in rows],
            )
        return CommandResult.success(self._summary(rows, ctx.dry_run), data=rows)

    @staticmethod
    def _row(name: str, package: str, path: str, action: str) -> dict[str, Any]:
        return {"name": name, "package": package, "path": path, "action": action}

    @staticmethod
    def _summary(rows: list[dict[str, Any]], dry_run: bool) -> str:
        if not rows:
            return "No installed package ships stubs; there is nothing to publish."
        written = sum(1 for r in rows if r["action"] not in ("kept", APP_ONLY))
        kept = sum(1 for r in rows if r["action"] == "kept")
        if dry_run:
            message = f"Dry run: {written} stub(s) would be published into stubs/."
        else:
            message = f"Published {written} stub(s) into stubs/."
        if kept:
            message += f" Kept {kept} existing file(s); use --force to overwrite them."
        return message


class ListStubsCommand(Command):
    """List every stub, the package that ships it, and whether the app overrides it."""

    name = "stub:list"
    summary = "List the stubs of make:* commands and where each comes from"

    def handle(self, ctx: CommandContext) -> CommandResult:
        from foundry.stub_system.catalogue import StubCatalogue

        stubs = StubCatalogue.for_app(ctx.app).stubs().values()
        data = [
            {
                "name": stub.name,
                "package": stub.package,
                "overridden": stub.overridden,
                "file": stub.active.location,
            }
            for stub in stubs
        ]
        if not ctx.json:
            if not data:
                ctx.output.line("No stubs: no installed package ships any and stubs/ is empty.")
            else:
                ctx.output.table(
                    ["Stub", "Package", "Overridden", "File in use"],
                    [
                        [d["name"], d["package"], "yes" if d["overridden"] else "no", d["file"]]
                        for d in data
                    ],
                )
        return CommandResult.success(data=data)
