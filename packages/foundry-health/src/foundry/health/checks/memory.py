"""``memory``: the process's resident memory and the machine's available memory."""

from __future__ import annotations

from typing import Any

from foundry.domain.health import HealthResult, HealthStatus
from foundry.health.thresholds import Threshold, format_bytes

__all__ = ["MemoryCheck"]


class MemoryCheck:
    """Degraded when the machine's memory use passes ``max_used`` percent, or this
    process's RSS passes ``max_rss``.

    Never critical: memory pressure is a warning sign, and taking an instance out of the
    load balancer for it would move its load onto the others.
    """

    def __init__(
        self,
        *,
        max_used: float = 90.0,
        max_rss: Threshold | None = None,
        name: str = "memory",
        critical: bool = False,
        timeout: float = 2.0,
    ) -> None:
        self.max_used = max_used
        self.max_rss = max_rss
        self.name = name
        self.critical = critical
        self.timeout = timeout

    def evaluate(self, rss: int, available: int, total: int) -> HealthResult:
        """The result for a process of ``rss`` bytes on a machine with ``available`` of
        ``total`` bytes free to use."""
        used = round((total - available) * 100 / total, 2) if total else 0.0
        details: dict[str, Any] = {
            "rss_bytes": rss,
            "available_bytes": available,
            "total_bytes": total,
            "used_percent": used,
            "max_used_percent": self.max_used,
            "max_rss": None if self.max_rss is None else str(self.max_rss),
        }
        summary = (
            f"process {format_bytes(rss)}; system {used:g}% used, "
            f"{format_bytes(available)} available"
        )
        problems = []
        if used > self.max_used:
            problems.append(f"system use above {self.max_used:g}% (HEALTH_MEMORY_MAX_USED)")
        if self.max_rss is not None and rss > self.max_rss.of(total):
            problems.append(f"process above {self.max_rss} (HEALTH_MEMORY_MAX_RSS)")
        if problems:
            return HealthResult(HealthStatus.DEGRADED, f"{summary}: {'; '.join(problems)}", details)
        return HealthResult(HealthStatus.OK, summary, details)

    async def check(self) -> HealthResult:
        import psutil  # type: ignore[import-untyped]

        rss = int(psutil.Process().memory_info().rss)
        memory = psutil.virtual_memory()
        return self.evaluate(rss, int(memory.available), int(memory.total))
