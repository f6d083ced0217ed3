"""``foundry config:cache``: merge every layer once and store it for fast, fixed boots."""

from __future__ import annotations

from foundry.domain.commands import Command, CommandContext, CommandResult

__all__ = ["ConfigCacheCommand"]


class ConfigCacheCommand(Command):
    name = "config:cache"
    summary = "Cache the merged configuration in bootstrap/cache/config.json"
    description = (
        "Reads config/*.toml and the environment afresh, applies values set at run time, and "
        "writes the result (mode 0600: secrets are in it). While the cache exists the "
        "application reads neither .env, the environment nor config/*.toml for its "
        "configuration; run config:clear after changing them."
    )

    def handle(self, ctx: CommandContext) -> CommandResult:
        from foundry.config.bootstrap import live_repository
        from foundry.config.cache import cache_path, write_cache
        from foundry.config.repository import Repository

        path = cache_path(ctx.app.base_path)
        fresh = live_repository(ctx.app)
        bound = ctx.app.config
        if isinstance(bound, Repository):
            for key, value in bound.overrides.items():
                fresh.set(key, value)
        merged = fresh.all()
        label = str(path.relative_to(ctx.app.base_path))
        data = {"path": str(path), "sections": sorted(merged), "written": False}
        if ctx.dry_run:
            return CommandResult.success(f"Dry run: {label} not written.", data=data)
        write_cache(path, merged)
        data["written"] = True
        return CommandResult.success(f"Configuration cached in {label}.", data=data)
