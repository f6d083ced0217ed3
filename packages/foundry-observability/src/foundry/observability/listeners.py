"""Command metrics from the kernel's command events.

The kernel fires ``CommandFinished``, ``CommandFailed`` and ``CommandTerminated`` through
the bound ``EventDispatcher`` for every command run by the CLI, ``call()`` or ``/invoke``.
These listeners turn them into ``commands_total{command,status}`` and
``command_duration_seconds{command}``. A one-off console process that has nobody to
report to (no HTTP app, no shared multiprocess folder) skips them without importing
prometheus-client.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from foundry.domain.errors import ConfigurationError
from foundry.domain.events import (
    CommandFailed,
    CommandFinished,
    CommandTerminated,
    EventDispatcher,
    ListenerPriority,
)

if TYPE_CHECKING:
    from foundry.observability.runtime import Observability

__all__ = ["CommandMetricsListener"]

logger = logging.getLogger("foundry.observability")


class CommandMetricsListener:
    """Records command runs on the metrics of the :class:`Observability` it is given.

    Status is the result's status for a finished command (``success``, ``failure``,
    ``skipped``), ``error`` for one that raised and ``terminated`` for one stopped by a
    signal.

    Args:
        observability: returns the application's observability (resolved on first event).
    """

    def __init__(self, observability: Callable[[], Observability]) -> None:
        self._resolve = observability
        self._disabled = False

    def _observability(self) -> Observability | None:
        if self._disabled:
            return None
        try:
            return self._resolve()
        except ConfigurationError as exc:
            # a malformed variable: the HTTP app refuses to start over it and
            # env:validate names it; a console command is not the place to fail
            logger.debug("Command metrics are off: %s", exc.message)
            self._disabled = True
            return None

    def subscribe(self, dispatcher: EventDispatcher) -> None:
        """Listen for the three outcomes, last of all listeners (it never interferes)."""
        low = ListenerPriority.LOWEST
        dispatcher.listen(CommandFinished, self.finished, priority=low)
        dispatcher.listen(CommandFailed, self.failed, priority=low)
        dispatcher.listen(CommandTerminated, self.terminated, priority=low)

    def _observe(self, command: str, status: str, duration_ms: float) -> None:
        observability = self._observability()
        if observability is not None:
            observability.observe_command(command, status, duration_ms)

    def finished(self, event: CommandFinished) -> None:
        self._observe(event.command, event.status, event.duration_ms)

    def failed(self, event: CommandFailed) -> None:
        self._observe(event.command, "error", event.duration_ms)

    def terminated(self, event: CommandTerminated) -> None:
        self._observe(event.command, "terminated", event.duration_ms)
