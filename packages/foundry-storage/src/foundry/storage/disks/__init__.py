"""The disk drivers: ``local``, ``memory`` and (with the ``s3`` extra) ``s3``."""

from __future__ import annotations

from foundry.storage.disks.base import BaseDisk, Visibility
from foundry.storage.disks.local import LocalDisk
from foundry.storage.disks.memory import MemoryDisk

__all__ = ["BaseDisk", "LocalDisk", "MemoryDisk", "Visibility"]
