"""Foundry's cache: memory, file, database and Redis stores behind the ``Cache`` contract.

``app.make(Cache)`` is the default store (``CACHE_DRIVER``); ``app.make(CacheManager)``
reaches every configured store by name. Each store gives the same API — atomic ``add`` and
counters, ``remember`` without stampedes, tags, owner-checked locks — and the shared stores
write values with msgpack through an allow-list (:func:`serializable`), never pickle.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from foundry.cache.errors import (
        CacheError,
        InvalidKeyError,
        LockTimeoutError,
        NotAnIntegerError,
        SerializationError,
        StoreUnavailableError,
    )
    from foundry.cache.locks import StoreLock
    from foundry.cache.manager import CacheManager
    from foundry.cache.provider import CacheServiceProvider
    from foundry.cache.repository import Repository
    from foundry.cache.serialization import Serializer, serializable, serializer
    from foundry.cache.stores.base import MISSING, Prunable, Store
    from foundry.cache.stores.database import DatabaseStore
    from foundry.cache.stores.failover import FailoverStore
    from foundry.cache.stores.file import FileStore
    from foundry.cache.stores.memory import MemoryStore
    from foundry.cache.stores.null import NullStore
    from foundry.cache.stores.redis import RedisStore
    from foundry.cache.tags import TaggedCache

__version__ = "0.1.0"

# Imported on first use (PEP 562): loading the provider at start-up imports none of this.
_LAZY = {
    "CacheError": "foundry.cache.errors",
    "InvalidKeyError": "foundry.cache.errors",
    "LockTimeoutError": "foundry.cache.errors",
    "NotAnIntegerError": "foundry.cache.errors",
    "SerializationError": "foundry.cache.errors",
    "StoreUnavailableError": "foundry.cache.errors",
    "StoreLock": "foundry.cache.locks",
    "CacheManager": "foundry.cache.manager",
    "CacheServiceProvider": "foundry.cache.provider",
    "Repository": "foundry.cache.repository",
    "Serializer": "foundry.cache.serialization",
    "serializable": "foundry.cache.serialization",
    "serializer": "foundry.cache.serialization",
    "MISSING": "foundry.cache.stores.base",
    "Prunable": "foundry.cache.stores.base",
    "Store": "foundry.cache.stores.base",
    "DatabaseStore": "foundry.cache.stores.database",
    "FailoverStore": "foundry.cache.stores.failover",
    "FileStore": "foundry.cache.stores.file",
    "MemoryStore": "foundry.cache.stores.memory",
    "NullStore": "foundry.cache.stores.null",
    "RedisStore": "foundry.cache.stores.redis",
    "TaggedCache": "foundry.cache.tags",
}

__all__ = [
    "MISSING",
    "CacheError",
    "CacheManager",
    "CacheServiceProvider",
    "DatabaseStore",
    "FailoverStore",
    "FileStore",
    "InvalidKeyError",
    "LockTimeoutError",
    "MemoryStore",
    "NotAnIntegerError",
    "NullStore",
    "Prunable",
    "RedisStore",
    "Repository",
    "SerializationError",
    "Serializer",
    "Store",
    "StoreLock",
    "StoreUnavailableError",
    "TaggedCache",
    "__version__",
    "serializable",
    "serializer",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
