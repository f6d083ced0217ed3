"""Foundry's database layer: async SQLModel sessions on SQLite, PostgreSQL and MySQL/MariaDB,
Alembic migrations across packages with Laravel's batches, seeders and factories.

The names below are imported lazily: ``import foundry.infra`` (which the provider and the
command modules do) loads no SQLAlchemy until one of them is used.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from foundry.infra.database import SQLDatabase
    from foundry.infra.errors import (
        DatabaseUnreachableError,
        MigrationError,
        MigrationLayoutError,
    )
    from foundry.infra.factories import Factory
    from foundry.infra.migrations.migrator import MigrationRun, MigrationState, Migrator
    from foundry.infra.provider import InfraServiceProvider
    from foundry.infra.seeding import Seeder
    from foundry.infra.settings import DatabaseSettings
    from foundry.infra.types import uuid_pk
    from foundry.infra.urls import DatabaseURL, parse_database_url

__version__ = "0.1.0"

__all__ = [
    "DatabaseSettings",
    "DatabaseURL",
    "DatabaseUnreachableError",
    "Factory",
    "InfraServiceProvider",
    "MigrationError",
    "MigrationLayoutError",
    "MigrationRun",
    "MigrationState",
    "Migrator",
    "SQLDatabase",
    "Seeder",
    "__version__",
    "parse_database_url",
    "uuid_pk",
]

_HOMES = {
    "SQLDatabase": "foundry.infra.database",
    "DatabaseUnreachableError": "foundry.infra.errors",
    "MigrationError": "foundry.infra.errors",
    "MigrationLayoutError": "foundry.infra.errors",
    "Factory": "foundry.infra.factories",
    "MigrationRun": "foundry.infra.migrations.migrator",
    "MigrationState": "foundry.infra.migrations.migrator",
    "Migrator": "foundry.infra.migrations.migrator",
    "InfraServiceProvider": "foundry.infra.provider",
    "Seeder": "foundry.infra.seeding",
    "DatabaseSettings": "foundry.infra.settings",
    "uuid_pk": "foundry.infra.types",
    "DatabaseURL": "foundry.infra.urls",
    "parse_database_url": "foundry.infra.urls",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'foundry.infra' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
