"""Signal trapping and phased graceful shutdown for Foundry's servers and workers.

The provider binds :class:`foundry.domain.signals.ShutdownCoordinator` to a
:class:`SignalHandler`. Public names are imported on first use: importing the provider
imports this package first, and the CLI imports every provider at start-up.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from foundry.signal_handler.callbacks import CallbackOutcome, Outcome
    from foundry.signal_handler.errors import SignalHandlerError
    from foundry.signal_handler.handler import SignalHandler

__version__ = "0.1.0"

__all__ = ["CallbackOutcome", "Outcome", "SignalHandler", "SignalHandlerError", "__version__"]

_HOMES = {
    "CallbackOutcome": "callbacks",
    "Outcome": "callbacks",
    "SignalHandler": "handler",
    "SignalHandlerError": "errors",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value
