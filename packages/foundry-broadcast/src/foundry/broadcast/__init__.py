"""Websocket broadcasting on the Pusher Channels protocol, for one instance or many.

pusher-js and Laravel Echo connect to ``/app/{key}`` unchanged; private and presence
channels are authorised at ``/broadcasting/auth`` by callbacks registered in the
:class:`ChannelRegistry`; the app broadcasts through the ``Broadcaster`` contract (bound to
:class:`PusherBroadcaster`) and Pusher server libraries through the HTTP API. The redis
driver fans events out to every instance and keeps presence consistent across them.
"""

from __future__ import annotations

from foundry.broadcast.broadcaster import PusherBroadcaster
from foundry.broadcast.channels import ChannelRegistry
from foundry.broadcast.exceptions import (
    BroadcastConfigurationError,
    BroadcastUnavailableError,
    ChannelAuthorizationError,
    InvalidEventError,
    SignatureError,
)
from foundry.broadcast.guards import AUTHENTICATORS_TAG, RequestAuthenticator
from foundry.broadcast.hub import Hub
from foundry.broadcast.settings import BroadcastSettings
from foundry.broadcast.signing import channel_auth

__version__ = "0.1.0"

__all__ = [
    "AUTHENTICATORS_TAG",
    "BroadcastConfigurationError",
    "BroadcastServiceProvider",
    "BroadcastSettings",
    "BroadcastUnavailableError",
    "ChannelAuthorizationError",
    "ChannelRegistry",
    "Hub",
    "InvalidEventError",
    "PusherBroadcaster",
    "RequestAuthenticator",
    "SignatureError",
    "__version__",
    "channel_auth",
]


def __getattr__(name: str) -> object:
    if name == "BroadcastServiceProvider":
        from foundry.broadcast.provider import BroadcastServiceProvider

        return BroadcastServiceProvider
    raise AttributeError(f"module 'foundry.broadcast' has no attribute {name!r}")
