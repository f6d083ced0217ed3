"""The ``broadcast`` channel: pushes ``to_broadcast()`` through the ``Broadcaster`` contract.

The event is the one Laravel Echo's ``.notification(callback)`` listens for, and the
payload is the data plus ``id`` and ``type``, as Laravel sends it, so a front end written
for Laravel works unchanged::

    Echo.private(`User.${userId}`).notification((n) => console.log(n.type, n.id));
"""

from __future__ import annotations

from typing import Any

from foundry.domain.broadcasting import Broadcaster
from foundry.notifications.channels.base import as_json_object, payload, service

__all__ = ["BroadcastChannel"]


class BroadcastChannel:
    """Broadcasts on ``notification.broadcast_on(notifiable)`` (default
    ``private-<Model>.<id>``); returns the channel names."""

    name = "broadcast"

    def __init__(self, app: Any) -> None:
        self._app = app

    async def send(self, notifiable: Any, notification: Any) -> Any:
        broadcaster: Broadcaster = service(self._app, Broadcaster, self.name)
        data = as_json_object(
            await payload(notification, "to_broadcast", notifiable),
            f"{type(notification).__qualname__}.to_broadcast",
        )
        data.update(
            id=str(notification.id) if notification.id else None,
            type=notification.broadcast_type(),
        )
        channels = list(notification.broadcast_on(notifiable))
        await broadcaster.broadcast(channels, notification.broadcast_as(), data)
        return channels
