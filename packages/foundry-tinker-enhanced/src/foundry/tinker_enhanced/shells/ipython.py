"""IPython, with its cells run on the command's event loop.

IPython's prompt (prompt_toolkit) starts an event loop of its own for every line it
reads, which cannot happen in a thread whose loop is already running, as the command's
is. So IPython runs in a worker thread, and its ``loop_runner`` (the documented hook for
running ``autoawait`` cells) hands each cell to the command's loop in the main thread and
waits: every cell, with or without ``await``, runs there, next to the database session.
Its history goes to the shared tinker history file, and ``%routes``, ``%commands`` and
``%config`` are registered as line magics (``%config`` replaces IPython's own).
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable, Coroutine
from typing import Any

from foundry.tinker_enhanced.interrupts import Interrupted
from foundry.tinker_enhanced.shells.base import ShellContext

__all__ = ["run_ipython"]


def _shell_class() -> type[Any]:
    from IPython.terminal import interactiveshell

    terminal_shell: Any = interactiveshell.TerminalInteractiveShell

    class TinkerIPythonShell(terminal_shell):  # type: ignore[misc]
        """Runs every cell through ``loop_runner``, so that a cell without ``await``
        also runs in the main thread, on the command's loop."""

        def should_run_async(
            self,
            raw_cell: str,
            *,
            transformed_cell: str | None = None,
            preprocessing_exc_tuple: Any = None,
        ) -> bool:
            return bool(self.autoawait) and preprocessing_exc_tuple is None

    return TinkerIPythonShell


def _session(context: ShellContext) -> None:
    """The IPython session, in the worker thread."""
    from IPython.terminal import ipapp
    from traitlets.config import Config

    load_default_config: Any = ipapp.load_default_config

    loop = context.loop
    evaluator = context.evaluator

    async def cell(coroutine: Coroutine[Any, Any, Any]) -> Any:
        try:
            return await evaluator.wait(coroutine)
        except KeyboardInterrupt as exc:
            # Raised here it would leave the task and stop the loop; as an ordinary
            # exception it reaches IPython in the worker thread, which shows it.
            raise Interrupted("KeyboardInterrupt") from exc

    def runner(coroutine: Coroutine[Any, Any, Any]) -> Any:
        return asyncio.run_coroutine_threadsafe(cell(coroutine), loop).result()

    config = load_default_config()  # the person's own IPython profile (colours, keys)
    ours = Config()
    ours.HistoryManager.hist_file = ":memory:"  # the shared file below keeps history
    ours.TerminalInteractiveShell.confirm_exit = False
    ours.TerminalInteractiveShell.banner1 = context.banner + "\n"
    ours.TerminalInteractiveShell.banner2 = ""
    ours.TerminalInteractiveShell.enable_tip = False
    config.merge(ours)
    shell_class = _shell_class()
    shell = shell_class.instance(config=config, user_ns=context.workspace.namespace)
    try:
        shell.loop_runner = runner
        shell.autoawait = True
        shell.register_magics(_magics_class(context.workspace.magics.reporting)(shell))
        shell.set_custom_exc(
            (KeyboardInterrupt, asyncio.CancelledError), _interrupt_handler(context)
        )
        _share_history(shell, context)
        shell.show_banner()
        shell.mainloop()
    finally:
        shell_class.clear_instance()


def _magics_class(reporting: Callable[[str, str], Any]) -> type[Any]:
    from IPython.core import magic

    magics: Any = magic.Magics
    line_magic: Any = magic.line_magic

    @magic.magics_class
    class TinkerMagics(magics):  # type: ignore[misc]
        """tinker's magics as IPython line magics (methods are prefixed: ``config`` is a
        trait name of every IPython configurable)."""

        def tinker_routes(self, line: str) -> Any:
            """%routes [TEXT]: the HTTP routes (method, path, name)."""
            return reporting("routes", line)

        def tinker_commands(self, line: str) -> Any:
            """%commands [TEXT]: the console commands."""
            return reporting("commands", line)

        def tinker_config(self, line: str) -> Any:
            """%config [KEY]: a configuration value or section, secrets masked."""
            return reporting("config", line)

        # line_magic records each method under its magic name for magics_class.
        line_magic("routes")(tinker_routes)
        line_magic("commands")(tinker_commands)
        line_magic("config")(tinker_config)

    return TinkerMagics


def _interrupt_handler(context: ShellContext) -> Callable[..., Any]:
    """Show a statement stopped by Ctrl-C as ``KeyboardInterrupt``, as the other shells
    do (its traceback would end in tinker's signal handler); a cancellation that Ctrl-C
    did not cause keeps its traceback."""

    def handler(shell: Any, etype: Any, value: Any, tb: Any, tb_offset: Any = None) -> None:
        if issubclass(etype, KeyboardInterrupt) or context.interrupter.fired:
            print("KeyboardInterrupt", file=sys.stderr)
            return
        shell.showtraceback((etype, value, tb), tb_offset=tb_offset)

    return handler


def _share_history(shell: Any, context: ShellContext) -> None:
    """Point the prompt's history at the shared tinker history file."""
    if context.history is None or getattr(shell, "pt_app", None) is None:
        return  # no history, or IPython's plain prompt (no terminal)
    from prompt_toolkit.history import FileHistory

    shell.pt_app.default_buffer.history = FileHistory(str(context.history.path))


async def run_ipython(context: ShellContext) -> int:
    """Run IPython for one tinker session (in a worker thread, cells on this loop)."""
    saved = sys.displayhook, sys.excepthook, sys.modules.get("__main__")
    try:
        await asyncio.to_thread(_session, context)
    finally:
        sys.displayhook, sys.excepthook = saved[0], saved[1]
        if saved[2] is not None:
            sys.modules["__main__"] = saved[2]
    return 0
