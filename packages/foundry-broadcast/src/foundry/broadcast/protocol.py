"""The Pusher Channels protocol (version 7): names, limits, error codes and frames.

Every frame is one JSON object ``{"event", "channel"?, "data"?}``. Server events carry
their ``data`` as a JSON-encoded *string* (``pusher_internal:*``, ``connection_established``
and every broadcast event); ``pusher:error``, ``pusher:ping`` and ``pusher:pong`` carry an
object. Clients (pusher-js, Laravel Echo) decode either form.

Close codes follow the protocol's ranges, which tell a client what to do next:
4000-4099 do not reconnect, 4100-4199 reconnect with backoff, 4200-4299 reconnect now.
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Mapping
from typing import Any

__all__ = [
    "APP_NOT_FOUND",
    "BACKEND_UNAVAILABLE",
    "CLIENT_EVENT_REJECTED",
    "CONNECTION_UNAUTHORIZED",
    "NO_PROTOCOL",
    "OVER_CAPACITY",
    "PONG_NOT_RECEIVED",
    "RECONNECT",
    "SUPPORTED_PROTOCOLS",
    "UNSUPPORTED_PROTOCOL",
    "channel_kind",
    "dumps",
    "error_frame",
    "event_frame",
    "is_client_event",
    "new_socket_id",
    "valid_channel",
    "valid_event_name",
    "valid_socket_id",
]

# --- error and close codes (https://pusher.com/docs/channels/library_auth_reference/pusher-websockets-protocol)
APP_NOT_FOUND = 4001  # application does not exist (do not reconnect)
UNSUPPORTED_PROTOCOL = 4007  # protocol version not supported
NO_PROTOCOL = 4008  # no protocol version supplied
CONNECTION_UNAUTHORIZED = 4009  # forged or missing auth signature
OVER_CAPACITY = 4100  # server over capacity / slow consumer (reconnect with backoff)
# The fan-out backend (Redis) is unreachable: events may have been missed, and reconnecting
# at once would only be refused again. Pusher defines no code for it; any code of the
# 4100-4199 range makes every client back off (pusher-js: one second) before reconnecting.
BACKEND_UNAVAILABLE = 4101
RECONNECT = 4200  # generic reconnect immediately (server shutting down)
PONG_NOT_RECEIVED = 4201  # pong reply not received in time
CLIENT_EVENT_REJECTED = 4301  # client event refused (disabled, too big, rate limited)

SUPPORTED_PROTOCOLS = frozenset({5, 6, 7})

MAX_CHANNEL_LENGTH = 200
MAX_EVENT_LENGTH = 200
_CHANNEL = re.compile(r"^[A-Za-z0-9_\-=@,.;]+$")
_SOCKET_ID = re.compile(r"^\d+\.\d+$")


def dumps(value: Any) -> str:
    """Compact JSON, the way every frame goes on the wire."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def new_socket_id() -> str:
    """A fresh ``<int>.<int>`` socket id, unguessable (it is part of auth signatures)."""
    return f"{secrets.randbelow(10**10)}.{secrets.randbelow(10**10)}"


def valid_socket_id(value: object) -> bool:
    return isinstance(value, str) and bool(_SOCKET_ID.match(value))


def valid_channel(name: object) -> bool:
    """Pusher's channel names: 1-200 of ``A-Z a-z 0-9 _ - = @ , . ;``."""
    return (
        isinstance(name, str) and 0 < len(name) <= MAX_CHANNEL_LENGTH and bool(_CHANNEL.match(name))
    )


def valid_event_name(name: object) -> bool:
    return isinstance(name, str) and 0 < len(name) <= MAX_EVENT_LENGTH


def channel_kind(name: str) -> str:
    """``presence``, ``private`` (including ``private-encrypted-``) or ``public``."""
    if name.startswith("presence-"):
        return "presence"
    if name.startswith("private-"):
        return "private"
    return "public"


def is_client_event(event: str) -> bool:
    return event.startswith("client-")


def event_frame(
    event: str,
    data: Any = None,
    channel: str | None = None,
    *,
    user_id: str | None = None,
    encode_data: bool = True,
) -> str:
    """One frame. ``data`` is JSON-encoded into a string unless it already is one (or
    ``encode_data`` is off, for client events relayed as the client sent them)."""
    frame: dict[str, Any] = {"event": event}
    if channel is not None:
        frame["channel"] = channel
    if data is not None:
        frame["data"] = data if isinstance(data, str) or not encode_data else dumps(data)
    if user_id is not None:
        frame["user_id"] = user_id
    return dumps(frame)


def error_frame(code: int | None, message: str, channel: str | None = None) -> str:
    """``pusher:error`` with ``{"code", "message"}`` (code may be null, as Pusher sends)."""
    frame: dict[str, Any] = {"event": "pusher:error", "data": {"code": code, "message": message}}
    if channel is not None:
        frame["channel"] = channel
    return dumps(frame)


def subscription_error_frame(channel: str, kind: str, message: str, status: int) -> str:
    """``pusher:subscription_error`` on the channel, which Echo's ``.error()`` receives."""
    data: Mapping[str, Any] = {"type": kind, "error": message, "status": status}
    return dumps({"event": "pusher:subscription_error", "channel": channel, "data": data})


__all__ += ["subscription_error_frame"]
