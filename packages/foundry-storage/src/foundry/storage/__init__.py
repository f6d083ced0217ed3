"""Laravel's Storage for Foundry: named disks (local, public, memory, S3), public URLs,
signed temporary URLs served by the app, and ``storage:link``.

The provider binds ``foundry.domain.storage.Storage`` to a :class:`StorageManager`;
``app.make(Storage).disk("public")`` is a disk.

Names are imported on first use, so that loading the provider (which lives in this
package) costs the CLI nothing beyond ``foundry.domain``.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from foundry.storage.disks.base import BaseDisk, Visibility
    from foundry.storage.disks.local import LocalDisk
    from foundry.storage.disks.memory import MemoryDisk
    from foundry.storage.exceptions import (
        DiskConfigurationError,
        ExpiredUrlError,
        InvalidSignatureError,
        MissingAppKeyError,
        NoPublicUrlError,
        StorageError,
        StoredFileNotFoundError,
        UnsafePathError,
    )
    from foundry.storage.manager import StorageManager
    from foundry.storage.signing import UrlSigner

__version__ = "0.1.0"

_WHERE = {
    "BaseDisk": "foundry.storage.disks.base",
    "Visibility": "foundry.storage.disks.base",
    "LocalDisk": "foundry.storage.disks.local",
    "MemoryDisk": "foundry.storage.disks.memory",
    "DiskConfigurationError": "foundry.storage.exceptions",
    "ExpiredUrlError": "foundry.storage.exceptions",
    "InvalidSignatureError": "foundry.storage.exceptions",
    "MissingAppKeyError": "foundry.storage.exceptions",
    "NoPublicUrlError": "foundry.storage.exceptions",
    "StorageError": "foundry.storage.exceptions",
    "StoredFileNotFoundError": "foundry.storage.exceptions",
    "UnsafePathError": "foundry.storage.exceptions",
    "StorageManager": "foundry.storage.manager",
    "UrlSigner": "foundry.storage.signing",
}

__all__ = [
    "BaseDisk",
    "DiskConfigurationError",
    "ExpiredUrlError",
    "InvalidSignatureError",
    "LocalDisk",
    "MemoryDisk",
    "MissingAppKeyError",
    "NoPublicUrlError",
    "StorageError",
    "StorageManager",
    "StoredFileNotFoundError",
    "UnsafePathError",
    "UrlSigner",
    "Visibility",
    "__version__",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'foundry.storage' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
