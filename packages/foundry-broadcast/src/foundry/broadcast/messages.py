"""What the server does with each message a client sends.

``pusher:ping`` gets a pong; ``pusher:subscribe`` checks the channel's signature (private
and presence channels), joins presence books and answers
``pusher_internal:subscription_succeeded``; ``pusher:unsubscribe`` leaves; ``client-*``
events are relayed to the channel's other subscribers when the app allows them.
"""

from __future__ import annotations

import contextlib
import json
import logging
import time
from typing import Any

from foundry.broadcast.backends.base import Envelope
from foundry.broadcast.connection import Connection, PresenceMember
from foundry.broadcast.exceptions import BroadcastConfigurationError, BroadcastUnavailableError
from foundry.broadcast.hub import Hub
from foundry.broadcast.protocol import (
    CLIENT_EVENT_REJECTED,
    CONNECTION_UNAUTHORIZED,
    channel_kind,
    dumps,
    error_frame,
    event_frame,
    is_client_event,
    subscription_error_frame,
    valid_channel,
    valid_event_name,
)
from foundry.broadcast.signing import verify_channel_auth

__all__ = ["CLIENT_EVENTS_PER_SECOND", "MessageHandler", "parse_member"]

log = logging.getLogger("foundry.broadcast")

PONG = dumps({"event": "pusher:pong", "data": {}})
CLIENT_EVENTS_PER_SECOND = 10
"""Pusher's limit on client events one connection may send per second."""


def parse_member(channel_data: object) -> PresenceMember | None:
    """The member in a presence subscription's ``channel_data`` (``{"user_id", "user_info"}``)."""
    if not isinstance(channel_data, str):
        return None
    try:
        data = json.loads(channel_data)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    user_id = data.get("user_id")
    if isinstance(user_id, bool) or not isinstance(user_id, str | int) or user_id == "":
        return None
    return PresenceMember(str(user_id), data.get("user_info"))


class MessageHandler:
    """Interprets client messages for one hub."""

    def __init__(self, hub: Hub) -> None:
        self.hub = hub
        self.settings = hub.settings

    async def handle(self, conn: Connection, text: str) -> None:
        conn.touch()
        try:
            message = json.loads(text)
        except ValueError:
            message = None
        if not isinstance(message, dict) or not isinstance(message.get("event"), str):
            conn.enqueue(
                error_frame(None, "Invalid message format: send a JSON object with an event.")
            )
            return
        event: str = message["event"]
        data = message.get("data")
        if isinstance(data, str) and event.startswith("pusher:"):
            try:
                data = json.loads(data)
            except ValueError:
                data = None
        if event == "pusher:ping":
            conn.enqueue(PONG)
        elif event == "pusher:pong":
            return
        elif event == "pusher:subscribe":
            data = data if isinstance(data, dict) else {}
            await self.subscribe(
                conn, data.get("channel"), data.get("auth"), data.get("channel_data")
            )
        elif event == "pusher:unsubscribe":
            channel = data.get("channel") if isinstance(data, dict) else None
            if isinstance(channel, str):
                await self.unsubscribe(conn, channel)
        elif is_client_event(event):
            await self.client_event(conn, event, message.get("channel"), data)
        else:
            conn.enqueue(error_frame(None, f"Unsupported event {event[:200]!r}."))

    # --- subscriptions -----------------------------------------------------------------

    def _refuse(
        self, conn: Connection, channel: str, code: int | None, kind: str, message: str, status: int
    ) -> None:
        conn.enqueue(error_frame(code, message, channel or None))
        if channel:
            conn.enqueue(subscription_error_frame(channel, kind, message, status))

    async def subscribe(
        self, conn: Connection, channel: object, auth: object, channel_data: object
    ) -> None:
        if not valid_channel(channel):
            shown = channel[:200] if isinstance(channel, str) else ""
            self._refuse(
                conn,
                shown,
                None,
                "InvalidChannel",
                "Invalid channel name: use 1-200 of A-Z a-z 0-9 _ - = @ , . ;",
                400,
            )
            return
        assert isinstance(channel, str)
        kind = channel_kind(channel)
        if channel in conn.channels:
            await self._succeed(conn, channel, kind)
            return
        if kind != "public" and not self._authorised(conn, channel, kind, auth, channel_data):
            return
        member: PresenceMember | None = None
        first = False
        if kind == "presence":
            member = parse_member(channel_data)
            if member is None:
                self._refuse(
                    conn,
                    channel,
                    CONNECTION_UNAUTHORIZED,
                    "InvalidChannelData",
                    "channel_data must be JSON with a user_id.",
                    400,
                )
                return
            try:
                first = await self.hub.backend.presence.join(channel, conn.socket_id, member)
            except BroadcastUnavailableError as exc:
                log.warning("broadcast: %s", exc.message)
                self._refuse(
                    conn,
                    channel,
                    None,
                    "BackendUnavailable",
                    "Presence is unavailable right now; retry shortly.",
                    503,
                )
                return
            if conn.closed:  # the client went away while we waited: undo, unannounced
                with contextlib.suppress(BroadcastUnavailableError):
                    await self.hub.backend.presence.leave(channel, conn.socket_id)
                return
            conn.presence[channel] = member
        await self._succeed(conn, channel, kind)
        if first and member is not None:
            added = dumps({"user_id": member.user_id, "user_info": member.user_info})
            await self.hub.publish_quietly(
                Envelope((channel,), "pusher_internal:member_added", added, conn.socket_id)
            )

    def _authorised(
        self, conn: Connection, channel: str, kind: str, auth: object, channel_data: object
    ) -> bool:
        try:
            secret = self.settings.secret
        except BroadcastConfigurationError as exc:
            log.error("broadcast: %s", exc.message)
            self._refuse(
                conn,
                channel,
                CONNECTION_UNAUTHORIZED,
                "AuthError",
                "The server cannot check signatures (no secret configured).",
                401,
            )
            return False
        signed_data = channel_data if kind == "presence" and isinstance(channel_data, str) else None
        if kind == "presence" and signed_data is None:
            self._refuse(
                conn,
                channel,
                CONNECTION_UNAUTHORIZED,
                "AuthError",
                "Presence subscriptions need channel_data.",
                401,
            )
            return False
        if not verify_channel_auth(
            auth, self.settings.key, secret, conn.socket_id, channel, signed_data
        ):
            message = f"Connection is unauthorized: invalid signature for {channel}."
            self._refuse(conn, channel, CONNECTION_UNAUTHORIZED, "AuthError", message, 401)
            return False
        return True

    async def _succeed(self, conn: Connection, channel: str, kind: str) -> None:
        data = "{}"
        if kind == "presence":
            try:
                members = await self.hub.backend.presence.members(channel)
            except BroadcastUnavailableError:
                members = {m.user_id: m.user_info for m in [conn.presence[channel]]}
            data = dumps(
                {"presence": {"ids": list(members), "hash": members, "count": len(members)}}
            )
        if conn.closed:
            return
        self.hub.subscribe_local(conn, channel)
        conn.enqueue(event_frame("pusher_internal:subscription_succeeded", data, channel))

    async def unsubscribe(self, conn: Connection, channel: str) -> None:
        if channel not in conn.channels:
            return
        self.hub.unsubscribe_local(conn, channel)
        if conn.presence.pop(channel, None) is not None:
            await self.hub.leave_presence(conn, channel)

    # --- client events -----------------------------------------------------------------

    async def client_event(self, conn: Connection, event: str, channel: object, data: Any) -> None:
        def reject(code: int, message: str) -> None:
            conn.enqueue(error_frame(code, message, channel if isinstance(channel, str) else None))

        if not self.settings.allow_client_events:
            reject(
                CLIENT_EVENT_REJECTED,
                "The app does not have client messaging enabled (BROADCAST_ALLOW_CLIENT_EVENTS).",
            )
            return
        if (
            not isinstance(channel, str)
            or channel_kind(channel) == "public"
            or channel.startswith("private-encrypted-")
        ):
            reject(
                CLIENT_EVENT_REJECTED,
                "Client events are accepted on private and presence channels only.",
            )
            return
        if channel not in conn.channels:
            reject(CONNECTION_UNAUTHORIZED, "The client is not a member of the specified channel.")
            return
        if not valid_event_name(event):
            reject(CLIENT_EVENT_REJECTED, "Event name is longer than 200 characters.")
            return
        if len(dumps(data).encode()) > self.settings.max_payload_bytes:
            reject(
                CLIENT_EVENT_REJECTED,
                f"Event data is larger than {self.settings.max_payload_bytes} bytes.",
            )
            return
        if not self._within_rate(conn):
            reject(
                CLIENT_EVENT_REJECTED,
                f"Client event rejected due to rate limit ({CLIENT_EVENTS_PER_SECOND} per second).",
            )
            return
        member = conn.presence.get(channel)
        envelope = Envelope(
            (channel,), event, data, conn.socket_id, member.user_id if member else None
        )
        if not await self.hub.publish_quietly(envelope):
            reject(
                CLIENT_EVENT_REJECTED, "The event could not be relayed right now; retry shortly."
            )

    @staticmethod
    def _within_rate(conn: Connection) -> bool:
        now = time.monotonic()
        started, count = conn.events_window
        if now - started >= 1.0:
            conn.events_window = (now, 1)
            return True
        if count >= CLIENT_EVENTS_PER_SECOND:
            return False
        conn.events_window = (started, count + 1)
        return True
