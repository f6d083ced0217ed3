"""The outcome of a health run: one entry per check and the overall status.

The overall status follows the ``critical`` flag of each check: a failed critical check
fails the report (``/health/ready`` answers 503, ``health:check`` exits 1); a failed
non-critical check, or any degraded one, only degrades it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from foundry.domain.health import HealthResult, HealthStatus

__all__ = ["CheckReport", "HealthReport", "jsonable"]


def jsonable(value: Any) -> Any:
    """``value`` with anything JSON cannot hold turned into text (paths, datetimes ...),
    so a check's details can never break the readiness endpoint."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, Mapping):
        return {str(key): jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(item) for item in value]
    return str(value)


@dataclass(frozen=True, slots=True)
class CheckReport:
    """One check's result, with the name and criticality it ran under."""

    name: str
    critical: bool
    result: HealthResult

    @property
    def status(self) -> HealthStatus:
        return self.result.status

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.result.status.value,
            "message": self.result.message,
            "duration_ms": round(self.result.duration_ms, 2),
            "details": jsonable(self.result.details),
        }


@dataclass(frozen=True, slots=True)
class HealthReport:
    """Every check that ran, in registration order.

    >>> from foundry.domain.health import HealthResult, HealthStatus
    >>> report = HealthReport((
    ...     CheckReport("disk", True, HealthResult(HealthStatus.OK)),
    ...     CheckReport("memory", False, HealthResult(HealthStatus.FAILED, "boom")),
    ... ))
    >>> report.status.value, report.healthy
    ('degraded', True)
    """

    checks: tuple[CheckReport, ...]

    @property
    def status(self) -> HealthStatus:
        """``failed`` when a critical check failed, ``degraded`` when anything else is not
        ok, else ``ok``."""
        if any(c.critical and c.status is HealthStatus.FAILED for c in self.checks):
            return HealthStatus.FAILED
        if any(c.status is not HealthStatus.OK for c in self.checks):
            return HealthStatus.DEGRADED
        return HealthStatus.OK

    @property
    def healthy(self) -> bool:
        """Ready to serve: no critical check failed."""
        return self.status is not HealthStatus.FAILED

    def get(self, name: str) -> CheckReport | None:
        return next((c for c in self.checks if c.name == name), None)

    def names(self, status: HealthStatus) -> list[str]:
        """The checks that ended in ``status``."""
        return [c.name for c in self.checks if c.status is status]

    def to_dict(self) -> dict[str, Any]:
        """The body of ``/health/ready`` and of ``health:check --format json``."""
        return {
            "status": self.status.value,
            "checks": {c.name: c.to_dict() for c in self.checks},
        }
