"""Audit trail contract: a record of who changed what, persisted by a sink."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

from foundry.domain.contracts import contract

__all__ = ["AuditRecord", "AuditSink"]


@dataclass(frozen=True, slots=True)
class AuditRecord:
    event: str  # created, updated, deleted, restored, or a custom name
    auditable_type: str
    auditable_id: str
    old_values: Mapping[str, Any] = field(default_factory=dict)
    new_values: Mapping[str, Any] = field(default_factory=dict)
    user_id: str | None = None
    ip_address: str | None = None
    user_agent: str | None = None
    url: str | None = None
    tags: Sequence[str] = ()
    created_at: datetime | None = None


@contract("foundry-audit")
@runtime_checkable
class AuditSink(Protocol):
    """Stores audit records."""

    async def record(self, record: AuditRecord) -> None: ...
