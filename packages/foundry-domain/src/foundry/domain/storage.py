"""Storage contracts: named disks (local, public, memory, S3) behind one interface."""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator
from dataclasses import dataclass
from datetime import datetime, timedelta
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

    async def put(self, path: str, content: bytes) -> str:
        """Write ``content`` to ``path`` atomically (replacing a file); return the path."""
        ...

    async def put_stream(self, path: str, chunks: AsyncIterable[bytes]) -> str:
        """Write an async stream of chunks to ``path`` atomically; return the path.

        For content too large to hold in memory (an upload, an export being generated):
        the chunks are written as they arrive. If the stream fails part-way, the file that
        was at ``path`` before, if any, is left exactly as it was.
        """
        ...

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

    def temporary_url(
        self, path: str, expires_in: float | timedelta, *, download: bool = False
    ) -> str:
        """A URL signed with ``APP_KEY`` that stops working after ``expires_in``.

        ``expires_in`` is seconds or a :class:`~datetime.timedelta`. With ``download=True``
        the link answers with ``Content-Disposition: attachment``, so a browser saves the
        file instead of showing it. The file need not exist yet.
        """
        ...


@contract("foundry-storage")
@runtime_checkable
class Storage(Protocol):
    """The disk manager: the default disk and the named ones."""

    def disk(self, name: str | None = None) -> Disk: ...
