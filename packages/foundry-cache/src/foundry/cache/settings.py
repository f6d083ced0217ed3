"""The cache's environment variables and how configuration names its stores.

Configuration (``config/cache.toml`` or the environment) picks the default store and may
define any number of named stores, each a driver plus options. ``config/cache.toml`` holds
the ``cache.*`` keys, so its keys and tables leave the ``cache.`` out::

    driver = "redis"                 # cache.driver (CACHE_DRIVER): the default store's name
    prefix = "shop_"                 # cache.prefix (CACHE_PREFIX)

    [stores.sessions]                # cache.stores.sessions: a Redis store with its own prefix
    driver = "redis"
    prefix = "sessions_"
    url = "redis://10.0.0.5:6379/2"

    [stores.failover]                # driver defaults to the store's name
    stores = ["redis", "database"]
    cooldown = 5

A store name that is also a driver name (``memory``, ``file``, ``database``, ``redis``,
``null``) works without any configuration.
"""

from __future__ import annotations

from typing import Any

from foundry.domain.env import REDIS_URL, EnvVar
from foundry.domain.errors import ConfigurationError

__all__ = [
    "DEFAULT_REDIS_URL",
    "DRIVERS",
    "ENV",
    "number",
    "store_options",
]

DRIVERS = ("memory", "file", "database", "redis", "null", "failover")
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"

ENV: tuple[EnvVar, ...] = (
    EnvVar(
        "CACHE_DRIVER",
        "cache.driver",
        "str",
        "memory",
        description="The default cache store: memory, file, database, redis, null, failover "
        "or a store named in cache.stores",
    ),
    EnvVar(
        "CACHE_PREFIX",
        "cache.prefix",
        "str",
        "foundry_cache_",
        description="Put before every cache key, so apps can share one Redis or table",
    ),
    EnvVar(
        "CACHE_MEMORY_CAPACITY",
        "cache.memory_capacity",
        "int",
        10_000,
        description="Most entries the memory store keeps (least recently used go first)",
    ),
    EnvVar(
        "CACHE_FILE_PATH",
        "cache.file_path",
        "path",
        description="Folder of the file store (default storage/framework/cache/data)",
    ),
    EnvVar(
        "CACHE_REDIS_TIMEOUT",
        "cache.redis_timeout",
        "float",
        0.5,
        description="Seconds a Redis cache call may take before the store counts as down",
    ),
    REDIS_URL,
)


def store_options(config: Any, name: str) -> tuple[str, dict[str, Any]]:
    """``(driver, options)`` of the store called ``name``.

    Raises:
        ConfigurationError: the store is not configured and not a driver name, its
            section is not a table, or its driver is unknown.
    """
    section = config.get(f"cache.stores.{name}")
    if section is None:
        if name in DRIVERS and name != "failover":
            return name, {}
        configured = sorted(_configured(config))
        known = ", ".join(sorted({*configured, *DRIVERS} - {"failover"}))
        raise ConfigurationError(
            f'The cache store "{name}" is not configured. Use one of {known}, or define '
            f"cache.stores.{name} with a driver ({', '.join(DRIVERS)})."
        )
    if not isinstance(section, dict):
        raise ConfigurationError(
            f"cache.stores.{name} must be a table of options (driver = ...), not "
            f"{type(section).__name__}."
        )
    driver = section.get("driver", name)
    if driver not in DRIVERS:
        raise ConfigurationError(
            f'cache.stores.{name}.driver is "{driver}"; use one of {", ".join(DRIVERS)}.'
        )
    return str(driver), {k: v for k, v in section.items() if k != "driver"}


def _configured(config: Any) -> list[str]:
    stores = config.get("cache.stores")
    return list(stores) if isinstance(stores, dict) else []


def configured_names(config: Any) -> list[str]:
    """Every store name the configuration defines, then the driver names."""
    names = _configured(config)
    return [*names, *(d for d in DRIVERS if d not in names and d != "failover")]


def number(
    value: Any, where: str, *, minimum: float = 0.0, integer: bool = False, strict: bool = True
) -> Any:
    """``value`` as a number above ``minimum`` (or equal to it, when not ``strict``).

    Raises:
        ConfigurationError: it is not one (the message names ``where``).
    """
    try:
        parsed = int(value) if integer else float(value)
    except (TypeError, ValueError):
        parsed = None
    low = parsed is not None and (parsed <= minimum if strict else parsed < minimum)
    if parsed is None or isinstance(value, bool) or low:
        kind = "an integer" if integer else "a number"
        bound = "above" if strict else "of at least"
        raise ConfigurationError(f"{where} is {value!r}; it must be {kind} {bound} {minimum:g}.")
    return parsed


__all__ += ["configured_names"]
