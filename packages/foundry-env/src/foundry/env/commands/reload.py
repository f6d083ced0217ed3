"""``foundry env:reload``: read .env into this process again and say what changed."""

from __future__ import annotations

from foundry.domain.commands import Command, CommandContext, CommandResult
from foundry.domain.config import ConfigRepository

__all__ = ["EnvReloadCommand"]


class EnvReloadCommand(Command):
    name = "env:reload"
    summary = "Re-read .env into this process and report what changed"
    description = (
        "Values the file set earlier are replaced or removed; variables set by the process "
        "environment are never touched. Useful in tinker and long-running workers. When the "
        "bound configuration repository can reload, it re-reads the environment too."
    )

    def handle(self, ctx: CommandContext) -> CommandResult:
        from foundry.env.bootstrap import dotenv_of
        from foundry.env.masking import mask, secret_checker

        env = dotenv_of(ctx.app)
        changes = env.reload()
        is_secret = secret_checker(ctx.app.env_vars)

        def shown(name: str, value: str) -> str | None:
            return mask(value, is_secret(name))

        config_reloaded = False
        if ctx.app.bound(ConfigRepository):
            ctx.app.config.reload()
            config_reloaded = True
        added = {name: shown(name, value) for name, value in changes.added.items()}
        changed = {
            name: {"old": shown(name, old), "new": shown(name, new)}
            for name, (old, new) in changes.changed.items()
        }
        removed = sorted(changes.removed)
        data = {
            "file": changes.path.name,
            "path": str(changes.path),
            "loaded": env.exists,
            "added": added,
            "changed": changed,
            "removed": removed,
            "shadowed": list(changes.shadowed),
            "config_reloaded": config_reloaded,
        }
        counts = (
            f"{len(changes.added)} added, {len(changes.changed)} changed, "
            f"{len(changes.removed)} removed"
        )
        if not env.exists:
            message = f"No {changes.path.name} file: {counts}."
        elif changes.empty:
            message = f"Reloaded {changes.path.name}: nothing changed."
        else:
            message = f"Reloaded {changes.path.name}: {counts}."
        if not ctx.json and not changes.empty:
            rows: list[tuple[str, str, str | None, str | None]] = [
                (name, "added", "", value) for name, value in added.items()
            ]
            rows += [(name, "changed", pair["old"], pair["new"]) for name, pair in changed.items()]
            rows += [(name, "removed", shown(name, changes.removed[name]), "") for name in removed]
            ctx.output.table(("Variable", "Change", "Old", "New"), rows)
        return CommandResult.success(message, data=data)
