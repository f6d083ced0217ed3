"""``foundry tinker``: a Python shell with the application booted.

Only the standard library and ``foundry.domain`` are imported here: listing commands must
not pay for a REPL.
"""

from __future__ import annotations

import sys

from foundry.domain.commands import Command, CommandContext, CommandResult, Option
from foundry.tinker_enhanced.settings import SHELLS

__all__ = ["TinkerCommand"]


class TinkerCommand(Command):
    """Interact with your application.

    Opens IPython when installed, else ptpython, else the standard Python console, with
    the app booted and app, config, container, db (an open database session, committed
    on exit), every model class, select and the helpers make, call, routes and commands
    preloaded. Top-level await works in every shell, and so do the magics %routes,
    %commands and %config KEY. History is kept in storage/framework/tinker_history
    (TINKER_HISTORY). --execute runs one snippet instead and prints the value of its
    final expression; without a terminal, the code is read from stdin. With --dry-run
    the database session is rolled back instead of committed.
    """

    name = "tinker"
    summary = "Interact with your application in a Python shell (models, db session, await)"
    options = (
        Option(
            "execute",
            "Run this code and exit (- reads it from stdin); prints a final expression",
            short="e",
        ),
        Option(
            "shell",
            "ipython, ptpython or python (default: TINKER_SHELL, else the first installed)",
            type="enum",
            choices=SHELLS,
        ),
    )

    async def handle(self, ctx: CommandContext) -> CommandResult:
        source: str | None = ctx.option("execute")
        if source is None and not sys.stdin.isatty():
            source = "-"
        if source is not None:
            from foundry.tinker_enhanced.session import execute

            return await execute(ctx, source)
        from foundry.tinker_enhanced.session import interact

        return await interact(ctx, ctx.option("shell"))
