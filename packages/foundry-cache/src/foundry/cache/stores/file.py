"""The file store: one file per key, shared by every process on the machine.

Layout under the store's folder (``CACHE_FILE_PATH``, default
``storage/framework/cache/data``)::

    <sha256(prefix)[:16]>/ab/cd/<sha256(key)>    one entry
    .locks/ab.lock                               256 lock stripes, by the key hash

An entry is a 12-byte header — ``FCv1`` and the expiry as a big-endian double of epoch
seconds, 0 for forever — followed by the serialised value. Writes go to a temporary file
in the same folder and are renamed over the entry, so a reader sees the old file or the new
one, never half of one. Every write (set, add, increment, forget, locks) holds the key's
stripe lock, which makes read-modify-write steps atomic across threads and processes;
reads take no lock. Flushing renames the prefix's folder away before deleting it.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import secrets
import shutil
import struct
import tempfile
from collections.abc import Callable, Iterable, Mapping
from contextlib import suppress
from pathlib import Path
from typing import Any, TypeVar

from foundry.cache.errors import NotAnIntegerError, StoreUnavailableError
from foundry.cache.serialization import Serializer, serializer
from foundry.cache.stores.base import MISSING, Store
from foundry.cache.stores.filelock import exclusive
from foundry.domain.clock import Clock, SystemClock

__all__ = ["FileStore"]

T = TypeVar("T")

_MAGIC = b"FCv1"
_HEADER = struct.Struct(">4sd")
_LOCK_PREFIX = "lock:"


class FileStore(Store):
    """Entries as files under ``path``.

    Args:
        path: the store's folder (created on first write).
        name: the configured store name.
        prefix: put before every key; each prefix has its own sub-folder.
        clock: decides expiry (epoch seconds); a ``FrozenClock`` makes it exact in tests.
        serializer: writes and reads values (the application-wide one by default).
    """

    driver = "file"

    def __init__(
        self,
        path: Path | str,
        *,
        name: str = "file",
        prefix: str = "",
        clock: Clock | None = None,
        serializer: Serializer = serializer,
    ) -> None:
        super().__init__(name=name, prefix=prefix)
        self.root = Path(path)
        self.folder = self.root / hashlib.sha256(prefix.encode()).hexdigest()[:16]
        self._stripes = self.root / ".locks"
        self._clock: Clock = clock or SystemClock()
        self._serializer = serializer

    @property
    def address(self) -> str:
        return str(self.root)

    # --- plumbing -------------------------------------------------------------------

    def _path(self, key: str) -> tuple[Path, str]:
        digest = hashlib.sha256(key.encode()).hexdigest()
        return self.folder / digest[:2] / digest[2:4] / digest, digest

    async def _run(self, work: Callable[[], T]) -> T:
        try:
            return await asyncio.to_thread(work)
        except OSError as exc:
            raise StoreUnavailableError(
                self.name,
                str(self.root),
                f"{exc.strerror or exc} ({type(exc).__name__})",
                hint="check that the folder exists, is writable and the disk is not full",
            ) from exc

    def _locked(self, digest: str) -> Any:
        self._stripes.mkdir(parents=True, exist_ok=True)
        return exclusive(self._stripes / f"{digest[:2]}.lock")

    def _read(self, path: Path) -> tuple[float, bytes] | None:
        """``(expiry, payload)`` of a live entry, or None."""
        try:
            data = path.read_bytes()
        except (FileNotFoundError, NotADirectoryError):
            return None
        if len(data) < _HEADER.size:
            return None
        magic, expires = _HEADER.unpack_from(data)
        if magic != _MAGIC or (expires and expires <= self._clock.timestamp()):
            return None
        return expires, data[_HEADER.size :]

    def _write(self, path: Path, expires: float, payload: bytes) -> None:
        data = _HEADER.pack(_MAGIC, expires) + payload
        for attempt in (1, 2):
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(data)
                os.replace(temporary, path)
                return
            except FileNotFoundError:  # a flush moved the folder away meanwhile
                with suppress(FileNotFoundError):
                    os.unlink(temporary)
                if attempt == 2:
                    raise
            except BaseException:
                with suppress(FileNotFoundError):
                    os.unlink(temporary)
                raise

    def _expires(self, ttl: float | None) -> float:
        return 0.0 if ttl is None else self._clock.timestamp() + ttl

    def _delete(self, path: Path) -> bool:
        live = self._read(path) is not None
        try:
            path.unlink()
        except FileNotFoundError:
            return False
        return live

    # --- entries --------------------------------------------------------------------

    async def get(self, key: str) -> Any:
        path, _ = self._path(self.prefix + key)
        found = await self._run(lambda: self._read(path))
        return MISSING if found is None else self._serializer.loads(found[1])

    async def get_many(self, keys: Iterable[str]) -> dict[str, Any]:
        paths = {key: self._path(self.prefix + key)[0] for key in keys}

        def read_all() -> dict[str, bytes]:
            found = {key: self._read(path) for key, path in paths.items()}
            return {key: entry[1] for key, entry in found.items() if entry is not None}

        raw = await self._run(read_all)
        return {key: self._serializer.loads(payload) for key, payload in raw.items()}

    async def has(self, key: str) -> bool:
        path, _ = self._path(self.prefix + key)
        return await self._run(lambda: self._read(path) is not None)

    async def put(self, key: str, value: Any, ttl: float | None) -> None:
        await self.put_many({key: value}, ttl)

    async def put_many(self, values: Mapping[str, Any], ttl: float | None) -> None:
        expires = self._expires(ttl)
        encoded = [
            (*self._path(self.prefix + k), self._serializer.dumps(v)) for k, v in values.items()
        ]

        def write_all() -> None:
            for path, digest, payload in encoded:
                with self._locked(digest):
                    self._write(path, expires, payload)

        await self._run(write_all)

    async def add(self, key: str, value: Any, ttl: float | None) -> bool:
        return await self._add(self.prefix + key, self._serializer.dumps(value), ttl)

    async def _add(self, full: str, payload: bytes, ttl: float | None) -> bool:
        path, digest = self._path(full)
        expires = self._expires(ttl)

        def add() -> bool:
            with self._locked(digest):
                if self._read(path) is not None:
                    return False
                self._write(path, expires, payload)
                return True

        return await self._run(add)

    async def forget(self, key: str) -> bool:
        path, digest = self._path(self.prefix + key)

        def forget() -> bool:
            with self._locked(digest):
                return self._delete(path)

        return await self._run(forget)

    async def pull(self, key: str) -> Any:
        path, digest = self._path(self.prefix + key)

        def pull() -> bytes | None:
            with self._locked(digest):
                found = self._read(path)
                with suppress(FileNotFoundError):
                    path.unlink()
            return None if found is None else found[1]

        payload = await self._run(pull)
        return MISSING if payload is None else self._serializer.loads(payload)

    async def increment(self, key: str, amount: int) -> int:
        path, digest = self._path(self.prefix + key)

        def increment() -> int:
            with self._locked(digest):
                found = self._read(path)
                expires, current = 0.0, 0
                if found is not None:
                    expires = found[0]
                    current = self._serializer.loads(found[1])
                    if type(current) is not int:
                        raise NotAnIntegerError(key, f"a {type(current).__name__}")
                value: int = current + amount
                self._write(path, expires, self._serializer.dumps(value))
                return value

        return await self._run(increment)

    async def flush(self) -> None:
        def flush() -> None:
            trash = self.root / f".trash-{secrets.token_hex(8)}"
            try:
                self.folder.rename(trash)
            except FileNotFoundError:
                return
            shutil.rmtree(trash, ignore_errors=True)

        await self._run(flush)

    async def prune(self) -> int:
        """Delete the files of expired entries under this prefix; returns how many."""

        def prune() -> int:
            removed = 0
            now = self._clock.timestamp()
            if not self.folder.is_dir():
                return 0
            for path in self.folder.glob("*/*/*"):
                if path.name.startswith(".tmp-"):
                    continue
                try:
                    with path.open("rb") as handle:
                        header = handle.read(_HEADER.size)
                except FileNotFoundError:
                    continue
                if len(header) == _HEADER.size:
                    _, expires = _HEADER.unpack(header)
                    if not expires or expires > now:
                        continue
                with self._locked(path.name):
                    # Re-check under the lock: a writer may have replaced it meanwhile.
                    if self._read(path) is None:
                        with suppress(FileNotFoundError):
                            path.unlink()
                            removed += 1
            return removed

        return await self._run(prune)

    # --- locks ----------------------------------------------------------------------

    async def acquire_lock(self, name: str, owner: str, ttl: float | None) -> bool:
        return await self._add(self.prefix + _LOCK_PREFIX + name, owner.encode(), ttl)

    async def release_lock(self, name: str, owner: str) -> bool:
        path, digest = self._path(self.prefix + _LOCK_PREFIX + name)

        def release() -> bool:
            with self._locked(digest):
                found = self._read(path)
                if found is None or found[1] != owner.encode():
                    return False
                path.unlink()
                return True

        return await self._run(release)

    async def force_release_lock(self, name: str) -> None:
        path, digest = self._path(self.prefix + _LOCK_PREFIX + name)

        def force() -> None:
            with self._locked(digest), suppress(FileNotFoundError):
                path.unlink()

        await self._run(force)

    async def lock_owner(self, name: str) -> str | None:
        path, _ = self._path(self.prefix + _LOCK_PREFIX + name)
        found = await self._run(lambda: self._read(path))
        return None if found is None else found[1].decode()
