"""The local disk: a folder on this machine (``storage/app``, ``storage/app/public``).

File IO runs in worker threads (``asyncio.to_thread``) so a large file never stalls the
event loop. Writes go to a temporary file in the target's folder, are flushed to disk, then
renamed over the target with ``os.replace``: readers see the old file or the new one,
never half of either. Symlinks are followed only while they stay inside the root.
"""

from __future__ import annotations

import asyncio
import builtins
import errno
import os
import shutil
import stat
import tempfile
from collections.abc import AsyncIterable, AsyncIterator, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, ClassVar

from foundry.domain.storage import FileMetadata
from foundry.storage.disks.base import DEFAULT_CHUNK_SIZE, BaseDisk, Visibility
from foundry.storage.exceptions import StorageError, StoredFileNotFoundError, UnsafePathError
from foundry.storage.paths import contained, guess_mime_type, join
from foundry.storage.signing import UrlSigner

__all__ = ["LocalDisk"]

TEMP_SUFFIX = ".foundry-tmp"
_MISSING = (FileNotFoundError, IsADirectoryError, NotADirectoryError)


class LocalDisk(BaseDisk):
    """A disk stored in a folder.

    Args:
        name: the disk's name.
        root: the folder (created on first write).
        visibility: ``public`` files are written ``0644``, ``private`` ones ``0600``.
        url: base of public URLs, for a folder a web server exposes.
        signer: signs temporary URLs.
    """

    driver: ClassVar[str] = "local"

    def __init__(
        self,
        name: str,
        root: str | Path,
        *,
        visibility: Visibility = "private",
        url: str | None = None,
        signer: UrlSigner | None = None,
    ) -> None:
        super().__init__(name, visibility=visibility, url=url, signer=signer)
        self.root = Path(root).resolve()
        self._mode = 0o644 if visibility == "public" else 0o600

    async def _locate(self, path: str, *, allow_root: bool = False) -> tuple[str, Path]:
        """The normal form of ``path`` and its real location, checked to be inside the root.

        The syntax is checked at once; resolving symlinks touches the filesystem, so it runs
        in a worker thread like every other file operation.
        """
        relative = self._path(path, allow_root=allow_root)
        target = await asyncio.to_thread(contained, self.name, self.root, relative, path)
        return relative, target

    def _missing(self, relative: str) -> StoredFileNotFoundError:
        return StoredFileNotFoundError(self.name, relative)

    # --- writing --------------------------------------------------------------------

    def _prepare(self, relative: str, target: Path) -> None:
        """Refuse a directory as the target; create the parent folders."""
        if target.is_dir():
            raise StorageError(
                f'Disk "{self.name}": "{relative}" is a directory; a file cannot replace it.',
                context={"disk": self.name, "path": relative},
            )
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except (FileExistsError, NotADirectoryError):
            raise StorageError(
                f'Disk "{self.name}": a parent of "{relative}" is a file, not a directory.',
                context={"disk": self.name, "path": relative},
            ) from None

    def _open_temp(self, relative: str, target: Path) -> tuple[IO[bytes], Path]:
        self._prepare(relative, target)
        fd, temp = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.name}.", suffix=TEMP_SUFFIX
        )
        return os.fdopen(fd, "wb"), Path(temp)

    def _commit(self, handle: IO[bytes], temp: Path, target: Path) -> None:
        handle.flush()
        os.fsync(handle.fileno())
        handle.close()
        os.chmod(temp, self._mode)
        os.replace(temp, target)

    @staticmethod
    def _discard(handle: IO[bytes], temp: Path) -> None:
        handle.close()
        temp.unlink(missing_ok=True)

    def _write(self, relative: str, target: Path, fill: Callable[[IO[bytes]], object]) -> None:
        handle, temp = self._open_temp(relative, target)
        try:
            fill(handle)
            self._commit(handle, temp, target)
        except BaseException:
            self._discard(handle, temp)
            raise

    async def put(self, path: str, content: bytes) -> str:
        relative, target = await self._locate(path)
        data = bytes(content)
        await asyncio.to_thread(self._write, relative, target, lambda handle: handle.write(data))
        return relative

    async def put_stream(self, path: str, chunks: AsyncIterable[bytes]) -> str:
        relative, target = await self._locate(path)
        handle, temp = await asyncio.to_thread(self._open_temp, relative, target)
        try:
            async for chunk in chunks:
                await asyncio.to_thread(handle.write, bytes(chunk))
            await asyncio.to_thread(self._commit, handle, temp, target)
        except BaseException:
            await asyncio.to_thread(self._discard, handle, temp)
            raise
        return relative

    # --- reading --------------------------------------------------------------------

    async def get(self, path: str) -> bytes:
        relative, target = await self._locate(path)
        try:
            return await asyncio.to_thread(target.read_bytes)
        except _MISSING:
            raise self._missing(relative) from None

    def stream(self, path: str, chunk_size: int = DEFAULT_CHUNK_SIZE) -> AsyncIterator[bytes]:
        self._path(path)  # refuse a malformed path now; symlinks are checked when reading
        return self._chunks(path, self._chunk_size(chunk_size))

    async def _chunks(self, path: str, size: int) -> AsyncIterator[bytes]:
        relative, target = await self._locate(path)
        try:
            handle = await asyncio.to_thread(target.open, "rb")
        except _MISSING:
            raise self._missing(relative) from None
        try:
            while chunk := await asyncio.to_thread(handle.read, size):
                yield chunk
        finally:
            handle.close()

    async def exists(self, path: str) -> bool:
        _, target = await self._locate(path)
        return await asyncio.to_thread(target.is_file)

    async def metadata(self, path: str) -> FileMetadata:
        relative, target = await self._locate(path)
        try:
            info = await asyncio.to_thread(target.stat)
        except _MISSING:
            raise self._missing(relative) from None
        if not stat.S_ISREG(info.st_mode):
            raise self._missing(relative)
        return FileMetadata(
            path=relative,
            size=info.st_size,
            last_modified=datetime.fromtimestamp(info.st_mtime, UTC),
            mime_type=guess_mime_type(relative),
            visibility=self.visibility,
        )

    # --- changing -------------------------------------------------------------------

    async def delete(self, path: str) -> bool:
        relative, target = await self._locate(path)
        literal = self.root / relative  # unlink a link itself, never what it points to

        def remove() -> bool:
            if target.is_dir() and not literal.is_symlink():
                raise StorageError(
                    f'Disk "{self.name}": "{relative}" is a directory; delete() removes files.',
                    context={"disk": self.name, "path": relative},
                )
            try:
                literal.unlink()
            except FileNotFoundError:
                return False
            return True

        return await asyncio.to_thread(remove)

    async def copy(self, source: str, target: str) -> None:
        src_rel, src = await self._locate(source)
        dst_rel, dst = await self._locate(target)
        if src == dst:
            if not await self.exists(src_rel):
                raise self._missing(src_rel)
            return

        def copy() -> None:
            try:
                reader = src.open("rb")
            except _MISSING:
                raise self._missing(src_rel) from None
            with reader:
                self._write(dst_rel, dst, lambda handle: shutil.copyfileobj(reader, handle))

        await asyncio.to_thread(copy)

    async def move(self, source: str, target: str) -> None:
        src_rel, src = await self._locate(source)
        dst_rel, dst = await self._locate(target)

        def move() -> None:
            if not src.is_file():
                raise self._missing(src_rel)
            if src == dst:
                return
            self._prepare(dst_rel, dst)
            try:
                os.replace(src, dst)
            except OSError as exc:
                if exc.errno != errno.EXDEV:
                    raise
                with src.open("rb") as reader:
                    self._write(dst_rel, dst, lambda out: shutil.copyfileobj(reader, out))
                src.unlink()

        await asyncio.to_thread(move)

    async def list(self, directory: str = "", *, recursive: bool = False) -> builtins.list[str]:
        relative, base = await self._locate(directory, allow_root=True)
        return await asyncio.to_thread(self._list, relative, base, recursive)

    def _list(self, relative: str, base: Path, recursive: bool) -> builtins.list[str]:
        if not base.is_dir():
            return []
        found: builtins.list[str] = []
        for folder, dirs, files in os.walk(base):
            dirs.sort()
            inside = Path(folder).relative_to(base).as_posix()
            prefix = join(relative, "" if inside == "." else inside)
            for name in files:
                if name.endswith(TEMP_SUFFIX):
                    continue
                path = join(prefix, name)
                try:
                    real = contained(self.name, self.root, path, path)
                except UnsafePathError:
                    continue  # a link leading out of the root is not part of the disk
                if real.is_file():
                    found.append(path)
            if not recursive:
                break
        return sorted(found)
