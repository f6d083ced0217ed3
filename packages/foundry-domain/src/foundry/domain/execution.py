"""What a programmatic command run returns: how it ended plus everything it wrote.

:class:`foundry.domain.application.CommandCaller` (``foundry-command-executor``) returns an
:class:`ExecutionResult` from ``call()``; it is a value object here so that any package can
read one (a pipeline, an HTTP route, a test) without depending on the executor.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from foundry.domain.application import CommandOutcome
from foundry.domain.commands import CommandResult, CommandStatus
from foundry.domain.outputs import OutputLine

__all__ = ["ExecutionResult"]


@dataclass(frozen=True, slots=True)
class ExecutionResult:
    """One programmatic run of a command (Laravel's ``Artisan::call`` plus ``output()``).

    Attributes:
        command: the canonical command name (the name as given when it was not found).
        exit_code: what the process would have exited with on the command line.
        output: the captured text, every stream interleaved in the order it was written.
        result: the :class:`CommandResult` the command returned (or the failure the run
            was turned into: for usage errors its ``data`` holds the error's JSON body).
        duration_ms: wall time of the run.
        error: the one-line reason of a failure, None on success.
        lines: the captured lines with the method that wrote each (``warning``, ``json``...).
        exception: the exception behind a failure, for logging; not part of equality.
    """

    command: str
    exit_code: int
    output: str
    result: CommandResult
    duration_ms: float
    error: str | None = None
    lines: tuple[OutputLine, ...] = ()
    exception: BaseException | None = field(default=None, repr=False, compare=False)

    @classmethod
    def from_outcome(
        cls, outcome: CommandOutcome, lines: tuple[OutputLine, ...]
    ) -> ExecutionResult:
        """Combine a :class:`CommandRunner`'s outcome with the lines the command wrote."""
        return cls(
            command=outcome.command,
            exit_code=int(outcome.exit_code),
            output="\n".join(line.text for line in lines),
            result=outcome.result,
            duration_ms=outcome.duration_ms,
            error=outcome.error,
            lines=lines,
            exception=outcome.exception,
        )

    @property
    def ok(self) -> bool:
        """True when the command exited 0 (a ``skipped`` result is ok too)."""
        return self.exit_code == 0

    @property
    def status(self) -> CommandStatus:
        return self.result.status

    @property
    def message(self) -> str | None:
        return self.result.message

    @property
    def data(self) -> Any:
        return self.result.data

    def json_documents(self) -> list[Any]:
        """The documents the command wrote with ``output.json()``, parsed back."""
        import json

        return [json.loads(line.text) for line in self.lines if line.kind == "json"]

    def raise_on_failure(self) -> ExecutionResult:
        """Return ``self`` when the command succeeded, raise when it did not.

        Raises:
            CommandFailedError: the command exited non-zero; it carries this result.
        """
        if not self.ok:
            from foundry.domain.errors import CommandFailedError

            raise CommandFailedError(self)
        return self

    def to_dict(self) -> dict[str, Any]:
        """The result as JSON-able data (the ``--format json`` document plus the output)."""
        return {
            "command": self.command,
            "status": self.result.status.value,
            "exit_code": self.exit_code,
            "message": self.result.message,
            "data": self.result.data,
            "error": self.error,
            "output": self.output,
            "duration_ms": round(self.duration_ms, 3),
        }
