"""The websocket endpoint ``/app/{key}``: where pusher-js and Laravel Echo connect.

The handshake is accepted first and refused in-protocol when it must be (unknown key
4001, missing or unsupported protocol 4008/4007, full server 4100, Redis unreachable
4101, shutting down 4200):
a ``pusher:error`` frame, then a close with the same code, so the client knows whether
to reconnect. After ``pusher:connection_established`` every text frame goes to the
:class:`~foundry.broadcast.messages.MessageHandler`.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from foundry.broadcast.connection import Connection
from foundry.broadcast.hub import Hub
from foundry.broadcast.messages import MessageHandler
from foundry.broadcast.protocol import error_frame, new_socket_id

if TYPE_CHECKING:
    from starlette.websockets import WebSocket

    from foundry.domain.application import Application

__all__ = ["socket_endpoint"]

log = logging.getLogger("foundry.broadcast")


def _reason(message: str) -> str:
    """A close reason within the 123 bytes a close frame allows."""
    return message.encode()[:120].decode(errors="ignore")


def socket_endpoint(app: Application) -> Callable[[WebSocket], Awaitable[None]]:
    """The ASGI websocket handler bound to ``app``'s hub."""

    async def pusher_socket(websocket: WebSocket) -> None:
        hub = app.make(Hub)
        handler = app.make(MessageHandler)
        await hub.start()
        await websocket.accept()
        key = str(websocket.path_params.get("key", ""))
        refusal = hub.refusal(key, websocket.query_params.get("protocol"))
        if refusal is not None:
            code, why = refusal
            await websocket.send_text(error_frame(code, why))
            await websocket.close(code, _reason(why))
            return

        async def close(code: int, reason: str) -> None:
            await websocket.close(code, _reason(reason))

        conn = Connection(new_socket_id(), websocket.send_text, close, hub.settings.queue_size)
        hub.open(conn)
        try:
            while True:
                message = await websocket.receive()
                if message["type"] == "websocket.disconnect":
                    break
                if conn.closed:
                    continue  # dropped or closing: the client's words no longer count
                text = message.get("text")
                if text is None:
                    conn.enqueue(
                        error_frame(None, "Binary frames are not supported; send JSON text.")
                    )
                    continue
                await handler.handle(conn, text)
        except Exception:
            log.exception("broadcast: connection %s failed", conn.socket_id)
        finally:
            await hub.remove(conn)

    return pusher_socket
