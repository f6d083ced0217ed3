"""The disk manager: Laravel's ``Storage`` facade, bound as ``foundry.domain.storage.Storage``.

``storage.disk()`` is the default disk (``FILESYSTEM_DISK``, ``local`` unless set);
``storage.disk("public")`` a named one. Disks are built on first use from the config and
kept, so the memory disk keeps its files and the S3 disk its connection.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from foundry.domain.clock import Clock, SystemClock
from foundry.domain.config import ConfigRepository, MappingConfig
from foundry.storage.config import (
    DEFAULT_DISK,
    DRIVERS,
    DiskContext,
    DiskFactory,
    build_disk,
    builtin_disks,
)
from foundry.storage.disks.base import BaseDisk
from foundry.storage.exceptions import DiskConfigurationError
from foundry.storage.signing import UrlSigner

__all__ = ["StorageManager"]


class StorageManager:
    """Implements ``foundry.domain.storage.Storage``.

    Args:
        config: the configuration (``app.url``, ``app.key``, ``storage.*``); a plain
            mapping is accepted for use outside an application.
        base_path: the application root; relative disk roots are taken from it.
        clock: the time used for temporary-URL expiry and memory-disk timestamps.

    Example::

        storage = StorageManager(app.config, base_path=app.base_path)
        await storage.disk("public").put("avatars/1.png", data)
        storage.disk("public").url("avatars/1.png")
    """

    def __init__(
        self,
        config: ConfigRepository | Mapping[str, Any],
        *,
        base_path: str | Path,
        clock: Clock | None = None,
    ) -> None:
        self._config: ConfigRepository = (
            MappingConfig(config) if isinstance(config, Mapping) else config
        )
        self._base = Path(base_path)
        self._clock: Clock = clock or SystemClock()
        self._drivers: dict[str, DiskFactory] = dict(DRIVERS)
        self._disks: dict[str, BaseDisk] = {}
        self.signer = UrlSigner(
            key=lambda: self._config.get("app.key"),
            base_url=self._app_url,
            clock=self._clock,
            default_disk=lambda: self.default,
        )

    def _app_url(self) -> str:
        return str(self._config.get("app.url") or "http://localhost:8000")

    @property
    def default(self) -> str:
        """The default disk's name (``FILESYSTEM_DISK``)."""
        return str(self._config.get("storage.default") or DEFAULT_DISK)

    def _definitions(self) -> dict[str, Any]:
        context = self._context()
        definitions: dict[str, Any] = dict(builtin_disks(context))
        configured = self._config.get("storage.disks") or {}
        if not isinstance(configured, Mapping):
            raise DiskConfigurationError(
                "storage.disks must be a table of disks (name -> {driver, options}), "
                f"not {type(configured).__name__}."
            )
        definitions.update(configured)
        return definitions

    def _context(self) -> DiskContext:
        return DiskContext(self._config, self._base, self._clock, self.signer)

    def names(self) -> list[str]:
        """Every configured disk's name, sorted."""
        return sorted(self._definitions())

    def disk(self, name: str | None = None) -> BaseDisk:
        """The disk ``name`` (the default disk when None).

        Raises:
            DiskConfigurationError: no disk has that name, or its definition is invalid.
        """
        name = name or self.default
        disk = self._disks.get(name)
        if disk is not None:
            return disk
        definitions = self._definitions()
        if name not in definitions:
            raise DiskConfigurationError(
                f'No disk is named "{name}". Configured disks: {", ".join(sorted(definitions))}. '
                f"Define it under storage.disks.{name} (driver + options)"
                + (" or fix FILESYSTEM_DISK." if name == self.default else ".")
            )
        disk = build_disk(name, definitions[name], self._context(), self._drivers)
        self._disks[name] = disk
        return disk

    def extend(self, driver: str, factory: DiskFactory) -> None:
        """Add a driver usable as ``storage.disks.<name>.driver`` (Laravel's ``extend``)."""
        self._drivers[driver] = factory

    def forget(self, name: str | None = None) -> None:
        """Drop built disks (all when ``name`` is None) so the next use reads config anew."""
        if name is None:
            self._disks.clear()
        else:
            self._disks.pop(name, None)

    async def aclose(self) -> None:
        """Close every built disk's connections (run when the application terminates)."""
        for disk in list(self._disks.values()):
            await disk.aclose()

    def __repr__(self) -> str:
        return f"<StorageManager default={self.default!r} built={sorted(self._disks)}>"
