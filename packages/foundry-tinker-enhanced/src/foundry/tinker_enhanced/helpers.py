"""Functions a tinker session starts with beside the app: ``make``, ``call``, ``routes``
and ``commands``."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from foundry.domain.application import Application, CommandRunner
from foundry.domain.commands import Verbosity
from foundry.domain.console import Output
from foundry.domain.outputs import PlainOutput
from foundry.tinker_enhanced.magics import Magics

__all__ = ["Helpers", "terminal_output"]


def terminal_output(app: Application) -> Output:
    """The app's Output (styled when foundry-console is installed), to the terminal."""
    if app.bound(Output):
        output: Output = app.make(Output, verbosity=Verbosity.NORMAL)
        return output
    return PlainOutput(sys.stdout, sys.stderr)


class Helpers:
    """Functions preloaded beside the app: ``make``, ``call``, ``routes``, ``commands``.

    Args:
        app: the booted application.
        magics: the session's magics (``routes``/``commands`` are their function form).
        output: makes the Output a command run by :meth:`call` writes to.
    """

    def __init__(self, app: Application, magics: Magics, output: Callable[[], Output]) -> None:
        self._app = app
        self._magics = magics
        self._output = output

    def make(self, abstract: Any, **parameters: Any) -> Any:
        """Resolve a service from the container (``make(Cache)``, ``make("config")``)."""
        return self._app.make(abstract, **parameters)

    async def call(self, name: str, *words: Any, **params: Any) -> int:
        """Run a console command here (``await call("migrate:status")``) and return its
        exit code; it writes to the terminal as it would from the shell."""
        output = self._output()
        outcome = await self._app.make(CommandRunner).run(
            name, [str(word) for word in words], params=params or None, output=output
        )
        if not outcome.ok:
            output.error(f"Error: {outcome.error or outcome.result.message}")
        elif outcome.result.message:
            output.success(outcome.result.message)
        return outcome.exit_code

    def names(self) -> dict[str, Any]:
        """The helpers by the names the session knows them by."""
        return {
            "make": self.make,
            "call": self.call,
            "routes": self._magics.routes,
            "commands": self._magics.commands,
        }
