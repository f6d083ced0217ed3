"""The primitives: ``await notify(app, user, notification)`` and ``notify_now``.

They name the application explicitly, so they work anywhere (a script, a test, another
package's job); ``user.notify()`` and ``route(...).notify()`` call them with the app found
as :mod:`foundry.notifications.context` explains.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from foundry.domain.application import Application
from foundry.domain.contracts import unbound_message
from foundry.domain.notifications import NotificationSender
from foundry.notifications.exceptions import NotificationConfigurationError

__all__ = ["notify", "notify_now"]


async def notify(app: Application, notifiables: Any, notification: Any) -> None:
    """Send ``notification`` to one notifiable or a list, through ``app``'s bound
    ``NotificationSender`` (queued when the notification is ``ShouldQueue``)."""
    if not app.bound(NotificationSender):
        raise NotificationConfigurationError(unbound_message(NotificationSender))
    await app.make(NotificationSender).send(notifiables, notification)


async def notify_now(
    app: Application,
    notifiables: Any,
    notification: Any,
    *,
    channels: Sequence[str] | None = None,
) -> None:
    """Deliver ``notification`` now, even when it is ``ShouldQueue``; ``channels``
    overrides its ``via()``."""
    from foundry.notifications.manager import NotificationManager

    if not app.bound(NotificationManager):
        raise NotificationConfigurationError(
            "notify_now needs foundry-notifications' NotificationManager: boot the app with "
            "NotificationsServiceProvider (installed packages are discovered)."
        )
    await app.make(NotificationManager).send_now(notifiables, notification, channels=channels)
