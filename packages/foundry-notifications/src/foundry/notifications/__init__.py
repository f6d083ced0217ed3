"""Foundry's notifications: one message, delivered by mail, database, broadcast, Slack and
signed webhooks, now or through the queue.

Names are loaded on first use, so importing the package (as the provider does) stays
cheap; SQLModel and httpx load only when a model or an HTTP channel is used.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from foundry.notifications.anonymous import AnonymousNotifiable, route
    from foundry.notifications.channels import ChannelManager
    from foundry.notifications.channels.http import HttpPoster
    from foundry.notifications.channels.webhook import WebhookRoute
    from foundry.notifications.context import current_app, using_app
    from foundry.notifications.events import (
        NotificationFailed,
        NotificationSending,
        NotificationSent,
    )
    from foundry.notifications.exceptions import (
        ChannelFailure,
        DeliveryError,
        InvalidSignatureError,
        NotifiableMissingError,
        NotificationConfigurationError,
        NotificationError,
        NotificationFailedError,
        NotificationPayloadError,
        PermanentDeliveryError,
        TransientDeliveryError,
    )
    from foundry.notifications.mail_message import MailMessage
    from foundry.notifications.manager import NotificationManager
    from foundry.notifications.models import DatabaseNotification
    from foundry.notifications.notifiable import Notifiable
    from foundry.notifications.notification import ECHO_EVENT, Notification, ShouldQueue
    from foundry.notifications.queueing import SendQueuedNotification
    from foundry.notifications.sending import notify, notify_now
    from foundry.notifications.settings import NotificationSettings
    from foundry.notifications.signing import SIGNATURE_HEADER, sign, verify_signature
    from foundry.notifications.store import NotifiableKey

__version__ = "0.1.0"

_EXPORTS = {
    "AnonymousNotifiable": "anonymous",
    "route": "anonymous",
    "ChannelManager": "channels",
    "HttpPoster": "channels.http",
    "WebhookRoute": "channels.webhook",
    "current_app": "context",
    "using_app": "context",
    "NotificationFailed": "events",
    "NotificationSending": "events",
    "NotificationSent": "events",
    "ChannelFailure": "exceptions",
    "DeliveryError": "exceptions",
    "InvalidSignatureError": "exceptions",
    "NotifiableMissingError": "exceptions",
    "NotificationConfigurationError": "exceptions",
    "NotificationError": "exceptions",
    "NotificationFailedError": "exceptions",
    "NotificationPayloadError": "exceptions",
    "PermanentDeliveryError": "exceptions",
    "TransientDeliveryError": "exceptions",
    "MailMessage": "mail_message",
    "NotificationManager": "manager",
    "DatabaseNotification": "models",
    "Notifiable": "notifiable",
    "ECHO_EVENT": "notification",
    "Notification": "notification",
    "ShouldQueue": "notification",
    "SendQueuedNotification": "queueing",
    "notify": "sending",
    "notify_now": "sending",
    "NotificationSettings": "settings",
    "SIGNATURE_HEADER": "signing",
    "sign": "signing",
    "verify_signature": "signing",
    "NotifiableKey": "store",
}

__all__ = [
    "ECHO_EVENT",
    "SIGNATURE_HEADER",
    "AnonymousNotifiable",
    "ChannelFailure",
    "ChannelManager",
    "DatabaseNotification",
    "DeliveryError",
    "HttpPoster",
    "InvalidSignatureError",
    "MailMessage",
    "Notifiable",
    "NotifiableKey",
    "NotifiableMissingError",
    "Notification",
    "NotificationConfigurationError",
    "NotificationError",
    "NotificationFailed",
    "NotificationFailedError",
    "NotificationManager",
    "NotificationPayloadError",
    "NotificationSending",
    "NotificationSent",
    "NotificationSettings",
    "PermanentDeliveryError",
    "SendQueuedNotification",
    "ShouldQueue",
    "TransientDeliveryError",
    "WebhookRoute",
    "__version__",
    "current_app",
    "notify",
    "notify_now",
    "route",
    "sign",
    "using_app",
    "verify_signature",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'foundry.notifications' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"foundry.notifications.{module}"), name)
    globals()[name] = value
    return value
