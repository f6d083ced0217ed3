"""The errors of programmatic command execution (never raised for a command's own failure
by ``call()``, which reports that in its result)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from foundry.domain.errors import CommandError, FoundryError

if TYPE_CHECKING:
    from foundry.command_executor.result import ExecutionResult

__all__ = ["CallInEventLoopError", "CommandExecutionError", "OutputWriteError"]


class CallInEventLoopError(FoundryError, RuntimeError):
    """``call_sync`` was called from code running inside an event loop.

    Blocking that loop until the command finishes would deadlock anything the command
    awaits on it, so the executor refuses and names the fix (``await executor.call(...)``).
    It is also a :class:`RuntimeError`.
    """

    code = "CALL_IN_EVENT_LOOP"


class CommandExecutionError(CommandError):
    """A command run through ``call()`` or a queued ``RunCommand`` exited non-zero.

    Raised by :meth:`ExecutionResult.raise_on_failure` (the queued job uses it so that the
    queue records the failure and retries); ``result`` holds the whole run, output included.
    """

    code = "COMMAND_EXECUTION_FAILED"

    def __init__(self, result: ExecutionResult) -> None:
        reason = result.error or result.message or "no reason given"
        super().__init__(
            f'Command "{result.command}" failed with exit code {result.exit_code}: {reason}',
            context={"command": result.command, "exit_code": result.exit_code},
        )
        self.result = result


class OutputWriteError(FoundryError, ValueError):
    """A command asked ``BufferedOutput.json()`` to record data that is not JSON."""

    code = "OUTPUT_NOT_JSON"
