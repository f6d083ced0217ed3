"""The ``slack`` channel: ``to_slack()`` POSTed to a Slack incoming webhook.

The route is the webhook URL (``https://hooks.slack.com/services/...``): the notifiable's
``slack`` route, else ``NOTIFICATIONS_SLACK_WEBHOOK_URL``. The payload is Slack's own
(``text``, ``blocks`` in Block Kit, ``attachments``); a plain string is sent as
``{"text": ...}``. Retries follow :mod:`foundry.notifications.channels.http`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from foundry.notifications.channels.base import payload, route_for
from foundry.notifications.channels.http import HttpPoster
from foundry.notifications.exceptions import NotificationConfigurationError

__all__ = ["SlackChannel"]

_CONTENT = ("text", "blocks", "attachments")


class SlackChannel:
    """Posts to Slack; returns the ``httpx.Response`` (None when nothing is routed)."""

    name = "slack"

    def __init__(self, http: HttpPoster) -> None:
        self._http = http

    async def send(self, notifiable: Any, notification: Any) -> Any:
        url = (
            route_for(notifiable, self.name, notification) or self._http.settings.slack_webhook_url
        )
        if not url:
            return None
        message = await payload(notification, "to_slack", notifiable)
        if isinstance(message, str):
            message = {"text": message}
        owner = f"{type(notification).__qualname__}.to_slack"
        if not isinstance(message, Mapping) or not any(message.get(k) for k in _CONTENT):
            raise NotificationConfigurationError(
                f"{owner} must return a string or a dict with text, blocks or attachments "
                f"(got {message!r:.80})."
            )
        try:
            body = json.dumps(dict(message), allow_nan=False, separators=(",", ":")).encode()
        except (TypeError, ValueError) as exc:
            raise NotificationConfigurationError(
                f"{owner} returned data JSON cannot hold ({exc})."
            ) from exc
        return await self._http.post(
            str(url), body, dict, what=f"Slack notification {type(notification).__qualname__}"
        )
