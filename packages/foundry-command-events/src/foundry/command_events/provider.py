"""Binds the event dispatcher and adds ``event:list``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from foundry.domain.events import EventDispatcher
from foundry.domain.provider import ServiceProvider

if TYPE_CHECKING:
    from foundry.domain.application import Application
    from foundry.domain.container import Container

__all__ = ["CommandEventsServiceProvider"]


def _make_dispatcher(container: Container) -> EventDispatcher:
    from foundry.command_events.dispatcher import Dispatcher

    return Dispatcher()


class CommandEventsServiceProvider(ServiceProvider):
    """One :class:`~foundry.command_events.Dispatcher` per application.

    The kernel fires the command lifecycle events (``CommandStarting``, ``CommandFinished``,
    ``CommandFailed``, ``CommandTerminated``) through whatever ``EventDispatcher`` is bound,
    so listeners registered here hear every command run by the CLI, ``call()`` or
    ``/invoke``.
    """

    name = "command-events"
    provides = (EventDispatcher,)
    commands = ("foundry.command_events.commands:EventListCommand",)

    def register(self, app: Application) -> None:
        app.singleton(EventDispatcher, _make_dispatcher)
