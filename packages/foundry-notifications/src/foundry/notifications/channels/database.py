"""The ``database`` channel: one ``notifications`` row per notifiable, through ``Database``."""

from __future__ import annotations

from typing import Any

from foundry.domain.clock import Clock, SystemClock
from foundry.domain.database import Database
from foundry.domain.ids import uuid7
from foundry.notifications.channels.base import as_json_object, payload, service
from foundry.notifications.exceptions import NotificationConfigurationError

__all__ = ["DatabaseChannel"]


class DatabaseChannel:
    """Stores ``to_database(notifiable)`` (default ``to_array``) as the row's ``data``.

    The row's id is the notification's id, so delivering the same notification twice (a
    queued retry after the row was committed) stores it once. Returns the row.
    """

    name = "database"

    def __init__(self, app: Any) -> None:
        self._app = app

    async def send(self, notifiable: Any, notification: Any) -> Any:
        from foundry.notifications.anonymous import AnonymousNotifiable
        from foundry.notifications.models import DatabaseNotification
        from foundry.notifications.store import notifiable_key

        if isinstance(notifiable, AnonymousNotifiable):
            raise NotificationConfigurationError(
                f"{type(notification).__qualname__}: on-demand notifications cannot use the "
                "database channel (its rows belong to a model); notify a model instead."
            )
        database: Database = service(self._app, Database, self.name)
        owner = notifiable_key(notifiable)
        data = as_json_object(
            await payload(notification, "to_database", notifiable),
            f"{type(notification).__qualname__}.to_database",
        )
        clock = self._app.make(Clock) if self._app.bound(Clock) else SystemClock()
        row = DatabaseNotification(
            id=notification.id or uuid7(),
            type=notification.database_type(notifiable),
            notifiable_type=owner.type,
            notifiable_id=owner.id,
            data=data,
            created_at=clock.now(),
        )
        async with database.session() as session:
            existing = await session.get(DatabaseNotification, row.id)
            if existing is not None:
                return existing
            session.add(row)
        return row
