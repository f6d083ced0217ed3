"""The notification package's errors: each names the notification, the channel and the fix."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from foundry.domain.errors import ConfigurationError, FoundryError
from foundry.domain.payloads import PayloadError
from foundry.domain.queue import PermanentJobFailure

__all__ = [
    "ChannelFailure",
    "DeliveryError",
    "InvalidSignatureError",
    "NotifiableMissingError",
    "NotificationConfigurationError",
    "NotificationError",
    "NotificationFailedError",
    "NotificationPayloadError",
    "PermanentDeliveryError",
    "TransientDeliveryError",
]


class NotificationError(FoundryError):
    """Root of the notification package's errors."""

    code = "NOTIFICATION_ERROR"


class NotificationConfigurationError(ConfigurationError):
    """A notification, channel or route is set up wrongly; the message says how to fix it."""

    code = "NOTIFICATION_CONFIGURATION"


class DeliveryError(NotificationError):
    """A channel could not hand the notification over (an HTTP endpoint refused it or is
    down). ``retryable`` says whether trying again later can succeed."""

    code = "NOTIFICATION_DELIVERY"
    status = 502
    retryable = True


class TransientDeliveryError(DeliveryError):
    """The endpoint is down, overloaded or rate limiting (5xx, 429, connection errors) and
    every retry in this attempt failed too: a later attempt (a queue retry) may succeed."""

    code = "NOTIFICATION_DELIVERY_TRANSIENT"


class PermanentDeliveryError(DeliveryError):
    """The endpoint refused the request (a 4xx other than 429): the same request will be
    refused again, so it is never retried."""

    code = "NOTIFICATION_DELIVERY_PERMANENT"
    retryable = False


class InvalidSignatureError(NotificationError):
    """A webhook's ``X-Foundry-Signature`` is missing, malformed, stale or does not match."""

    code = "INVALID_WEBHOOK_SIGNATURE"
    status = 400


class NotificationPayloadError(PayloadError):
    """A notification cannot be queued (a field a worker could not rebuild) or a queued one
    cannot be rebuilt on the worker. Raised at dispatch, nothing is queued; on a worker it
    fails the job at once, because the payload will not change on a retry."""

    code = "NOTIFICATION_PAYLOAD"


class NotifiableMissingError(PermanentJobFailure):
    """The model a queued notification was for no longer exists (deleted since dispatch)."""

    code = "NOTIFIABLE_MISSING"


@dataclass(frozen=True, slots=True)
class ChannelFailure:
    """One channel that failed for one notifiable."""

    channel: str
    notifiable: object
    error: BaseException

    @property
    def retryable(self) -> bool:
        """False when trying again cannot help (a refused request, a configuration error)."""
        if isinstance(self.error, DeliveryError):
            return self.error.retryable
        return not isinstance(self.error, ConfigurationError | PermanentJobFailure)


class NotificationFailedError(NotificationError):
    """Some channels failed; every other channel was still tried. ``failures`` lists
    each."""

    code = "NOTIFICATION_FAILED"

    def __init__(self, notification: str, failures: Sequence[ChannelFailure]) -> None:
        details = "; ".join(f"{f.channel}: {type(f.error).__name__}: {f.error}" for f in failures)
        super().__init__(
            f"{notification} failed on {len(failures)} channel(s) ({details}); every other "
            "channel was still tried.",
            context={"channels": [f.channel for f in failures]},
        )
        self.failures = tuple(failures)

    @property
    def retryable(self) -> bool:
        """True when at least one failure may succeed on another attempt."""
        return any(f.retryable for f in self.failures)
