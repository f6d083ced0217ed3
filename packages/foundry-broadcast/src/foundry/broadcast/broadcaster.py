"""``PusherBroadcaster``: the ``Broadcaster`` contract on this package's fan-out.

``await broadcaster.broadcast(["orders"], "order.shipped", {"id": 7})`` from a request, a
command or a queued job reaches every subscriber of ``orders`` on every instance (with the
redis driver; the memory driver reaches this process's subscribers). Events are checked
against the protocol's limits before anything is sent, so a bad call fails loudly here
rather than silently at every client.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from foundry.broadcast.backends.base import Envelope
from foundry.broadcast.exceptions import InvalidEventError
from foundry.broadcast.hub import Hub
from foundry.broadcast.protocol import valid_channel, valid_event_name, valid_socket_id
from foundry.broadcast.settings import BroadcastSettings

__all__ = ["MAX_CHANNELS", "PusherBroadcaster", "build_envelope"]

MAX_CHANNELS = 100
"""Channels one event may name (Pusher's HTTP API limit)."""

RESERVED_PREFIXES = ("pusher:", "pusher_internal:")


def build_envelope(
    settings: BroadcastSettings,
    channels: Sequence[str] | str,
    event: str,
    data: str,
    except_socket: str | None = None,
) -> Envelope:
    """A checked envelope; raises :class:`InvalidEventError` naming the first problem."""
    names = [channels] if isinstance(channels, str) else list(channels)
    if not names:
        raise InvalidEventError("channels", "Name at least one channel to broadcast to.")
    if len(names) > MAX_CHANNELS:
        raise InvalidEventError(
            "channels", f"{len(names)} channels named; at most {MAX_CHANNELS} per event."
        )
    for name in names:
        if not valid_channel(name):
            raise InvalidEventError(
                "channels",
                f"Channel name {str(name)[:80]!r} is invalid: use 1-200 of "
                "A-Z a-z 0-9 _ - = @ , . ;",
            )
    if not valid_event_name(event):
        raise InvalidEventError("event", "The event name must be 1-200 characters.")
    if event.startswith(RESERVED_PREFIXES):
        raise InvalidEventError(
            "event", f"Event {event!r} uses a prefix the protocol reserves (pusher:)."
        )
    size = len(data.encode())
    if size > settings.max_payload_bytes:
        raise InvalidEventError(
            "data",
            f"Event {event!r} carries {size} bytes of data; the limit is "
            f"{settings.max_payload_bytes} (broadcast.max_payload_bytes). Send an id and "
            "let clients fetch the rest.",
        )
    if except_socket is not None and not valid_socket_id(except_socket):
        raise InvalidEventError("socket_id", f"{except_socket!r} is not a socket id (1234.5678).")
    return Envelope(tuple(dict.fromkeys(names)), event, data, except_socket)


class PusherBroadcaster:
    """Implements ``foundry.domain.broadcasting.Broadcaster``.

    Args:
        hub: this instance's hub (its backend carries the event to every instance).
    """

    def __init__(self, hub: Hub) -> None:
        self._hub = hub

    @property
    def driver(self) -> str:
        return self._hub.backend.name

    async def broadcast(
        self,
        channels: Sequence[str],
        event: str,
        payload: Mapping[str, Any],
        *,
        except_socket: str | None = None,
    ) -> None:
        """Send ``event`` with ``payload`` (JSON-encoded) to ``channels``.

        Raises:
            InvalidEventError: a channel name, the event name or the payload size breaks
                the protocol's limits (nothing was sent).
            BroadcastUnavailableError: the redis driver cannot reach Redis (nothing was
                sent; connected clients are unaffected).
        """
        try:
            data = json.dumps(payload, separators=(",", ":"), ensure_ascii=False)
        except (TypeError, ValueError) as exc:
            raise InvalidEventError(
                "payload", f"The payload of {event!r} is not JSON-serialisable: {exc}."
            ) from None
        await self.trigger(channels, event, data, except_socket=except_socket)

    async def trigger(
        self,
        channels: Sequence[str] | str,
        event: str,
        data: str,
        *,
        except_socket: str | None = None,
    ) -> None:
        """Send already-encoded ``data`` (the HTTP API's form)."""
        envelope = build_envelope(self._hub.settings, channels, event, data, except_socket)
        await self._hub.backend.publish(envelope)
