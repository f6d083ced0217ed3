"""``EventFake``: an :class:`~foundry.domain.events.EventDispatcher` that records.

Bound for a test (the ``events`` fixture) around the application's own dispatcher, it
keeps every event dispatched and, by default, delivers none of them — the code under test
fires ``OrderShipped`` and no listener sends the e-mail. ``pass_through(OrderShipped)``
delivers those events to their listeners as well (``pass_through()`` delivers all).
Listener registrations go to the real dispatcher and are remembered, so
``assert_listening`` sees what providers registered while booting::

    await client.post("/orders/7/ship")
    events.assert_dispatched(OrderShipped, lambda e: e.order_id == 7)
    events.assert_listening(OrderShipped, send_shipment_mail)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from foundry.domain.errors import ConfigurationError
from foundry.domain.events import Event, EventDispatcher, Listener, ListenerPriority
from foundry.testing.expectations import describe, expect_count, expect_none, subject_of

__all__ = ["EventFake"]

EventKey = type[Event] | str


@dataclass(frozen=True, slots=True)
class _Registration:
    event: EventKey
    listener: Listener
    priority: int
    once: bool


def _listener_parts(listener: Any) -> tuple[str, str]:
    target = getattr(listener, "__func__", listener)
    qualname = getattr(target, "__qualname__", None) or type(target).__qualname__
    module = getattr(target, "__module__", None) or type(target).__module__
    return module, qualname


def _listener_names(listener: Any) -> set[str]:
    module, qualname = _listener_parts(listener)
    return {qualname, f"{module}:{qualname}", f"{module}.{qualname}"}


def _listener_label(listener: Any) -> str:
    module, qualname = _listener_parts(listener)
    return f"{module}:{qualname}"


def _same_listener(registered: Any, expected: Any) -> bool:
    if registered is expected or registered == expected:
        return True
    if isinstance(expected, str):
        return expected in _listener_names(registered)
    if isinstance(expected, type):
        return isinstance(registered, expected) or registered is expected
    return False


class EventFake:
    """Implements :class:`foundry.domain.events.EventDispatcher` by recording events.

    Args:
        inner: the application's dispatcher (listeners are registered there and events
            passed through are delivered by it), or None when none is bound.
    """

    def __init__(self, inner: EventDispatcher | None = None) -> None:
        self._inner = inner
        self._registrations: list[_Registration] = []
        self._through: set[type[Event]] = set()
        self._all_through = False
        self.events: list[Event] = []

    def pass_through(self, *event_classes: type[Event]) -> EventFake:
        """Deliver these events (every event when none are given) to their listeners too.

        Raises:
            ConfigurationError: no real dispatcher is bound to deliver them.
        """
        if self._inner is None:
            raise ConfigurationError(
                "events.pass_through(): no EventDispatcher is bound to deliver events. "
                "Install foundry-command-events or bind foundry.domain.events.EventDispatcher."
            )
        if event_classes:
            self._through.update(event_classes)
        else:
            self._all_through = True
        return self

    def _delivers(self, event: Event) -> bool:
        return self._inner is not None and (
            self._all_through or any(isinstance(event, cls) for cls in self._through)
        )

    # --- the EventDispatcher contract ---------------------------------------------------

    def listen(
        self,
        event: type[Event] | str,
        listener: Listener,
        *,
        priority: int = ListenerPriority.NORMAL,
        once: bool = False,
    ) -> None:
        if self._inner is not None:
            self._inner.listen(event, listener, priority=priority, once=once)
        self._registrations.append(_Registration(event, listener, priority, once))

    def forget(self, event: type[Event] | str, listener: Listener | None = None) -> None:
        if self._inner is not None:
            self._inner.forget(event, listener)
        self._registrations = [
            r
            for r in self._registrations
            if not (r.event == event and (listener is None or r.listener == listener))
        ]

    def has_listeners(self, event: type[Event] | str) -> bool:
        if self._inner is not None:
            return self._inner.has_listeners(event)
        return any(r.event == event for r in self._registrations)

    async def dispatch(self, event: Event) -> None:
        self.events.append(event)
        if self._delivers(event):
            assert self._inner is not None
            await self._inner.dispatch(event)

    def dispatch_sync(self, event: Event) -> None:
        self.events.append(event)
        if self._delivers(event):
            assert self._inner is not None
            self._inner.dispatch_sync(event)

    # --- reading and asserting ----------------------------------------------------------

    def dispatched(
        self, kind: type[Event] | None = None, predicate: Callable[..., bool] | None = None
    ) -> list[Event]:
        """The recorded events of ``kind`` (subclasses included) matching ``predicate``."""
        found = [e for e in self.events if kind is None or isinstance(e, kind)]
        return [e for e in found if predicate is None or predicate(e)]

    def _labels(self) -> list[str]:
        return [describe(event) for event in self.events]

    def assert_dispatched(
        self,
        kind: type[Event],
        predicate: Callable[..., bool] | None = None,
        *,
        count: int | None = None,
    ) -> list[Event]:
        """Fail unless a ``kind`` event matching ``predicate`` was dispatched (``count``
        times when given); returns the matches."""
        __tracebackhide__ = True
        matches = self.dispatched(kind, predicate)
        expect_count(
            subject_of(kind, predicate, "event"), matches, count, "dispatched", self._labels()
        )
        return matches

    def assert_not_dispatched(
        self, kind: type[Event], predicate: Callable[..., bool] | None = None
    ) -> None:
        """Fail when a ``kind`` event matching ``predicate`` was dispatched."""
        __tracebackhide__ = True
        matches = self.dispatched(kind, predicate)
        expect_none(subject_of(kind, predicate, "event"), matches, "dispatched", self._labels())

    def assert_nothing_dispatched(self) -> None:
        """Fail when any event was dispatched."""
        __tracebackhide__ = True
        expect_none("any event", self.events, "dispatched", self._labels())

    def assert_listening(self, event: type[Event] | str, listener: Any) -> None:
        """Fail unless ``listener`` is registered for ``event``.

        ``listener`` is the function (or callable object) itself, its class, or its name
        (``send_mail``, ``app.listeners:send_mail`` or ``app.listeners.send_mail``).
        Registrations made through the application's dispatcher count from the moment the
        fake was bound — before providers boot when the test asks for ``events``.
        """
        __tracebackhide__ = True
        for registration in self._registrations:
            if registration.event == event and _same_listener(registration.listener, listener):
                return
        name = event.__qualname__ if isinstance(event, type) else event
        known = [
            f"{r.event.__qualname__ if isinstance(r.event, type) else r.event} -> "
            f"{_listener_label(r.listener)}"
            for r in self._registrations
        ]
        shown = "\n".join(f"  - {line}" for line in known[:20]) or "  (no listener registered)"
        raise AssertionError(
            f"Expected {describe(listener)} to listen to {name}, but it does not. "
            f"Registered listeners:\n{shown}"
        )

    def __repr__(self) -> str:
        return f"<EventFake {len(self.events)} event(s)>"
