"""``foundry env:example``: write .env.example from the declared variables."""

from __future__ import annotations

from foundry.domain.commands import Command, CommandContext, CommandResult

__all__ = ["EnvExampleCommand"]


class EnvExampleCommand(Command):
    name = "env:example"
    summary = "Write .env.example from the variables the installed packages declare"
    description = (
        "Groups the variables by the package that declares them, with each description as a "
        "comment and each default as the value (secrets empty, variables without a default "
        "commented out). Refuses to overwrite an existing file without --force; with "
        "--dry-run prints the file instead."
    )

    def handle(self, ctx: CommandContext) -> CommandResult:
        from foundry.env.examples import render_example
        from foundry.env.files import atomic_write

        path = ctx.app.path(".env.example")
        text = render_example(ctx.app.providers)
        count = sum(1 for line in text.splitlines() if line and line.lstrip("# ").find("=") > 0)
        data = {"path": str(path), "written": False, "variables": count, "content": text}
        if ctx.dry_run:
            if not ctx.json:
                ctx.output.line(text.rstrip("\n"))
            return CommandResult.success(f"Dry run: {path.name} not written.", data=data)
        if path.exists() and not ctx.force:
            return CommandResult.failure(
                f"{path.name} already exists; run again with --force to overwrite it.", data=data
            )
        atomic_write(path, text, new_mode=0o644)
        data["written"] = True
        return CommandResult.success(f"Wrote {path.name} ({count} variables).", data=data)
