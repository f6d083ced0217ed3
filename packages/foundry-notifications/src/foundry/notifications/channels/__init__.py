"""Channels by name: the five built in, plus any an app or package registers.

::

    channels = app.make(ChannelManager)
    channels.extend("sms", lambda app: SmsChannel(app.make(SmsClient)))

A factory is called with the application the first time its channel is needed (or is a
class, built by the container); the channel is then reused. Names in a notification's
``via()`` are looked up here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from foundry.domain.notifications import NotificationChannel
from foundry.notifications.exceptions import NotificationConfigurationError
from foundry.notifications.settings import NotificationSettings

__all__ = ["BUILT_IN", "ChannelFactory", "ChannelManager"]

ChannelFactory = Callable[[Any], Any] | type[Any]

BUILT_IN = ("mail", "database", "broadcast", "slack", "webhook")


class ChannelManager:
    """Builds and keeps the channels of one application."""

    def __init__(
        self, app: Any, settings: NotificationSettings | None = None, *, http: Any = None
    ) -> None:
        self._app = app
        self.settings = settings or NotificationSettings()
        self._factories: dict[str, ChannelFactory] = {}
        self._channels: dict[str, Any] = {}
        self._http: Any = http

    def extend(self, name: str, factory: ChannelFactory) -> None:
        """Register (or replace) the channel ``name``.

        Raises:
            ValueError: ``name`` is empty or not a string.
        """
        if not isinstance(name, str) or not name.strip():
            raise ValueError("a notification channel needs a name, e.g. extend('sms', ...)")
        self._factories[name] = factory
        self._channels.pop(name, None)

    def names(self) -> list[str]:
        """Every channel name that can be used in ``via()``."""
        return sorted({*BUILT_IN, *self._factories})

    def channel(self, name: str) -> NotificationChannel:
        """The channel called ``name``.

        Raises:
            NotificationConfigurationError: no channel has this name, or its factory did
                not build something with an ``async send(notifiable, notification)``.
        """
        built = self._channels.get(name)
        if built is None:
            built = self._build(name)
            if not callable(getattr(built, "send", None)):
                raise NotificationConfigurationError(
                    f"The factory of notification channel {name!r} built a "
                    f"{type(built).__name__}, which has no async send(notifiable, "
                    "notification) method."
                )
            self._channels[name] = built
        return built  # type: ignore[no-any-return]

    def _build(self, name: str) -> Any:
        factory = self._factories.get(name)
        if factory is not None:
            return self._app.make(factory) if isinstance(factory, type) else factory(self._app)
        if name == "mail":
            from foundry.notifications.channels.mail import MailChannel

            return MailChannel(self._app)
        if name == "database":
            from foundry.notifications.channels.database import DatabaseChannel

            return DatabaseChannel(self._app)
        if name == "broadcast":
            from foundry.notifications.channels.broadcast import BroadcastChannel

            return BroadcastChannel(self._app)
        if name == "slack":
            from foundry.notifications.channels.slack import SlackChannel

            return SlackChannel(self.http())
        if name == "webhook":
            from foundry.notifications.channels.webhook import WebhookChannel

            return WebhookChannel(self.http())
        raise NotificationConfigurationError(
            f"No notification channel is named {name!r} (known: {', '.join(self.names())}). "
            f"Register it: app.make(ChannelManager).extend({name!r}, factory)."
        )

    def http(self) -> Any:
        """The ``HttpPoster`` the Slack and webhook channels share."""
        if self._http is None:
            from foundry.notifications.channels.http import HttpPoster

            self._http = HttpPoster(self.settings)
        return self._http

    async def aclose(self) -> None:
        """Close the HTTP connection pool, if one was opened."""
        if self._http is not None:
            await self._http.aclose()
