"""One registered listener, and how listeners are named in logs and ``event:list``."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TypedDict

from foundry.domain.events import Event, Listener

__all__ = [
    "EventListing",
    "ListenerListing",
    "Registration",
    "event_key_name",
    "event_key_qualname",
    "qualified_name",
]

WILDCARD = "*"


class ListenerListing(TypedDict):
    """One listener as ``event:list`` shows it."""

    listener: str
    priority: int
    once: bool


class EventListing(TypedDict):
    """One event key with its listeners, highest priority first."""

    event: str
    # The dotted path of the event class; None for the ``"*"`` wildcard.
    qualname: str | None
    listeners: list[ListenerListing]


@dataclass(eq=False, slots=True)
class Registration:
    """A listener bound to one event key.

    ``sequence`` is a dispatcher-wide counter, so listeners of equal priority run in the
    order they were registered even when they sit under different keys (an ``Event``
    listener and a ``CommandFinished`` listener). ``active`` turns false when the listener
    is forgotten or a ``once`` listener has been claimed by a dispatch; a dispatch already
    iterating over a snapshot checks it before each call.
    """

    key: type[Event] | str
    listener: Listener
    priority: int
    once: bool
    sequence: int
    active: bool = True

    @property
    def order(self) -> tuple[int, int]:
        """Sort key: highest priority first, then registration order."""
        return (-self.priority, self.sequence)

    def to_listing(self) -> ListenerListing:
        return {
            "listener": qualified_name(self.listener),
            "priority": int(self.priority),
            "once": self.once,
        }


def qualified_name(listener: object) -> str:
    """``module.Qualified.name`` of a function, bound method, partial or callable object.

    Logs and ``event:list`` use it so a reader can find the listener in the source.
    """
    target = listener
    while isinstance(target, functools.partial):
        target = target.func
    module = getattr(target, "__module__", None)
    qualname = getattr(target, "__qualname__", None)
    if not isinstance(qualname, str):  # a callable instance: name its class
        cls = type(target)
        module, qualname = cls.__module__, cls.__qualname__
    return f"{module}.{qualname}" if module else qualname


def event_key_name(key: type[Event] | str) -> str:
    """The short name of an event key (``CommandFinished``, or ``*``)."""
    return key if isinstance(key, str) else key.__name__


def event_key_qualname(key: type[Event] | str) -> str | None:
    """The dotted path of an event class (None for ``*``)."""
    return None if isinstance(key, str) else f"{key.__module__}.{key.__qualname__}"
