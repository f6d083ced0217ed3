"""Console commands for ``test_capture_command.py`` (a module of its own: providers name
their commands as ``module:Class``)."""

from __future__ import annotations

from typing import ClassVar

from foundry.domain.commands import Argument, Command, CommandContext, CommandResult
from foundry.domain.provider import ServiceProvider


class Greet(Command):
    """Writes to both streams, and a detail shown only with ``-v``."""

    name = "greet"
    summary = "Say hello"
    arguments = (Argument("who", "Whom to greet"),)

    def handle(self, ctx: CommandContext) -> CommandResult:
        who = ctx.argument("who")
        ctx.output.line(f"Hello, {who}")
        ctx.output.error("a note on stderr")
        ctx.output.verbose(f"a verbose detail (the command sees {ctx.verbosity.name})")
        data = {"who": who, "format": ctx.format, "dry_run": ctx.dry_run}
        return CommandResult.success(f"greeted {who}", data=data)


class Refuse(Command):
    """Fails the way commands fail for the user: a result with a message and exit code."""

    name = "refuse"
    summary = "Always fails"

    def handle(self, ctx: CommandContext) -> CommandResult:
        return CommandResult.failure("nothing to do here", exit_code=3)


class CaptureCommands(ServiceProvider):
    name = "capture-commands"
    commands: ClassVar[tuple[str, ...]] = ("capture_commands:Greet", "capture_commands:Refuse")
