"""Running commands from code: Laravel's ``Artisan::call`` and ``Artisan::queue``.

The executor adds no second way of running a command: it hands the name and parameters to
the application's :class:`~foundry.domain.application.CommandRunner`, the same path the CLI
and ``/invoke`` take, so parameters are validated exactly as typed input is, the lifecycle
events fire, and a command's failure comes back as a result instead of an exception.

Reserved keyword names. Command parameters are passed as keywords
(``call("migrate", step=2)``); a few keyword names are taken by the call itself:

* ``call`` / ``call_sync``: ``dry_run``, ``force``, ``format`` (the global ``--dry-run``,
  ``--force`` and ``--format`` flags, as on the command line, where ``--force`` is always the
  global flag) and ``verbosity`` (``-q``/``-v``).
* ``queue_call``: ``dry_run``, ``force``, and the delivery options ``on_queue``,
  ``on_connection`` and ``delay``.

``name`` and ``params`` are positional-only, so ``call("user:create", name="ada")`` passes
a command argument called ``name``. A command option whose name is reserved goes in the
positional mapping instead: ``call("export:users", {"format": "csv"})``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from foundry.command_executor.errors import CallInEventLoopError
from foundry.command_executor.params import (
    check_format,
    check_verbosity,
    merge_params,
    queueable_params,
)
from foundry.domain.application import CommandOutcome, CommandRunner
from foundry.domain.commands import CommandResult, ExitCode, OutputFormat, Verbosity
from foundry.domain.contracts import unbound_message
from foundry.domain.errors import BindingResolutionError, InputError
from foundry.domain.queue import QueueDispatcher

if TYPE_CHECKING:
    import asyncio

    from foundry.domain.application import Application
    from foundry.domain.execution import ExecutionResult

__all__ = ["Executor"]


class Executor:
    """Runs commands by name from code, capturing what they write.

    Implements :class:`foundry.domain.application.CommandCaller`. One per application (the
    provider binds it as a singleton, under both names); resolve it with
    ``app.make(CommandCaller)``, or ``app.make(Executor)`` for :meth:`call_sync` and
    :meth:`close`. Each call gets its own output buffer, so concurrent calls never mix
    their output; the only thing kept between calls is the event loop of :meth:`call_sync`.

    Args:
        app: the booted application whose commands are run.
    """

    def __init__(self, app: Application) -> None:
        self._app = app
        self._sync_lock = threading.Lock()
        self._sync_runner: asyncio.Runner | None = None

    async def call(
        self,
        name: str,
        params: Mapping[str, Any] | None = None,
        /,
        *,
        dry_run: bool = False,
        force: bool = False,
        format: OutputFormat = "human",
        verbosity: Verbosity | int = Verbosity.NORMAL,
        **options: Any,
    ) -> ExecutionResult:
        """Run ``name`` and return its exit code, captured output and result.

        As :meth:`foundry.domain.application.CommandCaller.call` describes (its arguments
        are documented there). The output is captured by a
        :class:`~foundry.domain.outputs.BufferedOutput` of this call's own; ``verbosity``
        may also be its number (0 quiet .. 4 debug), and anything else is a usage error.
        """
        from foundry.domain.execution import ExecutionResult
        from foundry.domain.outputs import BufferedOutput

        started = time.perf_counter()
        try:
            merged = merge_params(name, params, options)
            check_format(name, format)
            level = check_verbosity(verbosity)
        except InputError as exc:
            return ExecutionResult.from_outcome(_usage_outcome(name, exc, started), ())
        buffer = BufferedOutput(level)
        outcome = await self._app.make(CommandRunner).run(
            name,
            params=merged,
            output=buffer,
            format=format,
            dry_run=dry_run,
            force=force,
            interactive=False,
            verbosity=level,
        )
        return ExecutionResult.from_outcome(outcome, buffer.lines)

    def call_sync(
        self,
        name: str,
        params: Mapping[str, Any] | None = None,
        /,
        *,
        dry_run: bool = False,
        force: bool = False,
        format: OutputFormat = "human",
        verbosity: Verbosity | int = Verbosity.NORMAL,
        **options: Any,
    ) -> ExecutionResult:
        """:meth:`call` for synchronous code (a script, a thread without an event loop).

        Every ``call_sync`` of this executor runs on one private event loop, kept between
        calls, so what the application opened on it at start-up (connection pools bound
        to a loop) still works for the next call; :meth:`close` shuts it down. Calls from
        several threads take turns on that loop.

        Raises:
            CallInEventLoopError: an event loop is running in this thread; blocking it
                would deadlock whatever the command awaits, so ``await executor.call(...)``
                there instead.
        """
        import asyncio

        _refuse_in_loop(
            f'call_sync("{name}") was called while an event loop is running in this '
            f'thread; write `await executor.call("{name}", ...)` there instead.'
        )
        with self._sync_lock:
            if self._sync_runner is None:
                self._sync_runner = asyncio.Runner()
            return self._sync_runner.run(
                self.call(
                    name,
                    params,
                    dry_run=dry_run,
                    force=force,
                    format=format,
                    verbosity=verbosity,
                    **options,
                )
            )

    def close(self) -> None:
        """Shut down the private event loop of :meth:`call_sync`, if one was started.

        Call it when a script is done with the executor (a later ``call_sync`` starts a
        new loop); without a loop started it does nothing.

        Raises:
            CallInEventLoopError: a ``call_sync`` loop exists and this thread is running
                another event loop (shutting a loop down needs to run it).
        """
        with self._sync_lock:
            runner = self._sync_runner
            if runner is None:
                return
            _refuse_in_loop(
                "Executor.close() was called while an event loop is running in this "
                "thread; call it from synchronous code, after the last call_sync()."
            )
            self._sync_runner = None
        runner.close()

    async def queue_call(
        self,
        name: str,
        params: Mapping[str, Any] | None = None,
        /,
        *,
        dry_run: bool = False,
        force: bool = False,
        on_queue: str | None = None,
        on_connection: str | None = None,
        delay: float = 0,
        **options: Any,
    ) -> str:
        """Queue a run of ``name`` (a :class:`~foundry.command_executor.RunCommand` job).

        As :meth:`foundry.domain.application.CommandCaller.queue_call` describes (its
        arguments, return value and errors are documented there). The job stores the
        canonical command name and the parameters as JSON; a worker runs it through this
        executor, and it fails when the command exits non-zero: retried, unless it exited 2
        (a usage error, which no retry can fix).
        """
        from foundry.command_executor.job import RunCommand

        merged = merge_params(name, params, options)
        descriptor = self._app.commands.descriptor(name)
        payload = queueable_params(descriptor, merged)
        if not self._app.bound(QueueDispatcher):
            raise BindingResolutionError(
                f'queue_call("{name}") needs a queue. ' + unbound_message(QueueDispatcher)
            )
        job = RunCommand(command=descriptor.name, params=payload, dry_run=dry_run, force=force)
        dispatcher = self._app.make(QueueDispatcher)
        return await dispatcher.dispatch(job, queue=on_queue, delay=delay, connection=on_connection)

    def __repr__(self) -> str:
        return f"<Executor for {self._app!r}>"


def _usage_outcome(name: str, exc: InputError, started: float) -> CommandOutcome:
    """A call refused before it reached the kernel, reported the way the kernel would."""
    code = int(ExitCode.USAGE)
    result = CommandResult.failure(exc.message, data=exc.to_dict(), exit_code=code)
    elapsed = (time.perf_counter() - started) * 1000
    return CommandOutcome(name, result, code, elapsed, exc.message, exc)


def _refuse_in_loop(message: str) -> None:
    import asyncio

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return
    raise CallInEventLoopError(message)
