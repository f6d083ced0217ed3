"""The notification package's provider: the sender, its channels, routes, commands."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, ClassVar

from foundry.domain.application import CommandCaller
from foundry.domain.broadcasting import Broadcaster
from foundry.domain.config import ConfigRepository
from foundry.domain.container import Abstract
from foundry.domain.database import Database
from foundry.domain.env import EnvVar
from foundry.domain.events import EventDispatcher
from foundry.domain.http import MiddlewareSpec, Priority
from foundry.domain.mail import Mailer
from foundry.domain.notifications import NotificationSender
from foundry.domain.provider import ServiceProvider
from foundry.domain.queue import QueueDispatcher

if TYPE_CHECKING:
    from foundry.domain.application import Application

__all__ = ["NotificationsServiceProvider"]


def _env() -> tuple[EnvVar, ...]:
    from foundry.notifications.settings import ENV_VARS

    return ENV_VARS


class NotificationsServiceProvider(ServiceProvider):
    """Binds ``NotificationSender`` (a ``NotificationManager``) and ``ChannelManager``;
    serves ``/notifications``; adds ``make:notification``, ``notifications:table`` and
    ``notifications:prune`` (scheduled daily when a scheduler is installed)."""

    name = "notifications"
    provides: ClassVar[tuple[Abstract, ...]] = (NotificationSender,)
    after: ClassVar[tuple[Abstract, ...]] = (
        ConfigRepository,
        Database,
        Mailer,
        Broadcaster,
        QueueDispatcher,
        EventDispatcher,
    )
    commands: ClassVar[tuple[str, ...]] = (
        "foundry.notifications.make:MakeNotificationCommand",
        "foundry.notifications.commands:NotificationsTableCommand",
        "foundry.notifications.commands:PruneNotificationsCommand",
    )
    env: ClassVar[tuple[EnvVar, ...]] = _env()
    migrations = "foundry.notifications:migrations"
    stubs = "foundry.notifications:stubs"

    def register(self, app: Application) -> None:
        from foundry.notifications.channels import ChannelManager
        from foundry.notifications.manager import NotificationManager
        from foundry.notifications.settings import NotificationSettings

        def channels(_: Any) -> ChannelManager:
            return ChannelManager(app, NotificationSettings.from_config(app.config))

        app.singleton(ChannelManager, channels)
        app.singleton(
            NotificationManager, lambda c: NotificationManager(app, c.make(ChannelManager))
        )
        app.singleton(NotificationSender, lambda c: c.make(NotificationManager))

    def boot(self, app: Application) -> None:
        from foundry.notifications.context import set_current_app

        set_current_app(app)

        async def close() -> None:
            from foundry.notifications.channels import ChannelManager

            await app.make(ChannelManager).aclose()

        app.terminating(close)

    def middleware(self, app: Application) -> Iterable[MiddlewareSpec]:
        from foundry.notifications.context import CurrentAppMiddleware

        return (
            MiddlewareSpec(
                CurrentAppMiddleware,
                {"foundry": app},
                priority=Priority.CONTAINER_SCOPE + 10,
                name="notifications.current_app",
            ),
        )

    def routes(self, app: Application) -> Iterable[Any]:
        from foundry.notifications.settings import NotificationSettings

        if not NotificationSettings.from_config(app.config).routes or not app.bound(Database):
            return ()
        from foundry.notifications.routes import notification_router

        return (notification_router(app),)

    def schedule(self, app: Application, schedule: Any) -> None:
        """``notifications:prune`` daily, when the scheduler can run commands and there is a
        database to prune."""
        command = getattr(schedule, "command", None)
        if callable(command) and app.bound(CommandCaller) and app.bound(Database):
            command("notifications:prune").daily().description(
                "Delete notifications read more than NOTIFICATIONS_PRUNE_DAYS days ago"
            )
