"""The ``webhook`` channel: ``to_webhook()`` POSTed as JSON to a URL, signed.

Each request carries:

* ``X-Foundry-Signature: t=<unix>,v1=<hex>`` (see :mod:`foundry.notifications.signing`),
  made with the route's own secret or ``NOTIFICATIONS_WEBHOOK_SECRET``; a webhook with no
  secret is never sent unsigned, it fails with a configuration error instead;
* ``X-Foundry-Notification-Id``: the same on every retry, so receivers drop duplicates;
* ``X-Foundry-Notification-Type``: the notification's type.

Retries follow :mod:`foundry.notifications.channels.http`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from foundry.notifications.channels.base import as_json_object, payload, route_for
from foundry.notifications.channels.http import HttpPoster
from foundry.notifications.exceptions import NotificationConfigurationError
from foundry.notifications.signing import SIGNATURE_HEADER, sign

__all__ = ["WebhookChannel", "WebhookRoute"]


@dataclass(frozen=True, slots=True)
class WebhookRoute:
    """Where a webhook goes: its URL, its own signing secret, extra headers."""

    url: str
    secret: str | None = None
    headers: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def coerce(cls, route: Any) -> WebhookRoute | None:
        """A route given as a URL, a ``{"url", "secret", "headers"}`` dict or a
        ``WebhookRoute``."""
        if not route:
            return None
        if isinstance(route, WebhookRoute):
            return route
        if isinstance(route, str):
            return cls(route)
        if isinstance(route, Mapping) and route.get("url"):
            return cls(
                str(route["url"]),
                route.get("secret") or None,
                dict(route.get("headers") or {}),
            )
        raise NotificationConfigurationError(
            f"A webhook route must be a URL, a WebhookRoute or a dict with a url (got "
            f"{type(route).__name__})."
        )


class WebhookChannel:
    """Posts signed JSON; returns the ``httpx.Response`` (None when nothing is routed)."""

    name = "webhook"

    def __init__(self, http: HttpPoster) -> None:
        self._http = http

    async def send(self, notifiable: Any, notification: Any) -> Any:
        target = WebhookRoute.coerce(route_for(notifiable, self.name, notification))
        if target is None:
            return None
        secret = target.secret or self._http.settings.webhook_secret
        kind = type(notification).__qualname__
        if not secret:
            raise NotificationConfigurationError(
                f"Webhook notification {kind} has no signing secret: set "
                "NOTIFICATIONS_WEBHOOK_SECRET or give the route one "
                "(WebhookRoute(url, secret=...)). Webhooks are never sent unsigned."
            )
        key: str = secret
        data = as_json_object(
            await payload(notification, "to_webhook", notifiable), f"{kind}.to_webhook"
        )
        body = json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        fixed = {
            **target.headers,
            "X-Foundry-Notification-Id": str(notification.id or ""),
            "X-Foundry-Notification-Type": notification.type_name(),
        }

        def headers() -> dict[str, str]:
            return {**fixed, SIGNATURE_HEADER: sign(body, key, int(self._http.now()))}

        return await self._http.post(target.url, body, headers, what=f"Webhook notification {kind}")
