"""``Notification``: one message, written once, delivered by as many channels as it names.

A notification is a class (usually a dataclass, whose fields are what it is about) with a
``via()`` method naming its channels and one ``to_<channel>()`` method per channel that
turns it into that channel's payload, exactly as in Laravel::

    @dataclass
    class InvoicePaid(Notification):
        invoice_id: int
        amount: str

        def via(self, notifiable) -> list[str]:
            return ["mail", "database"]

        def to_mail(self, notifiable) -> MailMessage:
            return MailMessage().subject("Invoice paid").line(f"We received {self.amount}.")

        def to_array(self, notifiable) -> dict:
            return {"invoice_id": self.invoice_id, "amount": self.amount}

Mix in :class:`ShouldQueue` to deliver through the queue; ``queue``, ``connection``,
``delay``, ``tries``, ``backoff`` and ``timeout`` tune it as class attributes.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from foundry.notifications.exceptions import NotificationConfigurationError

if TYPE_CHECKING:
    from foundry.notifications.queueing import SendQueuedNotification

__all__ = ["ECHO_EVENT", "Notification", "ShouldQueue"]

ECHO_EVENT = "Illuminate\\Notifications\\Events\\BroadcastNotificationCreated"
"""The event name Laravel Echo's ``.notification(callback)`` listens for; broadcast
notifications use it so Echo clients receive them unchanged."""


class ShouldQueue:
    """Marker: a notification that mixes this in is delivered by a queue worker.

    The sender dispatches one ``SendQueuedNotification`` job per notifiable and channel,
    so a channel that fails is retried on its own, never repeating the ones that worked.
    """


class Notification:
    """Base class of notifications (Laravel's ``Illuminate\\Notifications\\Notification``).

    Class attributes (read when the notification is :class:`ShouldQueue`):
        queue: the queue name, or None for the connection's default.
        connection: the queue connection (``sync``, ``database``, ``redis``).
        delay: seconds before a worker may deliver, or a mapping channel -> seconds.
        tries: attempts per channel before the job fails (None: the worker's ``--tries``).
        backoff: seconds before each retry: one number, or one per attempt.
        timeout: seconds one delivery attempt may take.

    ``id`` is set by the sender for each notifiable (a UUIDv7): the database row's id, the
    broadcast payload's ``id`` and the webhook's ``X-Foundry-Notification-Id``. It is the
    same on every retry of a queued delivery, so receivers can ignore duplicates. (So do
    not name a field of your own ``id``.)
    """

    queue: ClassVar[str | None] = None
    connection: ClassVar[str | None] = None
    delay: ClassVar[float | Mapping[str, float]] = 0
    tries: ClassVar[int | None] = None
    backoff: ClassVar[float | Sequence[float] | None] = None
    timeout: ClassVar[float | None] = None

    #: The job class a worker runs for this notification (made for each subclass).
    QueuedJob: ClassVar[type[SendQueuedNotification]]

    id: uuid.UUID | None = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        from foundry.notifications.queueing import job_class_for

        cls.QueuedJob = job_class_for(cls)

    # --- routing ------------------------------------------------------------------------

    def via(self, notifiable: Any) -> Sequence[str]:
        """The channels to deliver by (``"mail"``, ``"database"``, ``"broadcast"``,
        ``"slack"``, ``"webhook"`` or a name registered with ``channels.extend``)."""
        raise NotificationConfigurationError(
            f"{type(self).__qualname__} does not say how to deliver it: define "
            "via(self, notifiable) returning channel names, e.g. ['mail', 'database']."
        )

    def should_send(self, notifiable: Any, channel: str) -> bool:
        """Checked just before each delivery (on the worker, for queued notifications):
        return False to skip ``channel`` for ``notifiable`` (an invoice already paid)."""
        return True

    def via_queues(self) -> Mapping[str, str]:
        """Queue name per channel, overriding ``queue`` (``{"mail": "mail-queue"}``)."""
        return {}

    def via_connections(self) -> Mapping[str, str]:
        """Queue connection per channel, overriding ``connection``."""
        return {}

    # --- payloads -----------------------------------------------------------------------

    def to_array(self, notifiable: Any) -> dict[str, Any]:
        """The notification as JSON data: the fallback of ``to_database``, ``to_broadcast``
        and ``to_webhook``."""
        raise NotificationConfigurationError(
            f"{type(self).__qualname__} has no data for this channel: define to_array(self, "
            "notifiable) (or the channel's own to_database / to_broadcast / to_webhook)."
        )

    def to_database(self, notifiable: Any) -> dict[str, Any]:
        """The ``data`` stored in the ``notifications`` table (default: ``to_array``)."""
        return self.to_array(notifiable)

    def to_broadcast(self, notifiable: Any) -> dict[str, Any]:
        """The broadcast event's payload (default: ``to_array``)."""
        return self.to_array(notifiable)

    def to_webhook(self, notifiable: Any) -> dict[str, Any]:
        """The JSON body POSTed by the webhook channel (default: ``to_array``)."""
        return self.to_array(notifiable)

    def to_mail(self, notifiable: Any) -> Any:
        """A ``MailMessage``, a ``Message`` or a ``Mailable`` for the mail channel."""
        raise NotificationConfigurationError(
            f"{type(self).__qualname__} is sent by mail but defines no to_mail(self, "
            "notifiable): return a MailMessage, a Message or a Mailable."
        )

    def to_slack(self, notifiable: Any) -> Mapping[str, Any] | str:
        """The Slack incoming-webhook payload: ``{"text": ..., "blocks": [...]}`` (Block
        Kit), or a plain string sent as ``{"text": ...}``."""
        raise NotificationConfigurationError(
            f"{type(self).__qualname__} is sent to Slack but defines no to_slack(self, "
            'notifiable): return {"text": "..."} or a Block Kit payload.'
        )

    # --- names ----------------------------------------------------------------------------

    def type_name(self) -> str:
        """The notification's type as stored and sent (the dotted class path)."""
        cls = type(self)
        return f"{cls.__module__}.{cls.__qualname__}"

    def database_type(self, notifiable: Any) -> str:
        """The ``type`` column of its database row (default: :meth:`type_name`)."""
        return self.type_name()

    def broadcast_type(self) -> str:
        """The ``type`` field of its broadcast payload (default: :meth:`type_name`)."""
        return self.type_name()

    def broadcast_as(self) -> str:
        """The broadcast event name (default: the one Laravel Echo's ``.notification()``
        listens for)."""
        return ECHO_EVENT

    def broadcast_on(self, notifiable: Any) -> Sequence[str]:
        """The channels to broadcast on (default: the private channel the notifiable routes
        ``broadcast`` to, e.g. ``private-User.42``)."""
        route = notifiable.route_notification_for("broadcast")
        if not route:
            raise NotificationConfigurationError(
                f"{type(notifiable).__qualname__} routes no broadcast channel for "
                f"{type(self).__qualname__}: define route_notification_for_broadcast(self, "
                "notification) or broadcast_on(self, notifiable) on the notification."
            )
        names = [route] if isinstance(route, str) else list(route)
        return [n if n.startswith(("private-", "presence-")) else f"private-{n}" for n in names]

    def __repr__(self) -> str:
        return f"<{type(self).__qualname__} id={self.id}>"
