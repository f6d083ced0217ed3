"""On-demand notifications: send to an address, a Slack webhook or a URL that belongs to no
user (Laravel's ``Notification::route``)::

    await route("mail", "ops@example.com").route("slack", slack_url).notify(ServerDown())
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from foundry.notifications.context import current_app

if TYPE_CHECKING:
    from foundry.domain.application import Application

__all__ = ["AnonymousNotifiable", "route"]


class AnonymousNotifiable:
    """A recipient that is nothing but routes, one per channel.

    Queued notifications to it carry the routes themselves in the job, so they must be
    JSON values (strings, dicts of strings).
    """

    def __init__(
        self, routes: Mapping[str, Any] | None = None, *, app: Application | None = None
    ) -> None:
        self.routes: dict[str, Any] = dict(routes or {})
        self._app = app

    def route(self, channel: str, route: Any) -> AnonymousNotifiable:
        """Add (or replace) the route of ``channel``; returns self for chaining."""
        if not channel:
            raise ValueError("route() needs a channel name, e.g. route('mail', 'a@b.c')")
        self.routes[channel] = route
        return self

    def route_notification_for(self, channel: str, notification: Any = None) -> Any:
        """The route given for ``channel``, or None."""
        return self.routes.get(channel)

    async def notify(self, notification: Any, *, app: Application | None = None) -> None:
        """Send (or queue, for a ``ShouldQueue`` notification) to these routes."""
        from foundry.notifications.sending import notify

        await notify(current_app(app or self._app), self, notification)

    async def notify_now(
        self,
        notification: Any,
        channels: list[str] | None = None,
        *,
        app: Application | None = None,
    ) -> None:
        """Deliver now, even a ``ShouldQueue`` notification."""
        from foundry.notifications.sending import notify_now

        await notify_now(current_app(app or self._app), self, notification, channels=channels)

    def __repr__(self) -> str:
        return f"<AnonymousNotifiable {sorted(self.routes)}>"


def route(channel: str, route: Any) -> AnonymousNotifiable:
    """Start an on-demand notifiable with one route: ``route("mail", "ops@example.com")``."""
    return AnonymousNotifiable().route(channel, route)
