"""The ``notifications`` table: what the database channel stores, one row per notifiable.

The columns are Laravel's: a UUIDv7 ``id`` (the notification's id), the notification
``type``, who it is for (``notifiable_type`` + ``notifiable_id``), its ``data`` as JSON,
``read_at`` and ``created_at``. ``notifiable_type`` is the notifiable model's table name
(``users``), so a user model of the app and the auth package's own ``User`` over the same
table read the same notifications.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from foundry.domain.clock import utcnow
from foundry.domain.ids import uuid7
from foundry.domain.sql import JSON, UTCDateTime

__all__ = ["DatabaseNotification"]


class DatabaseNotification(SQLModel, table=True):
    """A notification stored for a notifiable (``notifications`` table)."""

    __tablename__ = "notifications"
    __table_args__ = (
        sa.Index("ix_notifications_notifiable", "notifiable_type", "notifiable_id"),
        sa.Index("ix_notifications_read_at", "read_at"),
    )

    id: uuid.UUID = Field(default_factory=uuid7, primary_key=True)
    type: str = Field(max_length=255)
    notifiable_type: str = Field(max_length=255)
    notifiable_id: str = Field(max_length=64)
    data: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    read_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    def mark_as_read(self, at: datetime | None = None) -> None:
        """Set ``read_at`` (now by default) unless already read; the session that loaded
        the row saves it."""
        if self.read_at is None:
            self.read_at = at or utcnow()

    def mark_as_unread(self) -> None:
        """Clear ``read_at``; the session that loaded the row saves it."""
        self.read_at = None

    def to_dict(self) -> dict[str, Any]:
        """The row as the JSON API shows it."""
        return {
            "id": str(self.id),
            "type": self.type,
            "data": self.data,
            "read_at": self.read_at.isoformat() if self.read_at else None,
            "created_at": self.created_at.isoformat(),
        }
