"""``foundry config:clear``: remove the configuration cache."""

from __future__ import annotations

from foundry.domain.commands import Command, CommandContext, CommandResult

__all__ = ["ConfigClearCommand"]


class ConfigClearCommand(Command):
    name = "config:clear"
    summary = "Remove the configuration cache (bootstrap/cache/config.json)"
    description = (
        "The next boot reads config/*.toml and the environment again. The running process "
        "keeps the configuration it has."
    )

    def handle(self, ctx: CommandContext) -> CommandResult:
        from foundry.config.cache import cache_path

        path = cache_path(ctx.app.base_path)
        label = str(path.relative_to(ctx.app.base_path))
        data = {"path": str(path), "removed": False}
        if not path.exists():
            return CommandResult.success(f"No configuration cache to clear ({label}).", data)
        if ctx.dry_run:
            return CommandResult.success(f"Dry run: {label} not removed.", data)
        path.unlink()
        data["removed"] = True
        return CommandResult.success("Configuration cache cleared.", data)
