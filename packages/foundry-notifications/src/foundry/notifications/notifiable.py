"""The ``Notifiable`` mixin: ``await user.notify(InvoicePaid(...))`` on SQLModel models.

Mix it into a table model; it adds no columns::

    class User(Notifiable, SQLModel, table=True):
        id: int | None = Field(default=None, primary_key=True)
        email: str
        slack_webhook_url: str | None = None

Routes are found as in Laravel: a method ``route_notification_for_<channel>(self,
notification)`` wins; otherwise ``mail`` is the ``email`` attribute, ``database`` the
primary key, ``broadcast`` the channel ``<Class>.<id>`` (broadcast on as
``private-User.42``), ``slack`` the ``slack_webhook_url`` attribute and ``webhook`` the
``webhook_url`` attribute (with ``webhook_secret`` when the model has one).

Which app sends is found as :mod:`foundry.notifications.context` explains: ``app=`` or the
current application.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from foundry.notifications.context import current_app

if TYPE_CHECKING:
    from foundry.domain.application import Application
    from foundry.notifications.models import DatabaseNotification
    from foundry.notifications.store import NotifiableKey

__all__ = ["Notifiable"]


class Notifiable:
    """Mixin for models that receive notifications (Laravel's ``Notifiable`` trait)."""

    # --- routing ------------------------------------------------------------------------

    def route_notification_for(self, channel: str, notification: Any = None) -> Any:
        """Where ``channel`` delivers for this model (None: nowhere, the channel skips)."""
        custom = getattr(self, f"route_notification_for_{channel}", None)
        if callable(custom):
            return custom(notification)
        if channel == "mail":
            return getattr(self, "email", None)
        if channel == "database":
            return self.notifiable_id()
        if channel == "broadcast":
            return f"{type(self).__name__}.{self.notifiable_id()}"
        if channel == "slack":
            return getattr(self, "slack_webhook_url", None)
        if channel == "webhook":
            url = getattr(self, "webhook_url", None)
            if not url:
                return None
            from foundry.notifications.channels.webhook import WebhookRoute

            return WebhookRoute(url, secret=getattr(self, "webhook_secret", None))
        return None

    @classmethod
    def notifiable_type(cls) -> str:
        """The ``notifiable_type`` of this model's rows: its table name (else class name)."""
        table = getattr(cls, "__tablename__", None)
        return table if isinstance(table, str) else cls.__name__

    def notifiable_id(self) -> str:
        """This model's primary key as text (several columns: joined with commas).

        Raises:
            ValueError: the model has no primary key yet (save it first).
        """
        from foundry.notifications.serialization import model_identity

        identity = model_identity(self)
        if identity is None:
            value = getattr(self, "id", None)
            if value is None:
                raise ValueError(f"{type(self).__qualname__} has no id; save it first.")
            return str(value)
        key = identity[1]
        return ",".join(str(k) for k in key) if isinstance(key, list) else str(key)

    def notifiable_key(self) -> NotifiableKey:
        """Who this model's ``notifications`` rows belong to."""
        from foundry.notifications.store import NotifiableKey

        return NotifiableKey(type(self).notifiable_type(), str(self.notifiable_id()))

    # --- sending ------------------------------------------------------------------------

    async def notify(self, notification: Any, *, app: Application | None = None) -> None:
        """Send ``notification`` (queued when it is ``ShouldQueue``)."""
        from foundry.notifications.sending import notify

        await notify(current_app(app), self, notification)

    async def notify_now(
        self,
        notification: Any,
        channels: Sequence[str] | None = None,
        *,
        app: Application | None = None,
    ) -> None:
        """Deliver ``notification`` now, even when it is ``ShouldQueue``; ``channels``
        overrides its ``via()``."""
        from foundry.notifications.sending import notify_now

        await notify_now(current_app(app), self, notification, channels=channels)

    # --- the database channel's rows ----------------------------------------------------

    async def notifications(
        self, session: Any, *, limit: int | None = None, offset: int = 0
    ) -> list[DatabaseNotification]:
        """This model's stored notifications, newest first."""
        from foundry.notifications.store import list_for

        return await list_for(session, self.notifiable_key(), limit=limit, offset=offset)

    async def unread_notifications(
        self, session: Any, *, limit: int | None = None, offset: int = 0
    ) -> list[DatabaseNotification]:
        """Those not read yet, newest first."""
        from foundry.notifications.store import list_for

        return await list_for(
            session, self.notifiable_key(), unread=True, limit=limit, offset=offset
        )

    async def read_notifications(
        self, session: Any, *, limit: int | None = None, offset: int = 0
    ) -> list[DatabaseNotification]:
        """Those already read, newest first."""
        from foundry.notifications.store import list_for

        return await list_for(
            session, self.notifiable_key(), unread=False, limit=limit, offset=offset
        )

    async def unread_notification_count(self, session: Any) -> int:
        """How many are unread (a badge's number)."""
        from foundry.notifications.store import count_for

        return await count_for(session, self.notifiable_key(), unread=True)

    async def mark_as_read(self, session: Any, *notification_ids: Any) -> int:
        """Mark the given notifications of this model read (others' ids are ignored);
        returns how many changed."""
        from foundry.notifications.store import find_for

        changed = 0
        for notification_id in notification_ids:
            found = await find_for(session, self.notifiable_key(), notification_id)
            if found is not None and found.read_at is None:
                found.mark_as_read()
                session.add(found)
                changed += 1
        return changed

    async def mark_all_as_read(self, session: Any) -> int:
        """Mark every unread notification of this model read; returns how many."""
        from foundry.notifications.store import mark_all_read

        return await mark_all_read(session, self.notifiable_key())
