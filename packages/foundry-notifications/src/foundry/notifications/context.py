"""Which application ``user.notify()`` sends through, when the caller does not say.

``await notify(app, user, notification)`` is the primitive: it names the app. The
``Notifiable`` mixin and on-demand routes have no app at hand, so they ask, in order:

1. the ``app=`` argument, when given;
2. the *current application*: a :mod:`contextvars` variable, set

   * for each HTTP request, by this package's middleware (so two apps served in one
     process never see each other's);
   * for each queued notification a worker delivers;
   * for a block of code by ``with using_app(app):`` (scripts, tests, other workers);
   * when an app boots, in the booting thread's context — which is what a console
     command, ``queue:work`` or a script that boots an app and then calls
     ``asyncio.run(...)`` runs in (asyncio copies the context into its tasks).

A context variable rather than a module global: each request, task and thread sees its
own value, and a value set inside a block is undone when the block ends. With none set,
the error says the three ways to give one.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from foundry.notifications.exceptions import NotificationConfigurationError

if TYPE_CHECKING:
    from foundry.domain.application import Application

__all__ = ["CurrentAppMiddleware", "current_app", "set_current_app", "using_app"]

_current: ContextVar[Application | None] = ContextVar("foundry_notifications_app", default=None)


def current_app(given: Application | None = None) -> Application:
    """``given``, else the current application.

    Raises:
        NotificationConfigurationError: none is set here; the message says how to give one.
    """
    if given is not None:
        return given
    app = _current.get()
    if app is None:
        raise NotificationConfigurationError(
            "No application to send the notification through: call notify() inside a "
            "request, command or job of a booted app that has foundry-notifications, wrap "
            "the code in `with using_app(app):`, or pass it: `await user.notify(n, app=app)`."
        )
    return app


def set_current_app(app: Application | None) -> None:
    """Make ``app`` the current application for the rest of this context."""
    _current.set(app)


@contextmanager
def using_app(app: Application) -> Iterator[Application]:
    """Make ``app`` the current application inside the block, restoring the previous one
    after it."""
    token = _current.set(app)
    try:
        yield app
    finally:
        _current.reset(token)


class CurrentAppMiddleware:
    """Pure-ASGI middleware making the serving app current for each request (and
    websocket) it passes on."""

    def __init__(self, app: Any, *, foundry: Application) -> None:
        self.app = app
        self.foundry = foundry

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope.get("type") not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        token = _current.set(self.foundry)
        try:
            await self.app(scope, receive, send)
        finally:
            _current.reset(token)
