"""ptpython, run as a coroutine on the command's event loop.

ptpython's ``run_async`` reads each line in a worker thread (prompt_toolkit runs its own
loop there) and hands it back to the calling coroutine, on the command's loop, where the
database session lives. tinker evaluates the line there with the same rules as the other
shells: a ``%name`` line becomes a call of the magic dispatcher, top-level ``await`` is
awaited on the loop, and Ctrl-C stops the statement (a busy loop as well as awaited work)
without stopping the loop. The shared history file is in ptpython's own format.
"""

from __future__ import annotations

import asyncio
import builtins
from typing import Any

from foundry.tinker_enhanced.evaluation import Evaluator
from foundry.tinker_enhanced.magics import rewrite_magics
from foundry.tinker_enhanced.shells.base import ShellContext

__all__ = ["run_ptpython"]


def _repl_class() -> type[Any]:
    from prompt_toolkit.document import Document
    from ptpython import repl, validator

    # Typed loosely on purpose: these are subclassed across ptpython versions.
    python_repl: Any = repl.PythonRepl
    python_validator: Any = validator.PythonValidator

    class MagicValidator(python_validator):  # type: ignore[misc]
        """ptpython refuses to accept a line that does not compile; a magic line is
        checked as the call it becomes."""

        def validate(self, document: Document) -> None:
            super().validate(Document(rewrite_magics(document.text)))

    class TinkerRepl(python_repl):  # type: ignore[misc]
        """``PythonRepl`` evaluating through tinker's :class:`Evaluator`."""

        def __init__(self, evaluator: Evaluator, **options: Any) -> None:
            options["_validator"] = MagicValidator(lambda: self.get_compiler_flags())
            super().__init__(**options)
            self.evaluator = evaluator

        async def eval_async(self, line: str) -> object:
            source = rewrite_magics(line)
            flags = self.get_compiler_flags()
            try:
                code = compile(source, "<stdin>", "eval", flags=flags, dont_inherit=True)
            except SyntaxError:
                code = compile(source, "<stdin>", "exec", flags=flags, dont_inherit=True)
                await self.evaluator.run_code(code)
                return None
            result = await self.evaluator.run_code(code)
            self.evaluator.namespace["_"] = result
            return result

        async def run_and_show_expression_async(self, text: str) -> Any:
            # ptpython runs the statement in a task of its own and maps Ctrl-C to
            # cancelling it, which cannot stop a busy loop; running it here lets the
            # session's interrupter raise KeyboardInterrupt in it instead.
            try:
                result = await self.eval_async(text)
            except (SystemExit, asyncio.CancelledError):
                raise
            except KeyboardInterrupt as exc:
                self._handle_keyboard_interrupt(exc)
                return None
            except BaseException as exc:  # the statement's own error
                self._handle_exception(exc)
                return None
            if result is not None:
                self._show_result(result)
            self.current_statement_index += 1
            no_signatures: list[Any] = []
            self.signatures = no_signatures
            return result

    return TinkerRepl


async def run_ptpython(context: ShellContext) -> int:
    """Run ptpython for one tinker session."""
    namespace = context.workspace.namespace
    namespace.setdefault("__builtins__", builtins)
    history = str(context.history.path) if context.history is not None else None
    repl = _repl_class()(
        context.evaluator,
        get_globals=lambda: namespace,
        get_locals=lambda: namespace,
        history_filename=history,
    )
    repl.confirm_exit = False  # Ctrl-D leaves at once, as in the other shells
    print(context.banner, flush=True)
    await repl.run_async()
    return 0
