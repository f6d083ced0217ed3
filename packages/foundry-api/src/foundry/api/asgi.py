"""ASGI types, and the helper middleware use to answer by themselves.

The middleware of this package is pure ASGI (no ``BaseHTTPMiddleware``): each one is a class
with ``__call__(scope, receive, send)`` that wraps ``send`` only when it must change the
response. These aliases keep their signatures readable without importing Starlette, and
:func:`send_json` lets a middleware answer by itself (413, 500) without a framework.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from typing import Any

__all__ = ["ASGIApp", "Message", "Receive", "Scope", "Send", "send_json"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


async def send_json(
    send: Send,
    status: int,
    body: Any,
    headers: Iterable[tuple[bytes, bytes]] = (),
) -> None:
    """Send a complete JSON response straight through ASGI (no framework needed)."""
    payload = json.dumps(body, default=str, ensure_ascii=False, separators=(",", ":")).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(payload)).encode()),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload})
