"""Graceful shutdown: the contract long-running commands (serve, queue:work,
schedule:work) use to stop cleanly on SIGTERM/SIGINT."""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable
from typing import Protocol, runtime_checkable

from foundry.domain.contracts import contract

__all__ = ["ShutdownCoordinator", "ShutdownPhase"]


class ShutdownPhase(enum.IntEnum):
    """Phases run in order; each phase's callbacks get the phase's timeout."""

    PRE_SHUTDOWN = 1  # stop accepting work (close listeners, stop polling)
    SHUTDOWN = 2  # finish or release in-flight work
    POST_SHUTDOWN = 3  # close pools, flush logs


ShutdownCallback = Callable[[], Awaitable[None] | None]


@contract("foundry-signal-handler")
@runtime_checkable
class ShutdownCoordinator(Protocol):
    """Traps termination signals and runs phased shutdown callbacks.

    The first SIGTERM/SIGINT starts a graceful shutdown; a second SIGINT forces exit.
    """

    def on(
        self, phase: ShutdownPhase, callback: ShutdownCallback, *, timeout: float | None = None
    ) -> None: ...

    @property
    def shutting_down(self) -> bool: ...

    @property
    def received(self) -> str | None:
        """The name of the signal that started the shutdown (``SIGTERM``), if any."""
        ...

    @property
    def exit_status(self) -> int | None:
        """The conventional exit status for that signal (128 + number: SIGTERM 143)."""
        ...

    async def wait(self) -> str:
        """Wait until a termination signal arrives; returns its name (``SIGTERM``)."""
        ...

    async def shutdown(self, reason: str = "requested") -> None:
        """Run every phase now (also what a trapped signal triggers)."""
        ...
