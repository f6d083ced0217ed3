"""The database settings, read from configuration (``DATABASE_*`` environment variables).

Standard library only: the provider declares the variables from here without importing
SQLAlchemy.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from foundry.domain.config import ConfigRepository
from foundry.domain.env import EnvVar, parse_bool
from foundry.domain.errors import ConfigurationError

__all__ = ["DEFAULT_URL", "ENV_VARS", "DatabaseSettings"]

DEFAULT_URL = "sqlite:///storage/database.sqlite"

ENV_VARS: tuple[EnvVar, ...] = (
    EnvVar(
        "DATABASE_URL",
        "database.url",
        "url",
        DEFAULT_URL,
        secret=True,
        description=(
            "sqlite:///relative/path, sqlite:////absolute/path, postgresql://user:pass@host/db "
            "or mysql://user:pass@host/db (MariaDB too)"
        ),
    ),
    EnvVar(
        "DATABASE_POOL_SIZE",
        "database.pool_size",
        "int",
        10,
        description="Most connections the pool opens (SQLAlchemy pool_size, no overflow)",
    ),
    EnvVar(
        "DATABASE_POOL_MAX_LIFETIME",
        "database.pool_max_lifetime",
        "int",
        1800,
        description="Seconds before a pooled connection is replaced (SQLAlchemy pool_recycle)",
    ),
    EnvVar(
        "DATABASE_CONNECT_TIMEOUT",
        "database.connect_timeout",
        "float",
        10.0,
        description="Seconds to wait for a new connection before the database is unreachable",
    ),
    EnvVar(
        "DATABASE_MIGRATE_ON_START",
        "database.migrate_on_start",
        "bool",
        False,
        description="Apply pending migrations when the HTTP server starts (development, "
        "single-instance deploys); never for console commands",
    ),
    EnvVar(
        "DATABASE_ECHO",
        "database.echo",
        "bool",
        False,
        description="Log every SQL statement (development only)",
    ),
)


def _number(config: ConfigRepository, key: str, default: float, kind: type[Any]) -> Any:
    value = config.get(key, default)
    if value is None or value == "":
        return kind(default)
    try:
        number = kind(value)
    except (TypeError, ValueError):
        raise ConfigurationError(
            f"Configuration {key}={value!r} is not a number; set it to a positive "
            f"{'integer' if kind is int else 'number'}."
        ) from None
    if number <= 0:
        raise ConfigurationError(f"Configuration {key}={value!r} must be greater than zero.")
    return number


@dataclass(frozen=True, slots=True)
class DatabaseSettings:
    """How to connect.

    Attributes:
        url: the ``DATABASE_URL`` as written (relative SQLite paths start at the app root).
        pool_size: the most connections open at once (``DATABASE_POOL_SIZE``).
        pool_max_lifetime: seconds before a pooled connection is recycled
            (``DATABASE_POOL_MAX_LIFETIME``).
        connect_timeout: seconds a new connection may take (``DATABASE_CONNECT_TIMEOUT``);
            also the default deadline of :meth:`SQLDatabase.ping` in commands.
        echo: log every statement (``DATABASE_ECHO``).
    """

    url: str = DEFAULT_URL
    pool_size: int = 10
    pool_max_lifetime: int = 1800
    connect_timeout: float = 10.0
    echo: bool = False

    @classmethod
    def from_config(cls, config: ConfigRepository) -> DatabaseSettings:
        """Read the ``database.*`` keys (set by the ``DATABASE_*`` variables)."""
        echo = config.get("database.echo", False)
        return cls(
            url=str(config.get("database.url") or DEFAULT_URL),
            pool_size=_number(config, "database.pool_size", 10, int),
            pool_max_lifetime=_number(config, "database.pool_max_lifetime", 1800, int),
            connect_timeout=_number(config, "database.connect_timeout", 10.0, float),
            echo=parse_bool(echo) if isinstance(echo, str) else bool(echo),
        )
