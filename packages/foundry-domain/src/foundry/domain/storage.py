"""Storage contracts: named disks (local, public, memory, S3) behind one interface."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, runtime_checkable

from foundry.domain.contracts import contract

__all__ = ["Disk", "FileMetadata", "Storage"]


@dataclass(frozen=True, slots=True)
class FileMetadata:
    path: str
    size: int
    last_modified: datetime
    mime_type: str | None = None
    visibility: str = "private"


@runtime_checkable
class Disk(Protocol):
    """One disk. Paths are relative, ``/``-separated; escaping the root is refused."""

    async def put(self, path: str, content: bytes) -> str: ...

    async def get(self, path: str) -> bytes:
        """Raises NotFoundError when absent."""
        ...

    def stream(self, path: str, chunk_size: int = 65536) -> AsyncIterator[bytes]: ...

    async def exists(self, path: str) -> bool: ...

    async def delete(self, path: str) -> bool: ...

    async def copy(self, source: str, target: str) -> None: ...

    async def move(self, source: str, target: str) -> None: ...

    async def list(self, directory: str = "", *, recursive: bool = False) -> list[str]: ...

    async def metadata(self, path: str) -> FileMetadata: ...

    def url(self, path: str) -> str:
        """The public URL (public disks only)."""
        ...

    def temporary_url(self, path: str, expires_in: float) -> str:
        """A URL signed with ``APP_KEY`` that stops working after ``expires_in`` seconds."""
        ...


@contract("foundry-storage")
@runtime_checkable
class Storage(Protocol):
    """The disk manager: the default disk and the named ones."""

    def disk(self, name: str | None = None) -> Disk: ...
