"""Health check contract: one named check with a status and details."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

__all__ = ["HealthCheck", "HealthResult", "HealthStatus"]


class HealthStatus(enum.StrEnum):
    OK = "ok"
    DEGRADED = "degraded"  # working, but something needs attention (low disk)
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class HealthResult:
    status: HealthStatus
    message: str = ""
    details: Mapping[str, Any] = field(default_factory=dict)
    duration_ms: float = 0.0

    @property
    def ok(self) -> bool:
        return self.status is not HealthStatus.FAILED


@runtime_checkable
class HealthCheck(Protocol):
    """A readiness check (``database``, ``redis``, ``disk``). ``critical`` checks make the
    app not ready when they fail; the others only degrade it."""

    name: str
    critical: bool

    async def check(self) -> HealthResult: ...
