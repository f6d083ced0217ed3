"""What every channel shares: finding a notifiable's route and building a payload."""

from __future__ import annotations

import inspect
import json
from collections.abc import Mapping
from typing import Any

from foundry.notifications.exceptions import NotificationConfigurationError

__all__ = ["as_json_object", "payload", "route_for", "service"]


def route_for(notifiable: Any, channel: str, notification: Any) -> Any:
    """``notifiable.route_notification_for(channel, notification)``, or with the channel
    alone for notifiables that follow the domain's one-argument protocol."""
    method = notifiable.route_notification_for
    try:
        parameters = inspect.signature(method).parameters
    except (TypeError, ValueError):
        return method(channel)
    takes_two = len(parameters) >= 2 or any(
        p.kind is inspect.Parameter.VAR_POSITIONAL for p in parameters.values()
    )
    return method(channel, notification) if takes_two else method(channel)


async def payload(notification: Any, method: str, notifiable: Any) -> Any:
    """Call ``notification.<method>(notifiable)``, awaiting it when it is ``async``."""
    value = getattr(notification, method)(notifiable)
    if inspect.isawaitable(value):
        value = await value
    return value


def as_json_object(value: Any, owner: str) -> dict[str, Any]:
    """``value`` checked to be a JSON object (a mapping JSON can encode)."""
    if not isinstance(value, Mapping):
        raise NotificationConfigurationError(
            f"{owner} returned a {type(value).__name__}; it must return a dict."
        )
    data = dict(value)
    try:
        json.dumps(data, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise NotificationConfigurationError(
            f"{owner} returned data JSON cannot hold ({exc}); return strings, numbers, "
            "booleans, None, lists and dicts (isoformat() datetimes, str() ids)."
        ) from exc
    return data


def service(app: Any, abstract: type[Any], channel: str) -> Any:
    """Resolve ``abstract`` for ``channel``, or fail naming the package to install."""
    from foundry.domain.contracts import unbound_message

    if not app.bound(abstract):
        raise NotificationConfigurationError(
            f"The {channel} channel needs a {abstract.__name__}. {unbound_message(abstract)}"
        )
    return app.make(abstract)
