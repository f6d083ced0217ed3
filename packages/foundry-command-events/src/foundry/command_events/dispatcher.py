"""The event dispatcher: prioritised, isolated, sync and async listeners.

A listener is registered for an event class (it also hears every subclass, so a listener
on :class:`~foundry.domain.events.Event` hears everything) or for ``"*"`` (every event).
Dispatch calls the matching listeners one after another, highest priority first and, on
equal priority, in registration order. A listener that raises is logged on the
``foundry.events`` logger and the next listener still runs: firing an event never breaks
the code that fired it.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from foundry.command_events.errors import DispatchInEventLoopError, InvalidListenerError
from foundry.command_events.listeners import (
    WILDCARD,
    EventListing,
    Registration,
    event_key_name,
    event_key_qualname,
    qualified_name,
)
from foundry.domain.events import Event, Listener, ListenerPriority

__all__ = ["Dispatcher"]

L = TypeVar("L", bound=Callable[..., Any])

EventKey = type[Event] | str


class Dispatcher:
    """Implements :class:`foundry.domain.events.EventDispatcher`.

    Registration and the claiming of ``once`` listeners are guarded by a lock, so the
    dispatcher may be shared between threads (``dispatch_sync`` from a worker thread) as
    well as between asyncio tasks.

    Args:
        logger: where failing listeners are reported; ``foundry.events`` by default.
    """

    def __init__(self, *, logger: logging.Logger | None = None) -> None:
        self._listeners: dict[EventKey, list[Registration]] = {}
        self._sequence = itertools.count()
        self._lock = threading.Lock()
        self._logger = logger or logging.getLogger("foundry.events")

    # --- registration ------------------------------------------------------------------

    def listen(
        self,
        event: EventKey,
        listener: Listener,
        *,
        priority: int = ListenerPriority.NORMAL,
        once: bool = False,
    ) -> None:
        """Call ``listener`` for ``event`` (a class, or ``"*"`` for every event).

        Args:
            event: an :class:`Event` subclass (its subclasses match too) or ``"*"``.
            listener: a function or coroutine function taking the event.
            priority: any int; higher runs first (see :class:`ListenerPriority`).
            once: remove the listener after its first call, even when two dispatches race.

        Raises:
            InvalidListenerError: ``event`` is neither an Event class nor ``"*"``, the
                listener is not callable, or the priority is not an int.
        """
        key = _checked_key(event)
        if not callable(listener):
            raise InvalidListenerError(
                f"Listener for {event_key_name(key)} is a {type(listener).__name__}, "
                "not a callable; pass a function or coroutine function taking the event."
            )
        if isinstance(priority, bool) or not isinstance(priority, int):
            raise InvalidListenerError(
                f"Priority {priority!r} of listener {qualified_name(listener)} is not an int; "
                "use a ListenerPriority member or any integer (higher runs first)."
            )
        with self._lock:
            registration = Registration(key, listener, int(priority), once, next(self._sequence))
            self._listeners.setdefault(key, []).append(registration)

    def on(
        self,
        event: EventKey,
        *,
        priority: int = ListenerPriority.NORMAL,
        once: bool = False,
    ) -> Callable[[L], L]:
        """Decorator form of :meth:`listen`; returns the function unchanged.

        ``@dispatcher.on(CommandFinished, priority=ListenerPriority.HIGH)`` keeps the
        registration next to the listener it registers.
        """

        def register(listener: L) -> L:
            self.listen(event, listener, priority=priority, once=once)
            return listener

        return register

    def forget(self, event: EventKey, listener: Listener | None = None) -> None:
        """Remove one listener of ``event``, or all of them when ``listener`` is None.

        Only the exact key is touched: forgetting ``CommandFinished`` leaves listeners on
        ``Event`` in place. A forgotten listener is not called by a dispatch already in
        progress either. Forgetting something never registered does nothing.
        """
        key = _checked_key(event)
        with self._lock:
            registrations = self._listeners.get(key, [])
            removed = [r for r in registrations if listener is None or r.listener == listener]
            for registration in removed:
                registration.active = False
            kept = [r for r in registrations if r.active]
            if kept:
                self._listeners[key] = kept
            else:
                self._listeners.pop(key, None)

    def has_listeners(self, event: EventKey) -> bool:
        """Whether dispatching ``event`` would call anyone.

        For a class this counts listeners on the class, on its base classes and on
        ``"*"``; for ``"*"`` it counts only wildcard listeners.
        """
        key = _checked_key(event)
        with self._lock:
            keys = (WILDCARD,) if isinstance(key, str) else _keys_of(key)
            return any(self._listeners.get(k) for k in keys)

    # --- dispatch ----------------------------------------------------------------------

    async def dispatch(self, event: Event) -> None:
        """Call every listener of ``event`` (and of its base classes) by priority.

        Async listeners are awaited in turn, so a higher-priority listener has finished
        before the next one starts.
        """
        for registration in self._snapshot(event):
            if not self._claim(registration):
                continue
            pending = self._call(registration, event)
            if pending is None:
                continue
            try:
                await pending
            except Exception:
                self._report(registration, event)

    def dispatch_sync(self, event: Event) -> None:
        """Dispatch from synchronous code; async listeners are run to completion.

        With no event loop running in this thread, async listeners run on a private loop
        created for this dispatch (only if one is needed) and closed afterwards.

        Calling this while an event loop is running in this thread is refused: waiting here
        for the async listeners would block the loop they need to make progress (a
        deadlock), and running them on another loop would hand them resources (connections,
        locks) bound to the wrong loop. Use ``await dispatcher.dispatch(event)`` there.

        Raises:
            DispatchInEventLoopError: an event loop is running in this thread.
        """
        import asyncio

        try:
            asyncio.get_running_loop()
        except RuntimeError:
            pass
        else:
            raise DispatchInEventLoopError(
                f"dispatch_sync({event.event_name}) was called while an event loop is running "
                "in this thread; use `await dispatcher.dispatch(event)` from async code."
            )
        runner: asyncio.Runner | None = None
        try:
            for registration in self._snapshot(event):
                if not self._claim(registration):
                    continue
                pending = self._call(registration, event)
                if pending is None:
                    continue
                if runner is None:
                    runner = asyncio.Runner()
                try:
                    runner.run(_completion(pending))
                except Exception:
                    self._report(registration, event)
        finally:
            if runner is not None:
                runner.close()

    # --- introspection -----------------------------------------------------------------

    def listeners(self, event: EventKey) -> list[Listener]:
        """The listeners registered under exactly ``event``, in the order they would run."""
        key = _checked_key(event)
        with self._lock:
            registrations = sorted(self._listeners.get(key, []), key=lambda r: r.order)
        return [r.listener for r in registrations]

    def describe(self) -> list[EventListing]:
        """Every event key with its listeners in priority order (what ``event:list`` shows).

        ``"*"`` comes first, then event classes by name. Listeners are named by their
        qualified name (``myapp.listeners.audit_command``).
        """
        with self._lock:
            entries = [
                (key, sorted(regs, key=lambda r: r.order))
                for key, regs in self._listeners.items()
                if regs
            ]
        entries.sort(key=lambda item: (item[0] != WILDCARD, event_key_name(item[0])))
        return [
            {
                "event": event_key_name(key),
                "qualname": event_key_qualname(key),
                "listeners": [r.to_listing() for r in regs],
            }
            for key, regs in entries
        ]

    # --- internals ---------------------------------------------------------------------

    def _snapshot(self, event: Event) -> list[Registration]:
        """The matching registrations, ordered, copied so listeners may (un)register freely."""
        with self._lock:
            found = [
                registration
                for key in _keys_of(type(event))
                for registration in self._listeners.get(key, ())
            ]
        found.sort(key=lambda r: r.order)
        return found

    def _claim(self, registration: Registration) -> bool:
        """Whether to call this registration now; a ``once`` listener is claimed only once.

        Claiming happens before the listener runs and without awaiting, so of two racing
        dispatches (tasks or threads) exactly one calls a ``once`` listener.
        """
        with self._lock:
            if not registration.active:
                return False
            if registration.once:
                registration.active = False
                regs = self._listeners.get(registration.key)
                if regs is not None:
                    regs.remove(registration)
                    if not regs:
                        del self._listeners[registration.key]
            return True

    def _call(self, registration: Registration, event: Event) -> Awaitable[Any] | None:
        """Call the listener; returns what must still be awaited (async listeners)."""
        try:
            result = registration.listener(event)
        except Exception:
            self._report(registration, event)
            return None
        return result if isinstance(result, Awaitable) else None

    def _report(self, registration: Registration, event: Event) -> None:
        name = qualified_name(registration.listener)
        self._logger.exception(
            "Listener %s failed while handling %s; the remaining listeners still run.",
            name,
            event.event_name,
            extra={"event_name": event.event_name, "listener": name},
        )

    def __repr__(self) -> str:
        with self._lock:
            count = sum(len(regs) for regs in self._listeners.values())
        return f"<Dispatcher {count} listener(s) on {len(self._listeners)} event(s)>"


async def _completion(pending: Awaitable[Any]) -> None:
    await pending


def _keys_of(cls: type[Event]) -> tuple[EventKey, ...]:
    """The keys whose listeners hear an event of ``cls``: its Event classes, then ``*``."""
    return (*(c for c in cls.__mro__ if isinstance(c, type) and issubclass(c, Event)), WILDCARD)


def _checked_key(event: object) -> EventKey:
    if event == WILDCARD:
        return WILDCARD
    if isinstance(event, type) and issubclass(event, Event):
        return event
    shown = event if isinstance(event, str) else type(event).__name__
    raise InvalidListenerError(
        f"Cannot listen to {shown!r}: pass an Event subclass (e.g. CommandFinished) "
        f'or "*" for every event.'
    )
