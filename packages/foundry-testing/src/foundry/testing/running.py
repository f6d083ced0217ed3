"""``run_command``: run a console command in a test and keep everything it wrote.

The command goes through the application's :class:`~foundry.domain.application.CommandRunner`
— the path the CLI, ``call()`` and ``/invoke`` take — with a
:class:`~foundry.domain.outputs.BufferedOutput`, and the test receives an
:class:`~foundry.domain.execution.ExecutionResult`: exit code, captured output, the
command's result data::

    result = await run_command("users:prune", "--days", "30", dry_run=True)
    assert result.exit_code == 0, result.output
    assert result.data == {"pruned": 3}

Package tests that build an :class:`~foundry.domain.application.Application` themselves
(no ``app`` fixture) use :func:`capture_command`, which keeps what the command wrote to
standard output and to standard error apart, as a terminal user would see them::

    ran = await capture_command(app, "users:prune", "--days", "30", dry_run=True)
    assert ran.exit_code == 0, ran.outcome.error
    assert "3 users would be pruned" in ran.stdout
    assert ran.stderr == ""
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from foundry.domain.application import Application, CommandOutcome, CommandRunner
from foundry.domain.commands import OutputFormat, Verbosity
from foundry.domain.execution import ExecutionResult
from foundry.domain.outputs import BufferedOutput, PlainOutput

__all__ = ["CapturedCommand", "CommandRunnerHelper", "capture_command"]


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


@dataclass(frozen=True)
class CapturedCommand:
    """A finished command run and the text it wrote, standard output and standard error
    apart: tests check that errors go to stderr and data to stdout."""

    outcome: CommandOutcome
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        """Everything written: stdout, then stderr (for "it said X somewhere" checks and
        for assertion messages)."""
        return self.stdout + self.stderr

    @property
    def exit_code(self) -> int:
        return self.outcome.exit_code

    @property
    def data(self) -> Any:
        """The command's result data (what ``--format json`` prints under ``data``)."""
        return self.outcome.result.data

    @property
    def message(self) -> str | None:
        """The command's one-line result message."""
        return self.outcome.result.message


async def capture_command(
    app: Application,
    name: str,
    *argv: str,
    verbosity: Verbosity = Verbosity.NORMAL,
    **options: Any,
) -> CapturedCommand:
    """Run the command ``name`` with the command-line words ``argv`` through ``app``'s
    :class:`~foundry.domain.application.CommandRunner`, writing to a plain (undecorated)
    output whose two streams are captured.

    ``verbosity`` goes to the output (which drops messages below it) and to the runner
    (which the command reads); every other keyword (``format="json"``, ``dry_run=True``,
    ``force=True``, ``params={...}``, ``interactive``) is passed to ``CommandRunner.run``.
    Failures are not raised: the exit code and the one-line reason are in ``outcome``
    (``exit_code``, ``outcome.error``), as the runner reports them to the CLI.
    """
    out, err = io.StringIO(), io.StringIO()
    output = PlainOutput(stdout=out, stderr=err, verbosity=verbosity)
    outcome = await app.make(CommandRunner).run(
        name, list(argv), output=output, verbosity=verbosity, **options
    )
    return CapturedCommand(outcome, out.getvalue(), err.getvalue())
