"""The standard library console, with readline editing, history and tab completion.

The console runs in the main thread, inside the command's coroutine: reading a line
blocks the event loop (nothing else needs it between statements, as with IPython's own
``autoawait``), and a statement with ``await`` is then awaited on that loop. Keeping the
prompt in the main thread is what lets Ctrl-C at the prompt clear the line as in the
Python REPL: signals reach the main thread only.
"""

from __future__ import annotations

import asyncio
import code
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from types import CodeType
from typing import Any

from foundry.tinker_enhanced.evaluation import FLAGS, Evaluator, remember_source, show_exception
from foundry.tinker_enhanced.history import HistoryFile
from foundry.tinker_enhanced.magics import rewrite_magics
from foundry.tinker_enhanced.shells.base import ShellContext

__all__ = ["TinkerConsole", "readline_session", "run_python"]

PREFIX = "<tinker-input"


def _exit_code(exc: SystemExit) -> int:
    if exc.code is None:
        return 0
    if isinstance(exc.code, int):
        return exc.code
    print(exc.code, file=sys.stderr)
    return 1


class TinkerConsole(code.InteractiveConsole):
    """``code.InteractiveConsole`` whose statements run on the event loop.

    The console compiles as usual (with top-level ``await`` allowed) and decides when a
    statement is complete; instead of running it at once, :meth:`runcode` hands it to
    :meth:`interact`, which awaits it.
    """

    def __init__(
        self,
        namespace: dict[str, Any],
        evaluator: Evaluator,
        write_history: Callable[[str], None] | None = None,
    ) -> None:
        super().__init__(namespace, filename=f"{PREFIX}>")
        self.compile.compiler.flags |= FLAGS
        self._evaluator = evaluator
        self._record = write_history
        self._pending: CodeType | None = None
        self._typed: list[str] = []
        self._count = 0

    def runcode(self, code: CodeType) -> None:
        """Keep the compiled statement for :meth:`interact` to await."""
        remember_source(self.filename, "\n".join(self._typed))
        self._pending = code

    def push(self, line: str) -> bool:
        """Add a line; a line starting with ``%name`` is a magic."""
        if not self.buffer:
            self._count += 1
            self.filename = f"{PREFIX}-{self._count}>"
        self._typed.append(line)
        more = super().push(rewrite_magics(line))
        if not more:
            typed, self._typed = "\n".join(self._typed), []
            if self._record is not None:
                self._record(typed)
        return more

    def discard(self) -> None:
        """Forget a statement being typed (Ctrl-C at a ``...`` prompt)."""
        self.resetbuffer()
        self._typed = []

    async def run_pending(self) -> None:
        """Run the statement :meth:`push` completed, showing what it raised."""
        pending, self._pending = self._pending, None
        if pending is None:
            return
        try:
            await self._evaluator.run_code(pending)
        except SystemExit:
            raise
        except asyncio.CancelledError:
            current = asyncio.current_task()
            if current is not None and current.cancelling():
                raise
            show_exception(asyncio.CancelledError(), PREFIX, sys.stderr)
        except BaseException as exc:  # the statement's error, KeyboardInterrupt included
            show_exception(exc, PREFIX, sys.stderr)

    async def interact_async(self, banner: str) -> int:
        """Read, run and show statements until end of input; returns the exit code
        (``exit(3)`` gives 3)."""
        print(banner, flush=True)
        more = False
        while True:
            try:
                try:
                    line = self.raw_input("... " if more else ">>> ")
                except EOFError:
                    self.write("\n")
                    return 0
                more = self.push(line)
                await self.run_pending()
            except KeyboardInterrupt:
                self.write("\nKeyboardInterrupt\n")
                self.discard()
                more = False
            except SystemExit as exc:
                return _exit_code(exc)


@contextmanager
def readline_session(namespace: dict[str, Any], history: HistoryFile | None) -> Iterator[None]:
    """Tab completion over ``namespace`` and the shared history loaded, for the block.

    Without the ``readline`` module (some builds) the console still works, without line
    editing.
    """
    try:
        import readline
        import rlcompleter
    except ImportError:
        yield
        return
    previous = readline.get_completer()
    readline.set_completer(rlcompleter.Completer(namespace).complete)
    if "libedit" in (readline.__doc__ or ""):
        readline.parse_and_bind("bind ^I rl_complete")
    else:
        readline.parse_and_bind("tab: complete")
    readline.clear_history()
    for entry in history.load() if history is not None else ():
        for line in entry.split("\n"):
            if line.strip():
                readline.add_history(line)
    try:
        yield
    finally:
        readline.set_completer(previous)
        readline.clear_history()


async def run_python(context: ShellContext) -> int:
    """Run the standard console for one tinker session."""
    history = context.history

    def record(entry: str) -> None:
        if history is None:
            return
        with suppress(OSError):  # a read-only history must not break the session
            history.append(entry)

    console = TinkerConsole(context.workspace.namespace, context.evaluator, record)
    with readline_session(context.workspace.namespace, history):
        return await console.interact_async(context.banner)
