"""The queued form of a command run (what ``Executor.queue_call`` dispatches)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from foundry.command_executor.executor import Executor
from foundry.domain.commands import ExitCode
from foundry.domain.errors import CommandFailedError
from foundry.domain.queue import Job, PermanentJobFailure

__all__ = ["RunCommand"]

log = logging.getLogger("foundry.command_executor")


@dataclass
class RunCommand(Job):
    """Run one command on a queue worker.

    The payload is all a worker needs: the canonical command name, its parameters (JSON,
    checked at dispatch), and the ``--dry-run``/``--force`` flags. The worker rebuilds the
    job with ``RunCommand(**payload)`` and calls :meth:`handle` with the application's
    :class:`Executor`. A run that exits non-zero raises, so the queue counts a failed
    attempt and retries it (``tries`` attempts, waiting ``backoff`` seconds between them);
    a run that exits 2 is a usage error, the same on every attempt, so the job fails at
    once instead. Subclass to tune delivery (``tries``, ``backoff``, ``timeout``, ``queue``).
    """

    command: str
    params: dict[str, Any] = field(default_factory=dict)
    dry_run: bool = False
    force: bool = False

    tries = 3
    backoff = (10, 60)

    async def handle(self, executor: Executor) -> None:
        """Run the command; log its output; raise when it fails.

        Raises:
            PermanentJobFailure: the command exited 2 (unknown option, bad value, missing
                argument): the parameters are wrong and no retry can succeed. The
                :class:`CommandFailedError` with the whole run is its ``__cause__``.
            CommandFailedError: the command exited non-zero otherwise, and may succeed on
                a retry (its error and captured output are on the exception's ``result``).
        """
        result = await executor.call(
            self.command, dict(self.params), dry_run=self.dry_run, force=self.force
        )
        for line in result.lines:
            log.debug("%s: %s", self.command, line.text)
        try:
            result.raise_on_failure()
        except CommandFailedError as exc:
            if result.exit_code == ExitCode.USAGE:
                raise PermanentJobFailure(
                    f"{exc.message.rstrip('.')}. A usage error fails the same way on every "
                    "attempt, so the job is not retried: fix the parameters and queue it again.",
                    context=exc.context,
                ) from exc
            raise
        log.info(
            'queued command "%s" finished with exit code %d in %.1f ms',
            self.command,
            result.exit_code,
            result.duration_ms,
        )
