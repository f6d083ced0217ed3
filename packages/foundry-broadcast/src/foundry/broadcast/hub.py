"""The hub: this instance's connections, who is subscribed where, and local delivery.

The websocket endpoint hands every connection and every message to the hub; the backend
hands it every envelope, from this instance or another. Delivery only queues frames (see
:class:`~foundry.broadcast.connection.Connection`), so one event reaches ten thousand
sockets without awaiting any of them, and a client too slow to keep up is dropped.

A connection is only useful while the backend receives: when it stops (Redis went away),
the hub tells every client so (``pusher:error`` and close code 4101, "reconnect with
backoff") and refuses new connections the same way until the backend receives again.
Clients then reconnect by themselves and, connected again, refetch what they missed.
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import socket
import time
from collections.abc import Coroutine
from typing import Any

from foundry.broadcast.backends.base import Backend, Envelope
from foundry.broadcast.connection import Connection
from foundry.broadcast.exceptions import BroadcastUnavailableError
from foundry.broadcast.protocol import (
    APP_NOT_FOUND,
    BACKEND_UNAVAILABLE,
    NO_PROTOCOL,
    OVER_CAPACITY,
    PONG_NOT_RECEIVED,
    RECONNECT,
    SUPPORTED_PROTOCOLS,
    UNSUPPORTED_PROTOCOL,
    dumps,
    error_frame,
    event_frame,
    new_socket_id,
)
from foundry.broadcast.settings import BroadcastSettings

__all__ = ["Hub"]

log = logging.getLogger("foundry.broadcast")

PING = dumps({"event": "pusher:ping", "data": {}})
DROP_CLOSE_TIMEOUT = 60.0
BACKEND_LOST = (
    "Broadcasting lost its connection to Redis, so events may have been missed; "
    "reconnect with backoff and refetch."
)
BACKEND_DOWN = "Broadcasting is unavailable (Redis is unreachable); reconnect with backoff."


class Hub:
    """Connections and subscriptions of one serving instance.

    Args:
        settings: the broadcast settings.
        backend: carries envelopes between instances and keeps presence.
    """

    def __init__(self, settings: BroadcastSettings, backend: Backend) -> None:
        self.settings = settings
        self.backend = backend
        self.instance_id = f"{socket.gethostname()}-{os.getpid()}-{secrets.token_hex(3)}"
        self._connections: dict[str, Connection] = {}
        self._channels: dict[str, set[Connection]] = {}
        self._tasks: set[asyncio.Task[Any]] = set()
        self._sweeper: asyncio.Task[None] | None = None
        self._started = False
        self.closing = False
        backend.attach(self)

    # --- lifecycle ---------------------------------------------------------------------

    async def start(self) -> None:
        """Start idle sweeps and the backend's receiving side (serving instances only)."""
        if self._started or self.closing:
            return  # running already, or shut down for good
        self._started = True
        self._sweeper = self.spawn(self._sweep())
        await self.backend.start()

    async def shutdown(self, reason: str = "Server is shutting down; reconnect.") -> None:
        """Tell every client to reconnect (``pusher:error`` 4200, then close 4200), leave
        presence channels, and stop the backend."""
        if self.closing:
            return
        self.closing = True
        if self._sweeper is not None:
            self._sweeper.cancel()
        connections = list(self._connections.values())
        for conn in connections:
            conn.enqueue(error_frame(RECONNECT, reason))
        await asyncio.gather(*(self.close(c, RECONNECT, reason) for c in connections))
        await self.backend.stop()
        for task in list(self._tasks):
            task.cancel()
        self._started = False

    def backend_lost(self) -> None:
        """The backend stopped receiving (Redis went away): what is published from now on
        cannot reach this instance's clients, and they must not wait for it in silence.

        Every client gets ``pusher:error`` 4101 and a close with 4101, so it reconnects
        after backing off; :meth:`refusal` turns reconnections away the same way until
        the backend receives again. Their presence entries are left in the background,
        best effort: while Redis is down they expire after ``presence_ttl`` instead.
        """
        if self.closing or not self._connections:
            return
        connections = list(self._connections.values())
        log.warning(
            "broadcast: the backend stopped receiving; telling %d client(s) to reconnect",
            len(connections),
        )
        entries: list[tuple[Connection, str]] = []
        for conn in connections:
            conn.enqueue(error_frame(BACKEND_UNAVAILABLE, BACKEND_LOST))
            self._detach(conn)
            entries.extend((conn, channel) for channel in conn.presence)
            conn.presence.clear()
        self.spawn(self._close_all(connections, BACKEND_UNAVAILABLE, BACKEND_LOST))
        if entries:
            self.spawn(self._leave_after_loss(entries))

    async def _close_all(self, connections: list[Connection], code: int, reason: str) -> None:
        await asyncio.gather(*(conn.close(code, reason, flush=True) for conn in connections))

    async def _leave_after_loss(self, entries: list[tuple[Connection, str]]) -> None:
        """Leave presence channels for closed connections; stop at the first failure, as
        Redis is then down and the rest expire by themselves (no warning per entry)."""
        for done, (conn, channel) in enumerate(entries):
            try:
                member = await self.backend.presence.leave(channel, conn.socket_id)
            except BroadcastUnavailableError:
                log.info(
                    "broadcast: %d presence entries left to expire (Redis is unreachable)",
                    len(entries) - done,
                )
                return
            if member is not None:
                removed = dumps({"user_id": member.user_id})
                await self.publish_quietly(
                    Envelope((channel,), "pusher_internal:member_removed", removed, conn.socket_id)
                )

    def spawn(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        """Run ``coro`` in the background, kept referenced until it ends."""
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    # --- connections -------------------------------------------------------------------

    def refusal(self, key: str, protocol: str | None) -> tuple[int, str] | None:
        """Why a new connection must be refused (close code, message), or None."""
        if key != self.settings.key:
            return APP_NOT_FOUND, f"App key {key} does not exist."
        if protocol is None or protocol == "":
            return NO_PROTOCOL, "No protocol version supplied: connect with ?protocol=7."
        if not protocol.isdigit() or int(protocol) not in SUPPORTED_PROTOCOLS:
            return UNSUPPORTED_PROTOCOL, f"Unsupported protocol version {protocol}; use 7."
        if self.closing:
            return RECONNECT, "Server is shutting down; reconnect."
        if not self.backend.healthy:
            return BACKEND_UNAVAILABLE, BACKEND_DOWN
        limit = self.settings.max_connections
        if limit and len(self._connections) >= limit:
            return OVER_CAPACITY, f"Over capacity: this server holds {limit} connections."
        return None

    def open(self, conn: Connection) -> None:
        """Register a new connection and greet it with ``pusher:connection_established``."""
        while conn.socket_id in self._connections:
            conn.socket_id = new_socket_id()
        self._connections[conn.socket_id] = conn
        conn.start()
        greeting = {"socket_id": conn.socket_id, "activity_timeout": self.settings.activity_timeout}
        conn.enqueue(event_frame("pusher:connection_established", dumps(greeting)))
        self.backend.changed()

    async def remove(self, conn: Connection) -> None:
        """The socket closed: forget the connection and leave its presence channels."""
        conn.stop()
        await self._leave_all(conn)

    async def close(self, conn: Connection, code: int, reason: str) -> None:
        """Close a connection after flushing what is queued (a ``pusher:error``)."""
        await conn.close(code, reason, flush=True)
        await self._leave_all(conn)

    def drop(self, conn: Connection, code: int, reason: str) -> None:
        """Cut a connection off at once (a slow client): no more frames are queued for
        it; the close frame and presence bookkeeping follow in the background."""
        self._detach(conn)
        self.spawn(self._finish_drop(conn, code, reason))

    async def _finish_drop(self, conn: Connection, code: int, reason: str) -> None:
        presence = dict(conn.presence)
        conn.presence.clear()
        await self._leave_presence(conn, presence)
        # A slow client may still read what is buffered: give the close frame time to
        # follow it, so the client learns why (4100) and reconnects with backoff.
        await conn.close(code, reason, flush=False, timeout=DROP_CLOSE_TIMEOUT)

    def _detach(self, conn: Connection) -> None:
        if self._connections.get(conn.socket_id) is conn:
            del self._connections[conn.socket_id]
        for channel in conn.channels:
            subscribers = self._channels.get(channel)
            if subscribers is not None:
                subscribers.discard(conn)
                if not subscribers:
                    del self._channels[channel]
        conn.channels.clear()
        self.backend.changed()

    async def _leave_all(self, conn: Connection) -> None:
        self._detach(conn)
        presence = dict(conn.presence)
        conn.presence.clear()
        await self._leave_presence(conn, presence)

    async def _leave_presence(self, conn: Connection, presence: dict[str, Any]) -> None:
        for channel in presence:
            await self.leave_presence(conn, channel)

    async def leave_presence(self, conn: Connection, channel: str) -> None:
        """Take the connection off a presence channel; announce the user's last leave."""
        try:
            member = await self.backend.presence.leave(channel, conn.socket_id)
        except BroadcastUnavailableError as exc:
            log.warning(
                "broadcast: presence leave of %s on %s failed: %s", conn.socket_id, channel, exc
            )
            return
        if member is not None:
            removed = dumps({"user_id": member.user_id})
            await self.publish_quietly(
                Envelope((channel,), "pusher_internal:member_removed", removed, conn.socket_id)
            )

    def subscribe_local(self, conn: Connection, channel: str) -> None:
        conn.channels.add(channel)
        self._channels.setdefault(channel, set()).add(conn)
        self.backend.changed()

    def unsubscribe_local(self, conn: Connection, channel: str) -> None:
        conn.channels.discard(channel)
        subscribers = self._channels.get(channel)
        if subscribers is not None:
            subscribers.discard(conn)
            if not subscribers:
                del self._channels[channel]
        self.backend.changed()

    # --- delivery ----------------------------------------------------------------------

    def deliver(self, envelope: Envelope) -> int:
        """Queue the envelope's frames for this instance's subscribers; returns how many
        were queued. Clients whose queue is full are dropped (4100)."""
        queued = 0
        slow: list[Connection] = []
        skip = envelope.except_socket
        for channel in envelope.channels:
            subscribers = self._channels.get(channel)
            if not subscribers:
                continue
            frame = event_frame(
                envelope.event, envelope.data, channel, user_id=envelope.user_id, encode_data=False
            )
            for conn in subscribers:
                if conn.socket_id == skip:
                    continue
                if conn.enqueue(frame):
                    queued += 1
                else:
                    slow.append(conn)
        for conn in slow:
            log.warning("broadcast: dropping slow client %s (send queue full)", conn.socket_id)
            self.drop(conn, OVER_CAPACITY, "Over capacity: the client is not reading fast enough.")
        return queued

    async def publish_quietly(self, envelope: Envelope) -> bool:
        """Publish, logging (not raising) when the backend is down."""
        try:
            await self.backend.publish(envelope)
        except BroadcastUnavailableError as exc:
            log.warning("broadcast: %s", exc.message)
            return False
        return True

    # --- heartbeats --------------------------------------------------------------------

    async def _sweep(self) -> None:
        settings = self.settings
        interval = max(0.1, min(1.0, settings.activity_timeout / 4))
        while True:
            await asyncio.sleep(interval)
            now = time.monotonic()
            for conn in list(self._connections.values()):
                idle = now - conn.last_seen
                if conn.pinged and idle >= settings.activity_timeout + settings.pong_timeout:
                    message = "Pong reply not received in time."
                    conn.enqueue(error_frame(PONG_NOT_RECEIVED, message))
                    self._detach(conn)
                    self.spawn(self.close(conn, PONG_NOT_RECEIVED, message))
                elif not conn.pinged and idle >= settings.activity_timeout:
                    conn.pinged = True
                    if not conn.enqueue(PING):
                        self.drop(conn, OVER_CAPACITY, "Over capacity: send queue full.")

    # --- facts -------------------------------------------------------------------------

    @property
    def started(self) -> bool:
        """Whether this instance serves connections (start() ran)."""
        return self._started

    @property
    def connection_count(self) -> int:
        return len(self._connections)

    def connection(self, socket_id: str) -> Connection | None:
        return self._connections.get(socket_id)

    def presence_connections(self) -> list[Connection]:
        """Connections on at least one presence channel (heartbeats refresh them)."""
        return [conn for conn in self._connections.values() if conn.presence]

    def subscribers(self, channel: str) -> int:
        return len(self._channels.get(channel, ()))

    def subscription_counts(self) -> dict[str, int]:
        """Channel -> local subscriber count, for occupied channels."""
        return {channel: len(subs) for channel, subs in self._channels.items()}
