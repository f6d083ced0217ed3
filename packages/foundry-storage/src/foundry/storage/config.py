"""Disk definitions: the built-in disks from env, plus ``storage.disks`` from config.

The built-in disks are ``local`` (``storage/app``, private), ``public``
(``storage/app/public``, served under ``APP_URL/storage``), ``memory``, and ``s3`` when
``AWS_BUCKET`` is set. ``storage.disks`` adds named disks or replaces built-in ones; in
``config/storage.toml`` (which holds the ``storage.*`` keys) that reads::

    [disks.uploads]
    driver = "local"
    root = "storage/uploads"

    [disks.backups]
    driver = "s3"
    bucket = "acme-backups"     # other S3 options fall back to the AWS_* variables

Relative ``root`` folders are taken from the application root.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from foundry.domain.clock import Clock
from foundry.domain.config import ConfigRepository
from foundry.domain.env import parse_bool
from foundry.domain.errors import MissingDependencyError
from foundry.storage.disks.base import BaseDisk
from foundry.storage.exceptions import DiskConfigurationError
from foundry.storage.signing import UrlSigner

__all__ = ["DEFAULT_DISK", "DRIVERS", "DiskContext", "DiskFactory", "build_disk", "builtin_disks"]

DEFAULT_DISK = "local"
S3_OPTIONS = ("key", "secret", "region", "bucket", "endpoint", "use_path_style_endpoint")


@dataclass(frozen=True, slots=True)
class DiskContext:
    """What a driver needs besides the disk's own options."""

    config: ConfigRepository
    base_path: Path
    clock: Clock
    signer: UrlSigner

    def path(self, value: Any) -> Path:
        """A folder option, relative ones taken from the application root."""
        folder = Path(str(value)).expanduser()
        return folder if folder.is_absolute() else self.base_path / folder

    def app_url(self) -> str:
        return str(self.config.get("app.url") or "http://localhost:8000").rstrip("/")


DiskFactory = Callable[[str, dict[str, Any], DiskContext], BaseDisk]
"""Builds one disk from its name, its options (``driver`` removed) and the context."""


def builtin_disks(context: DiskContext) -> dict[str, dict[str, Any]]:
    """The disks every application has, configured by the ``STORAGE_*`` and ``AWS_*`` vars."""
    config = context.config
    disks: dict[str, dict[str, Any]] = {
        "local": {"driver": "local", "root": config.get("storage.local_root") or "storage/app"},
        "public": {
            "driver": "local",
            "root": config.get("storage.public_root") or "storage/app/public",
            "visibility": "public",
            "url": config.get("storage.public_url") or f"{context.app_url()}/storage",
        },
        "memory": {"driver": "memory"},
    }
    if config.get("storage.s3.bucket"):
        disks["s3"] = {"driver": "s3"}
    return disks


def _check_options(name: str, driver: str, options: Mapping[str, Any], allowed: set[str]) -> None:
    unknown = sorted(set(options) - allowed)
    if unknown:
        raise DiskConfigurationError(
            f'Disk "{name}" ({driver}) has unknown option(s) {", ".join(unknown)}; '
            f"the {driver} driver accepts {', '.join(sorted(allowed))}."
        )


def _local(name: str, options: dict[str, Any], context: DiskContext) -> BaseDisk:
    from foundry.storage.disks.local import LocalDisk

    _check_options(name, "local", options, {"root", "visibility", "url"})
    if not options.get("root"):
        raise DiskConfigurationError(
            f'Disk "{name}" (local) has no root: set storage.disks.{name}.root to a folder.'
        )
    return LocalDisk(
        name,
        context.path(options["root"]),
        visibility=options.get("visibility", "private"),
        url=options.get("url"),
        signer=context.signer,
    )


def _memory(name: str, options: dict[str, Any], context: DiskContext) -> BaseDisk:
    from foundry.storage.disks.memory import MemoryDisk

    _check_options(name, "memory", options, {"visibility", "url"})
    return MemoryDisk(
        name,
        visibility=options.get("visibility", "private"),
        url=options.get("url"),
        signer=context.signer,
        clock=context.clock,
    )


def _s3(name: str, options: dict[str, Any], context: DiskContext) -> BaseDisk:
    if importlib.util.find_spec("aiobotocore") is None:
        raise MissingDependencyError(f'Disk "{name}" (s3)', "'foundry-storage[s3]'")
    from foundry.storage.disks.s3 import S3Disk

    _check_options(name, "s3", options, {*S3_OPTIONS, "root", "visibility", "url"})
    merged = {k: context.config.get(f"storage.s3.{k}") for k in S3_OPTIONS}
    merged.update(options)
    path_style = merged.get("use_path_style_endpoint") or False
    if isinstance(path_style, str):
        path_style = parse_bool(path_style)
    return S3Disk(
        name,
        bucket=str(merged.get("bucket") or ""),
        region=str(merged.get("region") or "us-east-1"),
        key=merged.get("key"),
        secret=merged.get("secret"),
        endpoint=merged.get("endpoint"),
        use_path_style_endpoint=bool(path_style),
        root=str(merged.get("root") or ""),
        visibility=merged.get("visibility", "private"),
        url=merged.get("url"),
        signer=context.signer,
    )


DRIVERS: dict[str, DiskFactory] = {"local": _local, "memory": _memory, "s3": _s3}


def build_disk(
    name: str,
    definition: Any,
    context: DiskContext,
    drivers: Mapping[str, DiskFactory],
) -> BaseDisk:
    """Build the disk ``name`` from its definition (``{"driver": ..., **options}``)."""
    if not isinstance(definition, Mapping):
        raise DiskConfigurationError(
            f"storage.disks.{name} must be a table of options with a driver, "
            f"not {type(definition).__name__}."
        )
    options = dict(definition)
    driver = options.pop("driver", None)
    if driver not in drivers:
        known = ", ".join(sorted(drivers))
        raise DiskConfigurationError(
            f'Disk "{name}" has driver {driver!r}; set storage.disks.{name}.driver to one '
            f"of {known}."
        )
    return drivers[driver](name, options, context)
