"""The two ways ``foundry tinker`` runs: one snippet (``--execute``) or a shell."""

from __future__ import annotations

import asyncio
import json
import sys
from contextlib import redirect_stdout
from typing import Any

from foundry.domain.commands import CommandContext, CommandResult
from foundry.tinker_enhanced.capture import OutputWriter
from foundry.tinker_enhanced.errors import CodeError, MagicError
from foundry.tinker_enhanced.evaluation import Evaluator, describe_error
from foundry.tinker_enhanced.history import HistoryFile
from foundry.tinker_enhanced.interrupts import Interrupter
from foundry.tinker_enhanced.listing import Listing
from foundry.tinker_enhanced.magics import rewrite_magics
from foundry.tinker_enhanced.settings import TinkerSettings
from foundry.tinker_enhanced.shells import ShellContext, banner, choose_shell, run_shell
from foundry.tinker_enhanced.workspace import open_workspace

__all__ = ["execute", "interact", "json_value"]


def json_value(value: Any) -> Any:
    """``value`` as ``--format json`` data: as JSON reads it back when JSON holds it
    (a tuple becomes a list), a ``Listing`` as its rows, anything else as its ``repr``."""
    if isinstance(value, Listing):
        return value.to_data()
    try:
        return json.loads(json.dumps(value, allow_nan=False))
    except (TypeError, ValueError):
        return repr(value)


def _show(ctx: CommandContext, value: Any) -> None:
    if isinstance(value, Listing):
        if value.rows:
            ctx.output.table(value.headers, value.rows, title=value.title)
        else:
            ctx.output.line(value.empty)
    else:
        ctx.output.line(repr(value))


def _exit_status(exc: SystemExit) -> tuple[int, str | None]:
    if exc.code is None or exc.code == 0:
        return 0, None
    if isinstance(exc.code, int):
        return exc.code, f"The --execute code exited with status {exc.code}"
    return 1, str(exc.code)


async def execute(ctx: CommandContext, source: str) -> CommandResult:
    """Run ``source`` with the preloaded names; show and return its final expression.

    What the code prints goes through ``ctx.output``. The database session is committed
    when the code succeeds and rolled back when it raises or exits non-zero (and always
    under ``--dry-run``).

    Raises:
        CodeError: the code does not compile or raised (one line; the cause is chained).
    """
    if source == "-":
        source = sys.stdin.read()
    writer = OutputWriter(ctx.output)
    status: tuple[int, str | None] = (0, None)
    async with open_workspace(ctx.app, output=lambda: ctx.output, interactive=False) as ws:
        evaluator = Evaluator(ws.namespace)
        try:
            with redirect_stdout(writer):
                result = await evaluator.run_snippet(rewrite_magics(source))
        except SystemExit as exc:
            status = _exit_status(exc)
            result = None
            if status[0] != 0:
                await ws.rollback()
        except (KeyboardInterrupt, asyncio.CancelledError, MagicError):
            raise  # a magic's own message already names the thing and the fix
        except Exception as exc:
            raise CodeError(describe_error(exc), context={"error": type(exc).__name__}) from exc
        finally:
            writer.finish()
        if ctx.dry_run and status[0] == 0:
            await ws.rollback()
    code, message = status
    if code:
        return CommandResult.failure(message or "", exit_code=code)
    if result is None or not result.has_value:
        return CommandResult.success(data={"result": None})
    if result.value is not None and not ctx.json:
        _show(ctx, result.value)
    return CommandResult.success(data={"result": json_value(result.value)})


async def interact(ctx: CommandContext, shell: str | None) -> CommandResult:
    """Open a shell with the preloaded names until the person leaves it."""
    settings = TinkerSettings.from_config(ctx.app.config, ctx.app.base_path)
    chosen = choose_shell(shell or settings.shell)
    history = HistoryFile(settings.history) if settings.history is not None else None
    if history is not None:
        try:
            history.ensure()
        except OSError as exc:
            print(
                f"tinker: no history this session ({history.path}: {exc.strerror})", file=sys.stderr
            )
            history = None
    loop = asyncio.get_running_loop()
    async with open_workspace(ctx.app, interactive=True) as ws:
        with Interrupter(loop) as interrupter:
            context = ShellContext(
                workspace=ws,
                evaluator=Evaluator(ws.namespace, interrupter),
                interrupter=interrupter,
                history=history,
                banner=banner(ws, chosen),
                loop=loop,
            )
            code = await run_shell(chosen, context)
        if code or ctx.dry_run:
            await ws.rollback()
    if code:
        return CommandResult.failure(f"tinker exited with status {code}", exit_code=code)
    return CommandResult.success()
