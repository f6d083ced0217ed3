"""Events: a dispatcher contract and the events the framework itself fires.

Listeners are called in priority order (highest first). A listener that raises is logged
and the others still run: an event never breaks the code that fired it. Listeners may be
plain or ``async`` functions.
"""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar, runtime_checkable

from foundry.domain.contracts import contract

__all__ = [
    "CommandFailed",
    "CommandFinished",
    "CommandStarting",
    "CommandTerminated",
    "Event",
    "EventDispatcher",
    "Listener",
    "ListenerPriority",
]

E = TypeVar("E", bound="Event")


class Event:
    """Base of framework events. Events are matched by class (subclasses included)."""

    @property
    def event_name(self) -> str:
        return type(self).__name__


Listener = Callable[[Any], Awaitable[None] | None]


class ListenerPriority(enum.IntEnum):
    """Named priorities; any int works, higher runs first."""

    LOWEST = 0
    LOW = 250
    NORMAL = 500
    HIGH = 750
    HIGHEST = 1000


@contract("foundry-command-events")
@runtime_checkable
class EventDispatcher(Protocol):
    """Registers listeners and dispatches events to them."""

    def listen(
        self,
        event: type[Event] | str,
        listener: Listener,
        *,
        priority: int = ListenerPriority.NORMAL,
        once: bool = False,
    ) -> None:
        """Call ``listener`` for ``event`` (a class, or ``"*"`` for every event)."""
        ...

    def forget(self, event: type[Event] | str, listener: Listener | None = None) -> None:
        """Remove one listener, or all listeners of ``event``."""
        ...

    def has_listeners(self, event: type[Event] | str) -> bool: ...

    async def dispatch(self, event: Event) -> None:
        """Call every listener of ``event`` (and of its base classes) by priority."""
        ...

    def dispatch_sync(self, event: Event) -> None:
        """Dispatch from synchronous code; async listeners are run to completion."""
        ...


# --- Console command lifecycle (fired by the CLI and the command executor) -------------


@dataclass(frozen=True, slots=True)
class CommandStarting(Event):
    """A command is about to run with these raw words and parsed values."""

    command: str
    argv: Sequence[str] = ()
    arguments: Mapping[str, Any] = field(default_factory=dict)
    options: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class CommandFinished(Event):
    """A command returned (successfully or with a failure result)."""

    command: str
    exit_code: int
    duration_ms: float
    status: str = "success"


@dataclass(frozen=True, slots=True)
class CommandFailed(Event):
    """A command raised; ``error`` is the one-line message shown to the user."""

    command: str
    error: str
    exit_code: int
    duration_ms: float
    exception: BaseException | None = None


@dataclass(frozen=True, slots=True)
class CommandTerminated(Event):
    """A command was stopped by a signal (Ctrl-C, SIGTERM)."""

    command: str
    signal: str
    exit_code: int
    duration_ms: float
