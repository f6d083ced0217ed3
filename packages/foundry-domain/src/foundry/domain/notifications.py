"""Notification contracts: a notification, who receives it, and the channels it goes by."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol, runtime_checkable

from foundry.domain.contracts import contract

__all__ = ["Notifiable", "NotificationChannel", "NotificationSender"]


@runtime_checkable
class Notifiable(Protocol):
    """A recipient: says where each channel should deliver (an address, a user id, a URL)."""

    def route_notification_for(self, channel: str) -> Any: ...


@runtime_checkable
class NotificationChannel(Protocol):
    """Delivers one notification to one recipient (mail, database, broadcast, webhook)."""

    name: str

    async def send(self, notifiable: Notifiable, notification: Any) -> None: ...


@contract("foundry-notifications")
@runtime_checkable
class NotificationSender(Protocol):
    """Sends a notification through every channel its ``via()`` names."""

    async def send(self, notifiables: Notifiable | Sequence[Notifiable], notification: Any) -> None:
        """Queued notifications are dispatched; the rest delivered now."""
        ...
