"""What every disk shares: its name, visibility, public URL base and temporary URLs.

Drivers implement the storage operations; URLs are the same for all of them, so they live
here. Paths are normalised (and unsafe ones refused) by :meth:`BaseDisk._path` before a
driver touches anything.
"""

from __future__ import annotations

import builtins
from abc import ABC, abstractmethod
from collections.abc import AsyncIterable, AsyncIterator
from datetime import timedelta
from typing import ClassVar, Literal
from urllib.parse import quote

from foundry.domain.errors import ConfigurationError
from foundry.domain.storage import FileMetadata
from foundry.storage.exceptions import NoPublicUrlError
from foundry.storage.paths import normalise
from foundry.storage.signing import UrlSigner

__all__ = ["DEFAULT_CHUNK_SIZE", "BaseDisk", "Visibility"]

Visibility = Literal["private", "public"]
DEFAULT_CHUNK_SIZE = 65536


class BaseDisk(ABC):
    """A named disk; implements ``foundry.domain.storage.Disk``.

    Args:
        name: the disk's name in the manager (``local``, ``public``, ``uploads`` ...).
        visibility: ``public`` files may be served to anyone; reported in metadata.
        url: the base of public URLs (``https://app.test/storage``); None for a disk
            whose files have no public address.
        signer: signs temporary URLs; disks built by the manager always have one.
    """

    driver: ClassVar[str]

    def __init__(
        self,
        name: str,
        *,
        visibility: Visibility = "private",
        url: str | None = None,
        signer: UrlSigner | None = None,
    ) -> None:
        if visibility not in ("private", "public"):
            raise ConfigurationError(
                f'Disk "{name}": visibility must be "private" or "public", not {visibility!r}.'
            )
        self.name = name
        self.visibility: Visibility = visibility
        self._url = url.rstrip("/") if url else None
        self._signer = signer

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r}>"

    def _path(self, path: str, *, allow_root: bool = False) -> str:
        return normalise(self.name, path, allow_root=allow_root)

    @staticmethod
    def _chunk_size(chunk_size: int) -> int:
        if not isinstance(chunk_size, int) or chunk_size <= 0:
            raise ValueError(f"chunk_size must be a positive integer, not {chunk_size!r}")
        return chunk_size

    # --- URLs -----------------------------------------------------------------------

    def url(self, path: str) -> str:
        """The public URL of ``path``.

        Raises:
            NoPublicUrlError: the disk has no public URL base (a private disk).
            UnsafePathError: the path is refused.
        """
        relative = self._path(path)
        if self._url is None:
            raise NoPublicUrlError(self.name)
        return f"{self._url}/{quote(relative, safe='/')}"

    def temporary_url(
        self, path: str, expires_in: float | timedelta, *, download: bool = False
    ) -> str:
        """A link served by the app that works for ``expires_in`` seconds.

        Signed with ``APP_KEY`` (HMAC-SHA256); ``download=True`` makes the route answer
        with ``Content-Disposition: attachment``. The file need not exist yet.

        Raises:
            MissingAppKeyError: ``APP_KEY`` is not set (run ``foundry key:generate``).
            UnsafePathError: the path is refused.
        """
        relative = self._path(path)
        if self._signer is None:
            raise ConfigurationError(
                f'Disk "{self.name}" was built without a URL signer; take disks from '
                "StorageManager.disk() to get temporary URLs."
            )
        return self._signer.temporary_url(self.name, relative, expires_in, download=download)

    # --- storage operations ---------------------------------------------------------

    @abstractmethod
    async def put(self, path: str, content: bytes) -> str:
        """Write ``content`` to ``path`` atomically (replacing a file); return the path."""

    @abstractmethod
    async def put_stream(self, path: str, chunks: AsyncIterable[bytes]) -> str:
        """Write an async stream of chunks to ``path`` atomically; return the path.

        If the stream fails part-way the old file, if any, is left exactly as it was.
        """

    @abstractmethod
    async def get(self, path: str) -> bytes:
        """The file's bytes. Raises StoredFileNotFoundError (a NotFoundError) if absent."""

    @abstractmethod
    def stream(self, path: str, chunk_size: int = DEFAULT_CHUNK_SIZE) -> AsyncIterator[bytes]:
        """The file in chunks of at most ``chunk_size`` bytes.

        The path is checked at once; a missing file is reported on the first iteration.
        """

    @abstractmethod
    async def exists(self, path: str) -> bool:
        """Whether a file (not a directory) exists at ``path``."""

    @abstractmethod
    async def delete(self, path: str) -> bool:
        """Delete the file; False when there was none."""

    @abstractmethod
    async def copy(self, source: str, target: str) -> None:
        """Copy a file, replacing ``target``. Raises StoredFileNotFoundError."""

    @abstractmethod
    async def move(self, source: str, target: str) -> None:
        """Move a file, replacing ``target``. Raises StoredFileNotFoundError."""

    @abstractmethod
    async def list(self, directory: str = "", *, recursive: bool = False) -> builtins.list[str]:
        """Files under ``directory`` (paths from the disk's root, sorted).

        Only files are listed, never directories; ``recursive`` descends into
        sub-directories. A missing directory lists as empty.
        """

    @abstractmethod
    async def metadata(self, path: str) -> FileMetadata:
        """Size, modification time (UTC), media type guessed from the name, visibility."""

    async def aclose(self) -> None:  # noqa: B027 - optional hook, nothing to close by default
        """Release connections (the S3 disk's client); called when the app terminates."""
