"""Running code the way every tinker shell does: on the application's event loop, with
top-level ``await``.

Code is compiled with ``PyCF_ALLOW_TOP_LEVEL_AWAIT``. A statement without ``await`` runs at
once; one with ``await`` compiles to a coroutine, which is awaited on the loop the command
runs on, the loop that owns the database session. So ``await db.get(Product, 1)`` works in
the standard console, in ptpython, in IPython and under ``--execute`` alike, and an
``AsyncSession`` is never touched from a loop it does not belong to.
"""

from __future__ import annotations

import ast
import asyncio
import inspect
import linecache
import traceback
from collections.abc import Awaitable
from dataclasses import dataclass
from types import CodeType, TracebackType
from typing import Any, TextIO

from foundry.tinker_enhanced.interrupts import Interrupter

__all__ = ["EXECUTE_FILENAME", "Evaluation", "Evaluator", "describe_error", "show_exception"]

EXECUTE_FILENAME = "<tinker-execute>"
FLAGS = ast.PyCF_ALLOW_TOP_LEVEL_AWAIT


@dataclass(frozen=True, slots=True)
class Evaluation:
    """What running a snippet gave.

    Attributes:
        value: the value of the snippet's final expression (None without one).
        has_value: whether the snippet ended with an expression.
    """

    value: Any = None
    has_value: bool = False


class _InterruptedInTask(Exception):
    """Carries a KeyboardInterrupt out of a task: asyncio re-raises a KeyboardInterrupt
    that escapes a task out of the event loop itself, which would end the command."""


async def _carrying_interrupts(awaitable: Awaitable[Any]) -> Any:
    try:
        return await awaitable
    except KeyboardInterrupt as exc:
        raise _InterruptedInTask from exc


def remember_source(filename: str, source: str) -> None:
    """Let tracebacks show the lines of code typed at the prompt or given to --execute."""
    lines = [line + "\n" for line in source.splitlines()]
    linecache.cache[filename] = (len(source), None, lines, filename)


class Evaluator:
    """Runs code in a namespace on the running event loop.

    Args:
        namespace: the globals the code sees (and changes).
        interrupter: when given, Ctrl-C cancels an awaited statement instead of stopping
            the command (interactive shells); ``--execute`` leaves Ctrl-C to the CLI.
    """

    def __init__(self, namespace: dict[str, Any], interrupter: Interrupter | None = None) -> None:
        self.namespace = namespace
        self._interrupter = interrupter

    async def run_code(self, code: CodeType) -> Any:
        """Run compiled code; a coroutine it makes (top-level ``await``) is awaited."""
        value = eval(code, self.namespace)  # noqa: S307 - running the user's code is the point
        if inspect.iscoroutine(value) and code.co_flags & inspect.CO_COROUTINE:
            value = await self.wait(value)
        return value

    async def wait(self, awaitable: Awaitable[Any]) -> Any:
        """Await ``awaitable``; with an interrupter, Ctrl-C cancels it and surfaces here
        as ``KeyboardInterrupt``."""
        if self._interrupter is None:
            return await awaitable
        task = asyncio.ensure_future(_carrying_interrupts(awaitable))
        with self._interrupter.watching(task):
            try:
                return await task
            except _InterruptedInTask as exc:
                raise exc.__cause__ or KeyboardInterrupt() from None
            except asyncio.CancelledError:
                current = asyncio.current_task()
                if self._interrupter.fired and (current is None or not current.cancelling()):
                    raise KeyboardInterrupt from None
                raise

    def compile_snippet(
        self, source: str, filename: str = EXECUTE_FILENAME
    ) -> tuple[CodeType, CodeType | None]:
        """Compile ``source`` as a module whose final expression is kept apart.

        Returns:
            The code of every statement but a final expression, and the code of that
            expression (None when the snippet does not end with one).

        Raises:
            SyntaxError: the code does not compile.
        """
        tree = ast.parse(source, filename, "exec")
        final: ast.Expression | None = None
        last = tree.body[-1] if tree.body else None
        if isinstance(last, ast.Expr):
            tree.body.pop()
            final = ast.Expression(last.value)
        body = compile(tree, filename, "exec", flags=FLAGS, dont_inherit=True)
        expression = (
            compile(final, filename, "eval", flags=FLAGS, dont_inherit=True)
            if final is not None
            else None
        )
        return body, expression

    async def run_snippet(self, source: str, filename: str = EXECUTE_FILENAME) -> Evaluation:
        """Run a whole snippet (``--execute``) and return its final expression's value.

        Raises:
            SyntaxError: the snippet does not compile (nothing ran).
            BaseException: whatever the snippet raised.
        """
        remember_source(filename, source)
        body, expression = self.compile_snippet(source, filename)
        await self.run_code(body)
        if expression is None:
            return Evaluation()
        return Evaluation(await self.run_code(expression), True)


def _frames_from(tb: TracebackType | None, prefix: str) -> TracebackType | None:
    """The traceback from the first frame of code typed by the user on."""
    start = tb
    while start is not None and not start.tb_frame.f_code.co_filename.startswith(prefix):
        start = start.tb_next
    return start if start is not None else tb


def show_exception(exc: BaseException, prefix: str, stream: TextIO) -> None:
    """Print ``exc`` as the Python REPL does, without tinker's own frames."""
    if isinstance(exc, KeyboardInterrupt):
        stream.write("KeyboardInterrupt\n")
        return
    if isinstance(exc, SyntaxError):
        lines = traceback.format_exception_only(type(exc), exc)
    else:
        tb = _frames_from(exc.__traceback__, prefix)
        lines = traceback.format_exception(type(exc), exc, tb)
    stream.write("".join(lines))
    stream.flush()


def describe_error(exc: BaseException, filename: str = EXECUTE_FILENAME) -> str:
    """One line naming the error and where in the snippet it happened."""
    where = "the --execute code"
    if isinstance(exc, SyntaxError):
        place = f"line {exc.lineno}" if exc.lineno else "the code"
        if exc.lineno and exc.offset:
            place += f", column {exc.offset}"
        return f"SyntaxError: {exc.msg} ({place} of {where})"
    message = " ".join(str(exc).split())
    text = f"{type(exc).__name__}: {message}" if message else type(exc).__name__
    line = None
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == filename:
            line = tb.tb_lineno
        tb = tb.tb_next
    return f"{text} (line {line} of {where})" if line else f"{text} (in {where})"
