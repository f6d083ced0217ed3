"""``disk``: free space where the application writes (its ``storage/`` folder)."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

from foundry.domain.health import HealthResult, HealthStatus
from foundry.health.thresholds import Threshold, format_bytes

__all__ = ["DiskCheck"]


def _existing(path: Path) -> Path:
    """``path`` or its nearest existing parent (``storage/`` may not exist yet; the disk
    it will live on does)."""
    for candidate in (path, *path.parents):
        if candidate.exists():
            return candidate
    return path


class DiskCheck:
    """Degraded below ``min_free``, failed below ``critical_free``.

    Logs, sessions, uploads and the SQLite database all live under ``storage/``; a full
    disk breaks them all at once, so the failing threshold makes the app not ready.
    """

    def __init__(
        self,
        path: Path,
        *,
        min_free: Threshold,
        critical_free: Threshold,
        name: str = "disk",
        critical: bool = True,
        timeout: float = 2.0,
    ) -> None:
        self.path = path
        self.min_free = min_free
        self.critical_free = critical_free
        self.name = name
        self.critical = critical
        self.timeout = timeout

    def evaluate(self, free: int, total: int) -> HealthResult:
        """The result for a disk with ``free`` of ``total`` bytes available."""
        percent = round(free * 100 / total, 2) if total else 0.0
        details = {
            "path": str(self.path),
            "free_bytes": free,
            "total_bytes": total,
            "free_percent": percent,
            "min_free": str(self.min_free),
            "critical_free": str(self.critical_free),
        }
        summary = f"{format_bytes(free)} free of {format_bytes(total)} ({percent:g}%)"
        if free < self.critical_free.of(total):
            return HealthResult(
                HealthStatus.FAILED,
                f"{summary}, below the critical {self.critical_free} (HEALTH_DISK_CRITICAL_FREE)",
                details,
            )
        if free < self.min_free.of(total):
            return HealthResult(
                HealthStatus.DEGRADED,
                f"{summary}, below {self.min_free} (HEALTH_DISK_MIN_FREE)",
                details,
            )
        return HealthResult(HealthStatus.OK, summary, details)

    async def check(self) -> HealthResult:
        # A stalled network mount blocks statvfs; a thread keeps the timeout effective.
        usage = await asyncio.to_thread(shutil.disk_usage, _existing(self.path))
        return self.evaluate(int(usage.free), int(usage.total))
