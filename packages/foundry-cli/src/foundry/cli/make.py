"""``make:command``: scaffold a console command the app runs with no further wiring.

The file lands in ``app/commands/``, the package the kernel scans for ``Command``
subclasses by default, and is rendered from the ``command`` stub through the bound
``StubRenderer`` (``foundry-stub-system``), so ``foundry stub:publish command`` lets an app
change what every new command looks like.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from foundry.domain.commands import Argument, Command, CommandContext, CommandResult, Option
from foundry.domain.generators import StubGenerator
from foundry.domain.stubs import PlannedFile

__all__ = ["MakeCommandCommand"]

# Folders to make importable, with the docstring their __init__.py gets.
PACKAGES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("app",), "The application's own code."),
    (("app", "commands"), "Console commands: foundry finds each Command here by itself."),
)
COMMAND_PACKAGE = "app.commands"


def _scanned_packages(base: Path) -> list[str] | None:
    """The ``[tool.foundry] commands`` the app configured, or None for the default."""
    import tomllib

    try:
        table = tomllib.loads((base / "pyproject.toml").read_text()).get("tool", {})
    except (OSError, tomllib.TOMLDecodeError):
        return None
    configured = table.get("foundry", {}).get("commands")
    if configured is None:
        return None
    return [configured] if isinstance(configured, str) else [str(c) for c in configured]


class MakeCommandCommand(Command):
    """Create a console command class in app/commands/.

    NAME may be written SendReport, send-report or send_report: the class is
    SendReportCommand in app/commands/send_report.py, run as "foundry app:send-report"
    unless --command names it otherwise. app/__init__.py and app/commands/__init__.py are
    created when missing. Honours --dry-run (shows the file) and --force (overwrites).
    """

    name = "make:command"
    summary = "Create a new console command in app/commands"
    arguments = (Argument("name", "The command's name: SendReport or send-report"),)
    options = (Option("command", "The name to run it by [default: app:<name>]"),)

    def handle(self, ctx: CommandContext) -> CommandResult:
        from foundry.cli.naming import command_names
        from foundry.domain.application import CommandRegistry
        from foundry.domain.errors import ConflictError

        names = command_names(ctx.argument("name"), ctx.option("command"))
        base = ctx.app.base_path
        target = Path("app", "commands", f"{names.module}.py")
        registry = ctx.app.make(CommandRegistry)
        if registry.has(names.command):
            owner = registry.descriptor(names.command)
            if owner.package is not None or not (base / target).exists():
                where = owner.package or "the app"
                raise ConflictError(
                    f'The command "{names.command}" already exists ({where}); choose another '
                    "name with --command=<name>."
                )
        generator = StubGenerator(ctx)

        plan = generator.package_markers(PACKAGES, "command_package")
        context: dict[str, Any] = {
            "class_name": names.class_name,
            "command_name": names.command,
            "summary": names.summary,
        }
        plan.append(PlannedFile(target, "command", context, f'the "{names.command}" command'))
        written = generator.write(plan, show_preview=True)

        scanned = _scanned_packages(base)
        if scanned is not None and COMMAND_PACKAGE not in scanned:
            ctx.output.warning(
                f'[tool.foundry] commands does not list "{COMMAND_PACKAGE}"; add it there or '
                "the new command will not be found."
            )
        data = {
            "class": names.class_name,
            "command": names.command,
            "files": written.files_data(),
            "content": written.preview,
        }
        return generator.done(
            f'Command "{names.command}" created. Run it with: foundry {names.command}', data
        )
