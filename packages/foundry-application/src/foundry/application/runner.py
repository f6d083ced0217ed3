"""Running one command: the single path every front end (CLI, ``call()``, ``/invoke``) uses.

Parse the words, ask for prompted options, build the context, fire the lifecycle events,
run ``handle`` inside a container scope, and turn whatever happened into a
:class:`CommandOutcome`. A command's own failure never escapes as an exception.
"""

from __future__ import annotations

import inspect
import time
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from foundry.application.plain import PlainParser, PlainPrompter
from foundry.domain.application import CommandOutcome
from foundry.domain.commands import (
    CommandContext,
    CommandDescriptor,
    CommandResult,
    ExitCode,
    OutputFormat,
    Verbosity,
    normalise_result,
)
from foundry.domain.console import InputParser, Output, ParsedInput, Prompter
from foundry.domain.errors import CommandNotFoundError, FoundryError, InputError
from foundry.domain.events import (
    CommandFailed,
    CommandFinished,
    CommandStarting,
    CommandTerminated,
    Event,
    EventDispatcher,
)
from foundry.domain.outputs import PlainOutput

if TYPE_CHECKING:
    from foundry.application.kernel import Application

__all__ = ["Runner", "params_to_argv"]


def params_to_argv(descriptor: CommandDescriptor, params: Mapping[str, Any]) -> list[str]:
    """``{"name": "x", "step": 2, "force": True}`` -> ``["x", "--step", "2", "--force"]``.

    Unknown keys are refused with the same error a typed ``--key`` would get.
    """
    words: list[str] = []
    remaining = dict(params)
    for argument in descriptor.arguments:
        if argument.name in remaining:
            value = remaining.pop(argument.name)
            if value is None:
                continue
            words.extend(str(v) for v in value) if isinstance(
                value, list | tuple
            ) else words.append(str(value))
    for option in descriptor.options:
        for key in (option.dest, option.name):
            if key in remaining:
                value = remaining.pop(key)
                if value is None or (value is False and option.flag):
                    break
                if option.flag:
                    words.append(f"--{option.name}")
                elif isinstance(value, list | tuple):
                    for item in value:
                        words.append(f"--{option.name}={item}")
                else:
                    words.append(f"--{option.name}={value}")
                break
    if remaining:
        name = next(iter(remaining))
        raise InputError(name, f"unknown option --{name.replace('_', '-')}")
    return words


def _mentions(argv: Sequence[str], name: str, short: str | None) -> bool:
    for word in argv:
        if word == "--":
            return False
        if word == f"--{name}" or word.startswith(f"--{name}="):
            return True
        if short and word.startswith(f"-{short}") and not word.startswith("--"):
            return True
    return False


class Runner:
    """Implements ``foundry.domain.application.CommandRunner`` for one application."""

    def __init__(self, app: Application) -> None:
        self._app = app

    def _output(self, verbosity: Verbosity) -> Output:
        if self._app.bound(Output):
            return self._app.make(Output, verbosity=verbosity)
        return PlainOutput(verbosity=verbosity)

    def _prompter(self, interactive: bool) -> Prompter:
        if self._app.bound(Prompter):
            return self._app.make(Prompter, interactive=interactive)
        return PlainPrompter(interactive=interactive)

    def _parser(self) -> InputParser:
        if self._app.bound(InputParser):
            return self._app.make(InputParser)
        return PlainParser()

    async def _dispatch(self, event: Event) -> None:
        if self._app.bound(EventDispatcher):
            await self._app.make(EventDispatcher).dispatch(event)

    def _prompt_missing(
        self, descriptor: CommandDescriptor, argv: list[str], prompter: Prompter
    ) -> list[str]:
        """Ask for declared ``prompt`` options the user did not pass."""
        for option in descriptor.options:
            if option.prompt and not _mentions(argv, option.name, option.short):
                if option.secret:
                    answer = prompter.secret(option.prompt, field=option.name)
                else:
                    default = None if option.default is None else str(option.default)
                    answer = prompter.ask(option.prompt, default=default, field=option.name)
                argv.append(f"--{option.name}={answer}")
        return argv

    async def run(
        self,
        name: str,
        argv: Sequence[str] = (),
        *,
        params: Mapping[str, Any] | None = None,
        output: Output | None = None,
        prompt: Prompter | None = None,
        format: OutputFormat = "human",
        dry_run: bool = False,
        force: bool = False,
        interactive: bool = False,
        verbosity: Verbosity = Verbosity.NORMAL,
    ) -> CommandOutcome:
        started = time.perf_counter()

        def elapsed() -> float:
            return (time.perf_counter() - started) * 1000

        def failed(exc: FoundryError, code: int) -> CommandOutcome:
            code = int(code)  # outcomes carry plain ints, never ExitCode members
            result = CommandResult.failure(exc.message, data=exc.to_dict(), exit_code=code)
            return CommandOutcome(name, result, code, elapsed(), exc.message, exc)

        try:
            registry = self._app.commands
            descriptor = registry.descriptor(name)
            words = list(argv) + (params_to_argv(descriptor, params) if params else [])
            prompter = prompt or self._prompter(interactive)
            words = self._prompt_missing(descriptor, words, prompter)
            parsed: ParsedInput = self._parser().parse(
                descriptor.arguments, descriptor.options, words
            )
        except (CommandNotFoundError, InputError) as exc:
            return failed(exc, ExitCode.USAGE)
        except KeyboardInterrupt:
            code = int(ExitCode.INTERRUPTED)
            result = CommandResult.failure("interrupted", exit_code=code)
            return CommandOutcome(name, result, code, elapsed(), "interrupted")
        except FoundryError as exc:
            return failed(exc, ExitCode.USAGE if exc.status == 422 else ExitCode.FAILURE)

        canonical = descriptor.name
        out = output or self._output(verbosity)
        ctx = CommandContext(
            app=self._app,
            name=canonical,
            arguments=parsed.arguments,
            options=parsed.options,
            output=out,
            prompt=prompter,
            format=format,
            dry_run=dry_run,
            force=force,
            interactive=prompter.interactive,
            verbosity=verbosity,
        )
        await self._dispatch(
            CommandStarting(canonical, tuple(words), parsed.arguments, parsed.options)
        )
        try:
            with self._app.scope():
                await self._app.startup()
                command = self._app.make(registry.resolve(canonical))
                value = command.handle(ctx)
                if inspect.isawaitable(value):
                    value = await value
                result = normalise_result(value)
        except KeyboardInterrupt:
            code = int(ExitCode.INTERRUPTED)
            await self._dispatch(CommandTerminated(canonical, "SIGINT", code, elapsed()))
            result = CommandResult.failure("interrupted", exit_code=code)
            return CommandOutcome(canonical, result, code, elapsed(), "interrupted")
        except FoundryError as exc:
            code = int(ExitCode.USAGE if isinstance(exc, InputError) else ExitCode.FAILURE)
            await self._dispatch(CommandFailed(canonical, exc.message, code, elapsed(), exc))
            outcome = failed(exc, code)
            return CommandOutcome(
                canonical, outcome.result, code, outcome.duration_ms, exc.message, exc
            )
        except Exception as exc:  # a bug in the command: report it, never crash the caller
            message = f"{type(exc).__name__}: {exc}"
            code = int(ExitCode.FAILURE)
            await self._dispatch(CommandFailed(canonical, message, code, elapsed(), exc))
            result = CommandResult.failure(message, exit_code=code)
            return CommandOutcome(canonical, result, code, elapsed(), message, exc)
        # int(): a command may build CommandResult(exit_code=ExitCode.X) itself.
        code = int(result.exit_code) if result.exit_code else (0 if result.ok else 1)
        await self._dispatch(CommandFinished(canonical, code, elapsed(), result.status.value))
        error = result.message if not result.ok else None
        return CommandOutcome(canonical, result, code, elapsed(), error)
