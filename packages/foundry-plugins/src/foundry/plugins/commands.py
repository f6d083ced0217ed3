"""``plugin:list``, ``plugin:disable`` and ``plugin:enable``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from foundry.domain.commands import Argument, Command, CommandContext, CommandResult

if TYPE_CHECKING:
    from foundry.plugins.catalogue import Plugin
    from foundry.plugins.manager import PluginChange
    from foundry.plugins.optouts import OptOuts

__all__ = ["DisableCommand", "EnableCommand", "ListCommand"]

_NAME = Argument("name", "The plugin's entry-point name (cache) or distribution (foundry-cache)")


def _state(ctx: CommandContext) -> tuple[list[Plugin], OptOuts]:
    from foundry.plugins.catalogue import discover_plugins
    from foundry.plugins.optouts import OptOuts

    opt_outs = OptOuts.for_app(ctx.app)
    return discover_plugins(opt_outs), opt_outs


def _status(plugin: Plugin) -> str:
    text: str = plugin.status
    if plugin.disabled_by:
        reasons = ", ".join(plugin.disabled_by)
        text = f"{text}, disabled ({reasons})" if plugin.error else f"{text} ({reasons})"
    return text


class ListCommand(Command):
    """List every installed plugin: Foundry's own packages and third-party ones.

    A plugin is an installed distribution registering a provider in the
    ``foundry.providers`` entry-point group. Each row says whether the app loads it and,
    when it does not, which opt-out keeps it out.
    """

    name = "plugin:list"
    requires_boot = False  # must work when a plugin breaks the boot
    summary = "List installed plugins, whether each is enabled, and why not"

    def handle(self, ctx: CommandContext) -> CommandResult:
        plugins, _opt_outs = _state(ctx)
        if not ctx.json:
            rows = [
                (
                    p.name,
                    p.distribution or "",
                    p.version or "",
                    p.provider,
                    _status(p),
                    "" if p.commands is None else p.commands,
                    p.origin,
                )
                for p in plugins
            ]
            headers = ("Name", "Package", "Version", "Provider", "Status", "Commands", "Origin")
            ctx.output.table(headers, rows)
            broken = [p for p in plugins if p.error]
            if broken:
                ctx.output.line()
                ctx.output.line("Broken:")
                ctx.output.bullet_list(f"{p.name}: {p.error}" for p in broken)
        counts = {s: sum(1 for p in plugins if p.status == s) for s in ("enabled", "disabled")}
        broken_count = sum(1 for p in plugins if p.status == "broken")
        message = (
            f"{len(plugins)} plugins: {counts['enabled']} enabled, {counts['disabled']} "
            f"disabled, {broken_count} broken."
        )
        return CommandResult.success(message, [p.to_dict() for p in plugins])


def _report(ctx: CommandContext, change: PluginChange) -> CommandResult:
    if change.diff and ctx.dry_run and not ctx.json:
        for line in change.diff.splitlines():
            ctx.output.line(line)
    if not change.changed:
        return CommandResult.skipped(change.message, change.to_dict())
    return CommandResult.success(change.message, change.to_dict())


class DisableCommand(Command):
    """Stop loading a plugin, by adding it to ``[tool.foundry] dont-discover``.

    The file keeps its comments and layout; ``--dry-run`` prints the diff and writes
    nothing. The kernel (``application``) and this package (``plugins``) cannot be
    disabled this way.
    """

    name = "plugin:disable"
    requires_boot = False  # must work when a plugin breaks the boot
    summary = "Disable a plugin in pyproject.toml ([tool.foundry] dont-discover)"
    arguments = (_NAME,)

    def handle(self, ctx: CommandContext) -> CommandResult:
        from foundry.plugins.manager import disable

        plugins, opt_outs = _state(ctx)
        pyproject = ctx.app.path("pyproject.toml")
        change = disable(plugins, opt_outs, pyproject, ctx.argument("name"), dry_run=ctx.dry_run)
        return _report(ctx, change)


class EnableCommand(Command):
    """Load a plugin again, by removing it from ``[tool.foundry] dont-discover``.

    When ``FOUNDRY_DONT_DISCOVER`` or the configuration key ``app.dont_discover`` keeps
    the plugin out, nothing is written and the message says where to change it.
    """

    name = "plugin:enable"
    requires_boot = False  # must work when a plugin breaks the boot
    summary = "Enable a plugin disabled in pyproject.toml ([tool.foundry] dont-discover)"
    arguments = (_NAME,)

    def handle(self, ctx: CommandContext) -> CommandResult:
        from foundry.plugins.manager import enable

        plugins, opt_outs = _state(ctx)
        change = enable(
            plugins,
            opt_outs,
            ctx.app.path("pyproject.toml"),
            ctx.argument("name"),
            dry_run=ctx.dry_run,
            config_file=ctx.app.path("config", "app.toml"),
        )
        return _report(ctx, change)
