"""A :class:`SessionRecord` as JSON-ready data and back (the Redis driver's format)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from foundry.domain.session import SessionRecord

__all__ = ["record_from_dict", "record_to_dict"]


def record_to_dict(record: SessionRecord) -> dict[str, Any]:
    return {
        "id": record.id,
        "user_id": record.user_id,
        "expires_at": record.expires_at.isoformat(),
        "last_activity": record.last_activity.isoformat(),
        "data": record.data,
        "ip_address": record.ip_address,
        "user_agent": record.user_agent,
    }


def record_from_dict(data: dict[str, Any]) -> SessionRecord:
    return SessionRecord(
        id=str(data["id"]),
        user_id=data.get("user_id"),
        expires_at=datetime.fromisoformat(data["expires_at"]),
        last_activity=datetime.fromisoformat(data["last_activity"]),
        data=dict(data.get("data") or {}),
        ip_address=data.get("ip_address"),
        user_agent=data.get("user_agent"),
    )
