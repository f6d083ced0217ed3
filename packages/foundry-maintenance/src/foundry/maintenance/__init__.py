"""Maintenance mode: ``down``/``up`` and a 503 middleware shared across instances.

Public names are imported on first use: importing the provider imports this package
first, and the CLI imports every provider at start-up.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from foundry.maintenance.middleware import MaintenanceMiddleware
    from foundry.maintenance.mode import Downed, MaintenanceMode
    from foundry.maintenance.provider import MaintenanceServiceProvider
    from foundry.maintenance.state import MaintenanceState, hash_secret
    from foundry.maintenance.stores import (
        CACHE_KEY,
        CacheStateStore,
        FileStateStore,
        StateStore,
    )

__version__ = "0.1.0"

__all__ = [
    "CACHE_KEY",
    "CacheStateStore",
    "Downed",
    "FileStateStore",
    "MaintenanceMiddleware",
    "MaintenanceMode",
    "MaintenanceServiceProvider",
    "MaintenanceState",
    "StateStore",
    "__version__",
    "hash_secret",
]

_HOMES = {
    "CACHE_KEY": "stores",
    "CacheStateStore": "stores",
    "FileStateStore": "stores",
    "StateStore": "stores",
    "Downed": "mode",
    "MaintenanceMode": "mode",
    "MaintenanceMiddleware": "middleware",
    "MaintenanceServiceProvider": "provider",
    "MaintenanceState": "state",
    "hash_secret": "state",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value
