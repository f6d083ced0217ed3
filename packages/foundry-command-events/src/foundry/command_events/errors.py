"""Errors raised by the dispatcher when it is used wrongly (never by a listener failing)."""

from __future__ import annotations

from foundry.domain.errors import FoundryError

__all__ = ["DispatchInEventLoopError", "InvalidListenerError"]


class InvalidListenerError(FoundryError, TypeError):
    """A listener, its event key or its priority is not something the dispatcher accepts.

    Raised at registration, so a typo fails where it was written instead of silently never
    being called. It is also a :class:`TypeError` for callers that expect one.
    """

    code = "INVALID_LISTENER"


class DispatchInEventLoopError(FoundryError, RuntimeError):
    """``dispatch_sync`` was called from code running inside an event loop.

    Blocking that loop until the async listeners finish would deadlock them (they need the
    very loop that is blocked), so the dispatcher refuses and names the fix: ``await
    dispatcher.dispatch(event)``. It is also a :class:`RuntimeError`.
    """

    code = "DISPATCH_IN_EVENT_LOOP"
