"""One client connection: its socket id, its channels and its bounded send queue.

Delivery never waits on a client. :meth:`Connection.enqueue` puts a ready frame on the
connection's queue without awaiting and reports whether it fitted; a writer task of the
connection's own drains the queue into the socket. A client that stops reading fills its
queue, and the hub then drops it (close code 4100) instead of letting it hold anyone up.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Connection", "PresenceMember"]

log = logging.getLogger("foundry.broadcast")

SendText = Callable[[str], Awaitable[None]]
CloseSocket = Callable[[int, str], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class PresenceMember:
    """Who a connection is on one presence channel (from the signed ``channel_data``)."""

    user_id: str
    user_info: Any = None


@dataclass(eq=False, slots=True)
class Connection:
    """A websocket speaking the Pusher protocol, as the hub sees it.

    ``send_text`` and ``close_socket`` are the ASGI server's; nothing else touches the
    socket, so the hub can be exercised and reasoned about without one.
    """

    socket_id: str
    send_text: SendText
    close_socket: CloseSocket
    queue_size: int
    channels: set[str] = field(default_factory=set)
    presence: dict[str, PresenceMember] = field(default_factory=dict)
    last_seen: float = field(default_factory=time.monotonic)
    pinged: bool = False
    closed: bool = False
    close_code: int | None = None
    events_window: tuple[float, int] = (0.0, 0)
    _queue: asyncio.Queue[str | None] = field(init=False)
    _writer: asyncio.Task[None] | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        self._queue = asyncio.Queue(self.queue_size)

    def start(self) -> None:
        """Start the writer task (once the handshake is done)."""
        if self._writer is None:
            self._writer = asyncio.get_running_loop().create_task(self._write())

    def touch(self) -> None:
        """The client said something: it is alive."""
        self.last_seen = time.monotonic()
        self.pinged = False

    def enqueue(self, frame: str) -> bool:
        """Queue a frame for the client; False when the queue is full (a slow client)."""
        if self.closed:
            return True
        try:
            self._queue.put_nowait(frame)
        except asyncio.QueueFull:
            return False
        return True

    @property
    def pending(self) -> int:
        """Frames queued and not yet written."""
        return self._queue.qsize()

    async def _write(self) -> None:
        queue, send = self._queue, self.send_text
        try:
            while True:
                frame = await queue.get()
                if frame is None:
                    return
                await send(frame)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # the socket went away under us: the reader sees it too
            log.debug("broadcast: writing to %s failed: %s", self.socket_id, exc)

    async def close(self, code: int, reason: str, *, flush: bool, timeout: float = 2.0) -> None:
        """Close the socket with a protocol close code.

        With ``flush`` the frames already queued (a ``pusher:error`` explaining the close)
        are written first, waiting at most ``timeout``; without it (a slow client) the
        queue is discarded. Either way the close frame is attempted for ``timeout``
        seconds at most, so a client that never reads cannot hold the caller.
        """
        if self.closed:
            return
        self.closed = True
        self.close_code = code
        writer = self._writer
        if writer is not None:
            if flush and not writer.done():
                with contextlib.suppress(asyncio.QueueFull):
                    self._queue.put_nowait(None)
                with contextlib.suppress(asyncio.TimeoutError, Exception):
                    await asyncio.wait_for(asyncio.shield(writer), timeout)
            writer.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await writer
        with contextlib.suppress(asyncio.TimeoutError, Exception):
            await asyncio.wait_for(self.close_socket(code, reason), timeout)

    def stop(self) -> None:
        """The socket is gone: stop writing (no close frame to send)."""
        self.closed = True
        if self._writer is not None:
            self._writer.cancel()
