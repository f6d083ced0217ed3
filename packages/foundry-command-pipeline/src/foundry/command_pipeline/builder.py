"""Chains of commands (then / on_success / on_failure / finally_) and parallel batches.

Every step runs through the application's :class:`~foundry.domain.application.CommandRunner`,
the path the CLI takes, so parameters are validated as typed input is, the lifecycle events
fire for each step, and a failing step is a result, never an exception.

Reserved keyword names: ``then()`` and the hook methods take command parameters as
keywords, except ``dry_run`` and ``force``, which are the step's global flags. A command
option with one of those names goes in the positional mapping:
``then("export", {"force": True})``.
"""

from __future__ import annotations

import inspect
import time
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from foundry.command_pipeline.errors import PipelineError
from foundry.command_pipeline.results import PHASES, Phase, PipelineResult, StepResult
from foundry.command_pipeline.steps import Step, StepSpec, to_step
from foundry.domain.application import CommandRunner
from foundry.domain.commands import OutputFormat, Verbosity
from foundry.domain.console import Output
from foundry.domain.errors import InputError

if TYPE_CHECKING:
    from foundry.domain.application import Application
    from foundry.domain.outputs import OutputLine

__all__ = ["STEP_RESERVED", "Pipeline", "pipeline"]

STEP_RESERVED: tuple[str, ...] = ("dry_run", "force")
"""Keywords of ``then()``/``on_success()``/``on_failure()``/``finally_()`` that are flags."""

BeforeStep = Callable[[Step], Any]
AfterStep = Callable[[StepResult], Any]


class Pipeline:
    """A reusable plan: main steps, then ``on_success`` or ``on_failure``, then ``finally_``.

    * Main steps run in order. With ``stop_on_error`` (the default) the first failing step
      stops the chain and the rest are reported as skipped; without it every step runs.
    * ``on_success`` steps run when every main step succeeded, ``on_failure`` steps when
      one failed (``stop_on_error`` applies inside those phases too).
    * ``finally_`` steps always run, every one of them, whatever failed before.

    The pipeline succeeds when no step that ran failed. Before anything runs, every step's
    command is looked up, so a misspelt name fails the whole run up front.

    Output: steps that run one after another (every step of :meth:`run`, and the hooks of
    :meth:`batch`) write straight to ``output`` as they go, so a long step shows its
    progress live. The concurrent steps of :meth:`batch` each write into a buffer of their
    own, written to ``output`` in one piece when the step finishes, so the lines of two
    steps never interleave; a step's captured lines are also on its
    :attr:`StepResult.lines`.

    Args:
        app: the booted application.
        stop_on_error: stop a phase at its first failing step.
        output: where the steps write (default: the application's console output).
        format: the ``--format`` the steps run with.
        verbosity: the ``-q``/``-v`` level the steps run with.
        dry_run: run every step with ``--dry-run``.
        force: run every step with ``--force``.
    """

    def __init__(
        self,
        app: Application,
        *,
        stop_on_error: bool = True,
        output: Output | None = None,
        format: OutputFormat = "human",
        verbosity: Verbosity = Verbosity.NORMAL,
        dry_run: bool = False,
        force: bool = False,
    ) -> None:
        self._app = app
        self.stop_on_error = stop_on_error
        self._output = output
        self._format: OutputFormat = format
        self._verbosity = verbosity
        self._dry_run = dry_run
        self._force = force
        self._phases: dict[Phase, list[Step]] = {phase: [] for phase in PHASES}
        self._before: list[BeforeStep] = []
        self._after: list[AfterStep] = []

    # --- building --------------------------------------------------------------------

    def then(
        self,
        command: str | Step,
        params: Mapping[str, Any] | None = None,
        /,
        *,
        dry_run: bool = False,
        force: bool = False,
        **options: Any,
    ) -> Pipeline:
        """Add a main step: a command name with its parameters, or a :class:`Step`."""
        return self._add("main", command, params, dry_run, force, options)

    def on_success(
        self,
        command: str | Step,
        params: Mapping[str, Any] | None = None,
        /,
        *,
        dry_run: bool = False,
        force: bool = False,
        **options: Any,
    ) -> Pipeline:
        """Add a step that runs only when every main step succeeded."""
        return self._add("on_success", command, params, dry_run, force, options)

    def on_failure(
        self,
        command: str | Step,
        params: Mapping[str, Any] | None = None,
        /,
        *,
        dry_run: bool = False,
        force: bool = False,
        **options: Any,
    ) -> Pipeline:
        """Add a step that runs only when a main step failed."""
        return self._add("on_failure", command, params, dry_run, force, options)

    def finally_(
        self,
        command: str | Step,
        params: Mapping[str, Any] | None = None,
        /,
        *,
        dry_run: bool = False,
        force: bool = False,
        **options: Any,
    ) -> Pipeline:
        """Add a step that always runs last (cleanup), whatever happened before."""
        return self._add("finally", command, params, dry_run, force, options)

    def before_each(self, callback: BeforeStep) -> Pipeline:
        """Call ``callback(step)`` (sync or async) before each step runs."""
        self._before.append(callback)
        return self

    def after_each(self, callback: AfterStep) -> Pipeline:
        """Call ``callback(step_result)`` (sync or async) after each step ran."""
        self._after.append(callback)
        return self

    def steps(self, phase: Phase = "main") -> tuple[Step, ...]:
        """The steps added to one phase, in order."""
        return tuple(self._phases[phase])

    def _add(
        self,
        phase: Phase,
        command: str | Step,
        params: Mapping[str, Any] | None,
        dry_run: bool,
        force: bool,
        options: Mapping[str, Any],
    ) -> Pipeline:
        if isinstance(command, Step):
            if params or options or dry_run or force:
                raise PipelineError(
                    f"{command.command}: a Step carries its own params and flags; "
                    "pass either a Step or a command name with parameters, not both."
                )
            step = command
        else:
            merged = dict(params or {})
            for key, value in options.items():
                if key in merged:
                    raise InputError(
                        key,
                        f'"{key}" was given twice for step "{command}": once in the params '
                        "mapping and once as a keyword argument; keep one.",
                    )
                merged[key] = value
            step = Step(command, merged, dry_run=dry_run, force=force)
        self._phases[phase].append(step)
        return self

    # --- running ---------------------------------------------------------------------

    async def run(self) -> PipelineResult:
        """Run the main steps in order, then the hooks; report every step.

        Raises:
            PipelineError: there is no main step.
            CommandNotFoundError: a step names no command (nothing has run).
        """
        main = self._phases["main"]
        if not main:
            raise PipelineError(
                'This pipeline has no steps: add one with .then("command") before run().'
            )
        self._check_commands(main)
        started = time.perf_counter()
        results = await self._sequence(main, "main", self.stop_on_error)
        results += await self._hooks(all(result.ok for result in results))
        return PipelineResult(tuple(results), _elapsed(started))

    async def batch(self, commands: Iterable[StepSpec], *, concurrency: int = 4) -> PipelineResult:
        """Run ``commands`` concurrently (at most ``concurrency`` at once), then the hooks.

        With ``stop_on_error``, a failure stops commands that have not started yet (they
        are reported as skipped); those already running finish. The result keeps the
        commands in the order given.

        Args:
            commands: command names, :class:`Step` objects or ``(name, params)`` pairs.
            concurrency: how many commands may run at the same time.

        Raises:
            PipelineError: no commands, a concurrency below 1, or ``then()`` steps added.
            CommandNotFoundError: a command does not exist (nothing has run).
        """
        if self._phases["main"]:
            raise PipelineError(
                "batch() runs the commands it is given, but this pipeline already has "
                "steps from then(); run() those, or build the batch on a new Pipeline."
            )
        if isinstance(concurrency, bool) or not isinstance(concurrency, int) or concurrency < 1:
            raise PipelineError(f"concurrency={concurrency!r}: give a whole number, 1 or more.")
        steps = [to_step(spec) for spec in commands]
        if not steps:
            raise PipelineError("batch() was given no commands to run.")
        self._check_commands(steps)
        started = time.perf_counter()
        results = await self._concurrently(steps, concurrency, self._grouped_output())
        results += await self._hooks(all(result.ok for result in results))
        return PipelineResult(
            tuple(results), _elapsed(started), parallel=True, concurrency=concurrency
        )

    def _check_commands(self, main: list[Step]) -> None:
        hooks = [step for phase in PHASES[1:] for step in self._phases[phase]]
        registry = self._app.commands
        for step in [*main, *hooks]:
            registry.descriptor(step.command)  # raises CommandNotFoundError with suggestions

    async def _hooks(self, succeeded: bool) -> list[StepResult]:
        phase: Phase = "on_success" if succeeded else "on_failure"
        results = await self._sequence(self._phases[phase], phase, self.stop_on_error)
        results += await self._sequence(self._phases["finally"], "finally", stop=False)
        return results

    async def _sequence(self, steps: list[Step], phase: Phase, stop: bool) -> list[StepResult]:
        results: list[StepResult] = []
        failed: StepResult | None = None
        for step in steps:
            if failed is not None:
                reason = f"not run: {failed.step.label} failed"
                results.append(StepResult.not_run(step, phase, reason))
                continue
            result = await self._execute(step, phase)
            results.append(result)
            if stop and not result.ok:
                failed = result
        return results

    def _grouped_output(self) -> Output:
        """Where the grouped output of a batch's steps goes: one output for the batch."""
        if self._output is not None:
            return self._output
        if self._app.bound(Output):
            return self._app.make(Output, verbosity=self._verbosity)
        from foundry.domain.outputs import PlainOutput

        return PlainOutput(verbosity=self._verbosity)

    async def _concurrently(
        self, steps: list[Step], concurrency: int, output: Output
    ) -> list[StepResult]:
        import asyncio

        gate = asyncio.Semaphore(concurrency)
        results: list[StepResult | None] = [None] * len(steps)
        failures: list[StepResult] = []

        async def one(index: int, step: Step) -> None:
            async with gate:
                if failures and self.stop_on_error:
                    reason = f"not started: {failures[0].step.label} failed"
                    results[index] = StepResult.not_run(step, "main", reason)
                    return
                result = await self._execute(step, "main", grouped=output)
                results[index] = result
                if not result.ok:
                    failures.append(result)

        async with asyncio.TaskGroup() as group:
            for index, step in enumerate(steps):
                group.create_task(one(index, step))
        return [result for result in results if result is not None]

    async def _execute(
        self, step: Step, phase: Phase, *, grouped: Output | None = None
    ) -> StepResult:
        """Run one step; with ``grouped``, capture its output and write it there at the end."""
        from foundry.domain.outputs import BufferedOutput

        for before in self._before:
            await _settle(before(step))
        buffer = BufferedOutput(self._verbosity) if grouped is not None else None
        outcome = await self._app.make(CommandRunner).run(
            step.command,
            step.argv,
            params=dict(step.params) or None,
            output=buffer if buffer is not None else self._output,
            format=self._format,
            dry_run=self._dry_run or step.dry_run,
            force=self._force or step.force,
            interactive=False,
            verbosity=self._verbosity,
        )
        lines: tuple[OutputLine, ...] = ()
        if buffer is not None and grouped is not None:
            buffer.replay(grouped)
            lines = buffer.lines
        result = StepResult.from_outcome(step, phase, outcome, lines)
        for after in self._after:
            await _settle(after(result))
        return result

    def __repr__(self) -> str:
        counts = ", ".join(f"{phase}={len(steps)}" for phase, steps in self._phases.items())
        return f"<Pipeline {counts}>"


def pipeline(
    app: Application,
    *,
    stop_on_error: bool = True,
    output: Output | None = None,
    format: OutputFormat = "human",
    verbosity: Verbosity = Verbosity.NORMAL,
    dry_run: bool = False,
    force: bool = False,
) -> Pipeline:
    """Start building a :class:`Pipeline`: ``await pipeline(app).then("a").then("b").run()``."""
    return Pipeline(
        app,
        stop_on_error=stop_on_error,
        output=output,
        format=format,
        verbosity=verbosity,
        dry_run=dry_run,
        force=force,
    )


async def _settle(value: Any) -> None:
    if inspect.isawaitable(value):
        await value


def _elapsed(started: float) -> float:
    return (time.perf_counter() - started) * 1000
