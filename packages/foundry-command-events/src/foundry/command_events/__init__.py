"""Foundry's event dispatcher: prioritised sync and async listeners for framework events.

Bind it through :class:`~foundry.command_events.provider.CommandEventsServiceProvider`
(installed packages get it automatically) and resolve
:class:`foundry.domain.events.EventDispatcher` from the container.

The public names are imported on first use: the CLI imports every provider module at start
-up, and importing a provider imports this package first, so it must stay cheap.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from foundry.command_events.dispatcher import Dispatcher
    from foundry.command_events.errors import DispatchInEventLoopError, InvalidListenerError
    from foundry.command_events.listeners import EventListing, ListenerListing, qualified_name

__version__ = "0.1.0"

__all__ = [
    "DispatchInEventLoopError",
    "Dispatcher",
    "EventListing",
    "InvalidListenerError",
    "ListenerListing",
    "__version__",
    "qualified_name",
]

_HOMES = {
    "Dispatcher": "dispatcher",
    "DispatchInEventLoopError": "errors",
    "InvalidListenerError": "errors",
    "EventListing": "listeners",
    "ListenerListing": "listeners",
    "qualified_name": "listeners",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value
