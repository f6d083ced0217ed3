"""``run_command``: run a console command in a test and keep everything it wrote.

The command goes through the application's :class:`~foundry.domain.application.CommandRunner`
— the path the CLI, ``call()`` and ``/invoke`` take — with a
:class:`~foundry.domain.outputs.BufferedOutput`, and the test receives an
:class:`~foundry.domain.execution.ExecutionResult`: exit code, captured output, the
command's result data::

    result = await run_command("users:prune", "--days", "30", dry_run=True)
    assert result.exit_code == 0, result.output
    assert result.data == {"pruned": 3}
"""

from __future__ import annotations

from typing import Any

from foundry.domain.application import Application, CommandRunner
from foundry.domain.commands import OutputFormat, Verbosity
from foundry.domain.execution import ExecutionResult
from foundry.domain.outputs import BufferedOutput

__all__ = ["CommandRunnerHelper"]


class CommandRunnerHelper:
    """The ``run_command`` fixture: ``await run_command(name, *args, **params)``.

    Positional ``args`` are command-line words (``"--days", "30"``); keyword ``params``
    are arguments and options by name (``days=30``, ``force=True`` for a flag of the
    command). ``dry_run``, ``force``, ``format`` and ``verbosity`` are the global flags,
    as for ``CommandCaller.call``; an option with one of those names goes in ``params=``.
    """

    def __init__(self, app: Application) -> None:
        self._app = app

    async def __call__(
        self,
        name: str,
        *args: str,
        params: dict[str, Any] | None = None,
        dry_run: bool = False,
        force: bool = False,
        format: OutputFormat = "human",
        verbosity: Verbosity = Verbosity.NORMAL,
        **options: Any,
    ) -> ExecutionResult:
        buffer = BufferedOutput(verbosity)
        runner = self._app.make(CommandRunner)
        merged = {**(params or {}), **options}
        outcome = await runner.run(
            name,
            [str(arg) for arg in args],
            params=merged or None,
            output=buffer,
            format=format,
            dry_run=dry_run,
            force=force,
            interactive=False,
            verbosity=verbosity,
        )
        return ExecutionResult.from_outcome(outcome, buffer.lines)
