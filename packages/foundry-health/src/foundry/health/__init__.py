"""Readiness checks, the ``/health`` routes and ``health:check`` (``doctor``).

The provider registers checks for what the application has bound (database, cache,
queue), for ``REDIS_URL``, for the disk under ``storage/`` and for memory, plus every
check other providers contribute through ``ServiceProvider.health_checks``. Public names
are imported on first use: importing the provider imports this package first, and the CLI
imports every provider at start-up.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from foundry.health.checks import (
        CacheCheck,
        DatabaseCheck,
        DiskCheck,
        MemoryCheck,
        QueueCheck,
        RedisCheck,
    )
    from foundry.health.errors import DuplicateHealthCheckError, UnknownHealthCheckError
    from foundry.health.provider import HealthServiceProvider
    from foundry.health.report import CheckReport, HealthReport
    from foundry.health.runner import HealthRunner
    from foundry.health.settings import HealthSettings
    from foundry.health.thresholds import Threshold

__version__ = "0.1.0"

__all__ = [
    "CacheCheck",
    "CheckReport",
    "DatabaseCheck",
    "DiskCheck",
    "DuplicateHealthCheckError",
    "HealthReport",
    "HealthRunner",
    "HealthServiceProvider",
    "HealthSettings",
    "MemoryCheck",
    "QueueCheck",
    "RedisCheck",
    "Threshold",
    "UnknownHealthCheckError",
    "__version__",
]

_HOMES = {
    "CacheCheck": "checks",
    "DatabaseCheck": "checks",
    "DiskCheck": "checks",
    "MemoryCheck": "checks",
    "QueueCheck": "checks",
    "RedisCheck": "checks",
    "DuplicateHealthCheckError": "errors",
    "UnknownHealthCheckError": "errors",
    "HealthServiceProvider": "provider",
    "CheckReport": "report",
    "HealthReport": "report",
    "HealthRunner": "runner",
    "HealthSettings": "settings",
    "Threshold": "thresholds",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value
