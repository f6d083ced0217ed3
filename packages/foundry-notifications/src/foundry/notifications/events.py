"""Events fired around each delivery, through the bound ``EventDispatcher``.

One set per notifiable and channel: ``NotificationSending`` just before the channel is
called, then ``NotificationSent`` (with what the channel returned: the ``SentMessage``,
the stored row, the HTTP response) or ``NotificationFailed`` (with the exception). For
queued notifications they fire on the worker, at delivery.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from foundry.domain.events import Event

__all__ = ["NotificationEvent", "NotificationFailed", "NotificationSending", "NotificationSent"]


@dataclass(frozen=True, slots=True)
class NotificationEvent(Event):
    """Base of the notification events: who, what and by which channel."""

    notifiable: Any
    notification: Any
    channel: str


@dataclass(frozen=True, slots=True)
class NotificationSending(NotificationEvent):
    """A channel is about to deliver the notification."""


@dataclass(frozen=True, slots=True)
class NotificationSent(NotificationEvent):
    """A channel delivered the notification; ``response`` is what the channel returned."""

    response: Any = None


@dataclass(frozen=True, slots=True)
class NotificationFailed(NotificationEvent):
    """A channel failed; the other channels were still tried."""

    exception: BaseException | None = None
