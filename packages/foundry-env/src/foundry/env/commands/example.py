"""``foundry env:example``: write .env.example from the declared variables."""

from __future__ import annotations

from foundry.domain.commands import Command, CommandContext, CommandResult

__all__ = ["EnvExampleCommand"]


class EnvExampleCommand(Command):
    name = "env:example"
    requires_boot = False  # declarations are all it needs
    summary = "Write .env.example from the variables the installed packages declare"
    description = (
        "Groups the variables by the package that declares them, with each description as a "
        "comment and each default as the value (secrets empty, variables without a default "
        "commented out). Refuses to overwrite an existing file without --force; with "
        "--dry-run prints the file instead."
    )

    def handle(self, ctx: CommandContext) -> CommandResult:
        from foundry.env.examples import example_variables, render_example
        from foundry.env.files import atomic_write

        path = ctx.app.path(".env.example")
        providers = ctx.app.providers
        text = render_example(providers)
        # Counted from the declarations written, not from lines with "=": a description
        # may hold one too ("default json when APP_ENV=production").
        count = len(example_variables(providers))
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
