"""Where the maintenance state lives: the shared cache, or a file.

With a ``Cache`` bound, the state is one key (``foundry:maintenance``, no TTL) in the
store every instance behind the load balancer shares, so ``down`` on one takes them all
down. Without one it is ``storage/framework/down``, written atomically (a reader never
sees half a file), which covers a single server.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import tempfile
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from foundry.domain.cache import Cache
from foundry.maintenance.state import MaintenanceState

__all__ = ["CACHE_KEY", "CacheStateStore", "FileStateStore", "StateStore"]

CACHE_KEY = "foundry:maintenance"
log = logging.getLogger("foundry.maintenance")


@runtime_checkable
class StateStore(Protocol):
    """Reads, writes and clears the maintenance state."""

    @property
    def label(self) -> str:
        """Where the state lives, for messages (``cache key foundry:maintenance``)."""
        ...

    async def read(self) -> MaintenanceState | None:
        """The state, or None when the application is up."""
        ...

    async def write(self, state: MaintenanceState) -> None: ...

    async def clear(self) -> bool:
        """Remove the state; True when there was one."""
        ...


def _decode(raw: Any, where: str) -> MaintenanceState:
    """Parse a stored record; a damaged one still means "down" (with default terms)."""
    data: Any = raw
    if isinstance(raw, bytes | str):
        try:
            data = json.loads(raw)
        except ValueError:
            data = None
    if not isinstance(data, dict):
        log.warning("The maintenance state in %s is unreadable; treating the app as down", where)
        data = {}
    return MaintenanceState.from_dict(data)


class FileStateStore:
    """The state as JSON in a file (default ``storage/framework/down``).

    File operations run in a worker thread: a slow disk must not stall the event loop
    that serves every other request.
    """

    def __init__(self, path: Path) -> None:
        self.path = path

    @property
    def label(self) -> str:
        return f"file {self.path}"

    async def read(self) -> MaintenanceState | None:
        raw = await asyncio.to_thread(self._read)
        return None if raw is None else _decode(raw, str(self.path))

    async def write(self, state: MaintenanceState) -> None:
        await asyncio.to_thread(self._write, json.dumps(state.to_dict(), indent=2) + "\n")

    async def clear(self) -> bool:
        return await asyncio.to_thread(self._clear)

    def _read(self) -> bytes | None:
        try:
            return self.path.read_bytes()
        except FileNotFoundError:
            return None

    def _write(self, text: str) -> None:
        """Write beside the target and rename over it: readers see the old file or the
        new one, never a partial write."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=self.path.parent, prefix=".down.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp, self.path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise

    def _clear(self) -> bool:
        try:
            self.path.unlink()
        except FileNotFoundError:
            return False
        return True


class CacheStateStore:
    """The state as JSON text under one cache key, with no expiry."""

    def __init__(self, cache: Cache, key: str = CACHE_KEY) -> None:
        self.cache = cache
        self.key = key

    @property
    def label(self) -> str:
        return f"cache key {self.key}"

    async def read(self) -> MaintenanceState | None:
        raw = await self.cache.get(self.key)
        if raw is None:
            return None
        return _decode(raw, self.label)

    async def write(self, state: MaintenanceState) -> None:
        await self.cache.set(self.key, json.dumps(state.to_dict()), ttl=None)

    async def clear(self) -> bool:
        return await self.cache.forget(self.key)
