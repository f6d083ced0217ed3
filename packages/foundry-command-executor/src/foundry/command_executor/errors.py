"""The errors of programmatic command execution (never raised for a command's own failure
by ``call()``, which reports that in its result).

A failed run turned into an exception is :class:`foundry.domain.errors.CommandFailedError`
(raised by ``ExecutionResult.raise_on_failure()``), so code that catches it needs only
foundry-domain.
"""

from __future__ import annotations

from foundry.domain.errors import FoundryError

__all__ = ["CallInEventLoopError"]


class CallInEventLoopError(FoundryError, RuntimeError):
    """``call_sync`` was called from code running inside an event loop.

    Blocking that loop until the command finishes would deadlock anything the command
    awaits on it, so the executor refuses and names the fix (``await executor.call(...)``).
    It is also a :class:`RuntimeError`.
    """

    code = "CALL_IN_EVENT_LOOP"
