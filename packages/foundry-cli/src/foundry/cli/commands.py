"""``list``, ``help`` and ``about``: the commands every Foundry install has."""

from __future__ import annotations

import platform
import sys
from typing import Any

from foundry.cli.listing import list_entries, list_lines
from foundry.domain.application import CommandRegistry
from foundry.domain.commands import (
    Argument,
    Command,
    CommandContext,
    CommandResult,
)

__all__ = ["AboutCommand", "HelpCommand", "ListCommand"]


class ListCommand(Command):
    name = "list"
    summary = "List commands"
    aliases = ("ls",)
    requires_boot = False  # listing needs declarations only; it works even when boot fails
    arguments = (Argument("namespace", "Only the commands of this namespace", required=False),)

    def handle(self, ctx: CommandContext) -> CommandResult:
        registry = ctx.app.make(CommandRegistry)
        namespace = ctx.argument("namespace")
        descriptors = [
            d for d in registry.descriptors() if namespace is None or d.namespace == namespace
        ]
        if namespace is not None and not descriptors:
            return CommandResult.failure(f'There are no commands in the "{namespace}" namespace.')
        data = list_entries(descriptors)
        if not ctx.json:
            for text, style in list_lines(data, ctx.app.version):
                ctx.output.line(text, style=style)
        return CommandResult.success(data=data)


class HelpCommand(Command):
    name = "help"
    summary = "Display help for a command"
    requires_boot = False
    arguments = (Argument("command_name", "The command", required=False, default="help"),)

    def handle(self, ctx: CommandContext) -> CommandResult:
        from foundry.cli.help import render_help

        descriptor = ctx.app.make(CommandRegistry).descriptor(ctx.argument("command_name"))
        if not ctx.json:
            for line in render_help(descriptor).splitlines():
                ctx.output.line(line)
        return CommandResult.success(data=descriptor.to_dict())


_DRIVERS: tuple[tuple[str, str], ...] = (
    ("Database", "database.url"),
    ("Cache", "cache.driver"),
    ("Session", "session.driver"),
    ("Queue", "queue.connection"),
    ("Mail", "mail.mailer"),
    ("Broadcasting", "broadcast.driver"),
    ("Storage", "storage.default"),
)


def installed_packages() -> dict[str, str]:
    """Every installed ``foundry-*`` distribution and its version."""
    from importlib.metadata import distributions

    found: dict[str, str] = {}
    for dist in distributions():
        name = (dist.metadata["Name"] or "").lower()
        if name.startswith("foundry-"):
            found[name] = dist.version
    return dict(sorted(found.items()))


def _masked_url(value: Any) -> Any:
    if not isinstance(value, str) or "@" not in value or "://" not in value:
        return value
    scheme, _, rest = value.partition("://")
    credentials, _, host = rest.rpartition("@")
    user = credentials.split(":", 1)[0]
    return f"{scheme}://{user}:******@{host}" if ":" in credentials else value


class AboutCommand(Command):
    name = "about"
    summary = "Display basic information about the application"

    def handle(self, ctx: CommandContext) -> CommandResult:
        app = ctx.app
        config = app.config
        environment = {
            "Application name": config.get("app.name"),
            "Foundry version": app.version,
            "Python version": platform.python_version(),
            "Platform": f"{platform.system()} {platform.machine()}",
            "Environment": app.environment,
            "Debug mode": "ON" if app.debug else "OFF",
            "URL": config.get("app.url"),
            "Base path": str(app.base_path),
            "Executable": sys.executable,
        }
        drivers = {label: _masked_url(config.get(key)) for label, key in _DRIVERS}
        drivers = {k: v for k, v in drivers.items() if v is not None}
        packages = installed_packages()
        providers = [type(p).__name__ for p in app.providers]
        if not ctx.json:
            out = ctx.output
            out.definition_list(environment, title="Environment")
            out.line()
            out.definition_list(drivers or {"(none configured)": ""}, title="Drivers")
            out.line()
            out.definition_list(packages, title=f"Packages ({len(packages)})")
        data = {
            "environment": environment,
            "drivers": drivers,
            "packages": packages,
            "providers": providers,
        }
        return CommandResult.success(data=data)
