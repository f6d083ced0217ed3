"""``foundry key:show``: the application key, masked unless asked."""

from __future__ import annotations

import os

from foundry.domain.commands import Command, CommandContext, CommandResult, Option

__all__ = ["KeyShowCommand"]


class KeyShowCommand(Command):
    name = "key:show"
    requires_boot = False  # must show a key that stops the boot
    summary = "Show the application key (masked unless --reveal)"
    options = (Option("reveal", "Print the whole key", type="bool"),)

    def handle(self, ctx: CommandContext) -> CommandResult:
        from foundry.env.bootstrap import dotenv_of
        from foundry.env.keys import KEY_NAME, shown_key

        env = dotenv_of(ctx.app)
        key = os.environ.get(KEY_NAME, "")
        if not key:
            return CommandResult.failure(
                f"No application key is set ({KEY_NAME} is empty). Run foundry key:generate."
            )
        reveal = bool(ctx.option("reveal", False))
        shown = key if reveal else shown_key(key)
        data = {"key": shown, "masked": not reveal, "source": env.source_of(KEY_NAME)}
        if not ctx.json:
            ctx.output.line(shown)
        return CommandResult.success(data=data)
