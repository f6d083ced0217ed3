"""The memory disk: files in a dict, for tests and ephemeral data.

It follows the same rules as the other disks (paths are checked, metadata is reported,
missing files raise), so code tested against it behaves the same on ``local`` or S3.
Modification times come from the :class:`~foundry.domain.clock.Clock`, so a frozen clock
gives reproducible metadata.
"""

from __future__ import annotations

import builtins
from collections.abc import AsyncIterable, AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from foundry.domain.clock import Clock, SystemClock
from foundry.domain.storage import FileMetadata
from foundry.storage.disks.base import DEFAULT_CHUNK_SIZE, BaseDisk, Visibility
from foundry.storage.exceptions import StoredFileNotFoundError
from foundry.storage.paths import guess_mime_type
from foundry.storage.signing import UrlSigner

__all__ = ["MemoryDisk"]


@dataclass(frozen=True, slots=True)
class _File:
    content: bytes
    modified: datetime


class MemoryDisk(BaseDisk):
    """A disk held in process memory; its files vanish with the process.

    Args:
        name: the disk's name.
        visibility: reported in metadata.
        url: base of public URLs, if the files are served somewhere.
        signer: signs temporary URLs.
        clock: the time stamped on written files.
    """

    driver: ClassVar[str] = "memory"

    def __init__(
        self,
        name: str = "memory",
        *,
        visibility: Visibility = "private",
        url: str | None = None,
        signer: UrlSigner | None = None,
        clock: Clock | None = None,
    ) -> None:
        super().__init__(name, visibility=visibility, url=url, signer=signer)
        self._clock: Clock = clock or SystemClock()
        self._files: dict[str, _File] = {}

    def _file(self, relative: str) -> _File:
        try:
            return self._files[relative]
        except KeyError:
            raise StoredFileNotFoundError(self.name, relative) from None

    def _store(self, relative: str, content: bytes) -> str:
        self._files[relative] = _File(content, self._clock.now())
        return relative

    async def put(self, path: str, content: bytes) -> str:
        return self._store(self._path(path), bytes(content))

    async def put_stream(self, path: str, chunks: AsyncIterable[bytes]) -> str:
        relative = self._path(path)
        buffer = bytearray()
        async for chunk in chunks:
            buffer += chunk
        return self._store(relative, bytes(buffer))

    async def get(self, path: str) -> bytes:
        return self._file(self._path(path)).content

    def stream(self, path: str, chunk_size: int = DEFAULT_CHUNK_SIZE) -> AsyncIterator[bytes]:
        return self._chunks(self._path(path), self._chunk_size(chunk_size))

    async def _chunks(self, relative: str, size: int) -> AsyncIterator[bytes]:
        content = self._file(relative).content
        for start in range(0, len(content), size):
            yield content[start : start + size]

    async def exists(self, path: str) -> bool:
        return self._path(path) in self._files

    async def delete(self, path: str) -> bool:
        return self._files.pop(self._path(path), None) is not None

    async def copy(self, source: str, target: str) -> None:
        content = self._file(self._path(source)).content
        self._store(self._path(target), content)

    async def move(self, source: str, target: str) -> None:
        src, dst = self._path(source), self._path(target)
        content = self._file(src).content
        if src != dst:
            self._store(dst, content)
            del self._files[src]

    async def list(self, directory: str = "", *, recursive: bool = False) -> builtins.list[str]:
        relative = self._path(directory, allow_root=True)
        prefix = f"{relative}/" if relative else ""
        found = []
        for path in self._files:
            if not path.startswith(prefix):
                continue
            if recursive or "/" not in path[len(prefix) :]:
                found.append(path)
        return sorted(found)

    async def metadata(self, path: str) -> FileMetadata:
        relative = self._path(path)
        stored = self._file(relative)
        return FileMetadata(
            path=relative,
            size=len(stored.content),
            last_modified=stored.modified,
            mime_type=guess_mime_type(relative),
            visibility=self.visibility,
        )
