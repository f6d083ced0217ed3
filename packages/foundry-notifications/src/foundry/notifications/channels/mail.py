"""The ``mail`` channel: ``to_mail()`` sent through the bound ``Mailer`` contract."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from foundry.domain.mail import Address, Mailer, Message, coerce_addresses
from foundry.domain.naming import title
from foundry.notifications.channels.base import payload, route_for, service
from foundry.notifications.mail_message import MailMessage

__all__ = ["MailChannel", "mail_addresses"]


def mail_addresses(route: Any) -> tuple[Address, ...]:
    """A ``mail`` route as addresses: ``"a@b.c"``, an ``Address``, a list of either, or a
    mapping ``{"a@b.c": "Ada"}`` (address -> name)."""
    if not route:
        return ()
    if isinstance(route, Mapping):
        return tuple(
            Address(str(email), str(name) if name else None) for email, name in route.items()
        )
    return coerce_addresses(route)


class MailChannel:
    """Sends ``to_mail(notifiable)``.

    * a :class:`MailMessage` or a ``Message`` without recipients goes to the notifiable's
      ``mail`` route, and is skipped (nothing to send to) when it has none;
    * a ``Mailable`` is sent as it is: give it its recipients, as in Laravel;
    * ``None`` sends nothing.

    Returns the mailer's ``SentMessage``.
    """

    name = "mail"

    def __init__(self, app: Any) -> None:
        self._app = app

    async def send(self, notifiable: Any, notification: Any) -> Any:
        message = await payload(notification, "to_mail", notifiable)
        if message is None:
            return None
        mailer: Mailer = service(self._app, Mailer, self.name)
        if isinstance(message, MailMessage | Message):
            to = mail_addresses(route_for(notifiable, self.name, notification))
            subject = title(type(notification).__name__)
            if isinstance(message, MailMessage):
                if not (message.recipients or to):
                    return None
                message = message.build_for(to, subject)
            elif not message.to:
                if not to:
                    return None
                message = replace(message, to=to)
        return await mailer.send(message)
