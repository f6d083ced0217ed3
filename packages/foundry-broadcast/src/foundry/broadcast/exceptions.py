"""The broadcast package's errors: narrow subclasses of foundry.domain's hierarchy.

Each names what failed, where, and what to do, so the CLI's one line, the HTTP envelope
and the log all read the same.
"""

from __future__ import annotations

from foundry.domain.errors import (
    AuthenticationError,
    AuthorizationError,
    ConfigurationError,
    ServiceUnavailableError,
    ValidationError,
)

__all__ = [
    "BroadcastConfigurationError",
    "BroadcastUnavailableError",
    "ChannelAuthorizationError",
    "InvalidEventError",
    "SignatureError",
]


class BroadcastConfigurationError(ConfigurationError):
    """A ``broadcast.*`` setting is missing or malformed."""

    code = "BROADCAST_CONFIGURATION"


class BroadcastUnavailableError(ServiceUnavailableError):
    """The fan-out backend (Redis) could not take the event.

    The event is lost, not queued, so the caller decides whether to retry (a queued job's
    retries do exactly that); websocket clients are told to reconnect and refetch.
    """

    code = "BROADCAST_UNAVAILABLE"


class InvalidEventError(ValidationError):
    """An event, channel name or payload breaks the Pusher protocol's limits."""

    code = "INVALID_BROADCAST_EVENT"

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message, fields={field: [message]})
        self.field = field


class ChannelAuthorizationError(AuthorizationError):
    """The current user may not subscribe to a private or presence channel."""

    code = "CHANNEL_FORBIDDEN"


class SignatureError(AuthenticationError):
    """A request to the HTTP trigger API is not signed with the app's secret."""

    code = "INVALID_SIGNATURE"
