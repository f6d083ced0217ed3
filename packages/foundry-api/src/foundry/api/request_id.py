"""Request ids: one id per request, echoed to the client and readable by every log line.

The id is taken from ``X-Request-ID`` only when the connection comes from a trusted proxy
(which generated or forwarded it, so one id follows a request across services); from
anyone else the header is ignored and a uuid4 is generated, so a client cannot forge ids
into the logs. The id is echoed as ``X-Request-ID``, stored in the scope's state
(``request.state.request_id``) and in a context variable that :func:`current_request_id`
reads, from endpoint code, exception handlers and logging alike.
"""

from __future__ import annotations

import logging
import os
import re
from contextvars import ContextVar

from foundry.api.asgi import ASGIApp, Message, Receive, Scope, Send
from foundry.api.proxies import TrustedProxies

__all__ = [
    "HEADER",
    "RequestIdLogFilter",
    "RequestIdMiddleware",
    "current_request_id",
    "new_request_id",
]

HEADER = b"x-request-id"
_VALID = re.compile(rb"[A-Za-z0-9._:@/+=-]{1,128}")
_REQUEST_ID: ContextVar[str | None] = ContextVar("foundry_request_id", default=None)


def new_request_id() -> str:
    """A random RFC 4122 version-4 UUID, as text.

    Formatted straight from ``os.urandom`` (the source ``uuid.uuid4()`` uses) without
    building a ``UUID`` object, which costs three times as much on every request.
    """
    h = os.urandom(16).hex()
    variant = "89ab"[int(h[16], 16) & 3]
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{variant}{h[17:20]}-{h[20:]}"


def current_request_id() -> str | None:
    """The id of the request being handled in this context, or None outside a request."""
    return _REQUEST_ID.get()


class RequestIdLogFilter(logging.Filter):
    """Adds ``record.request_id`` (``-`` outside a request) so formats can show it.

    Attach it to a handler: ``handler.addFilter(RequestIdLogFilter())`` and use
    ``%(request_id)s`` in the format.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = _REQUEST_ID.get() or "-"
        return True


class RequestIdMiddleware:
    """Pure-ASGI middleware assigning each HTTP request and websocket session an id.

    Args:
        app: the ASGI application to wrap.
        proxies: peers whose ``X-Request-ID`` is accepted (empty: always generate).
    """

    def __init__(self, app: ASGIApp, proxies: TrustedProxies | None = None) -> None:
        self.app = app
        self.proxies = proxies if proxies else None

    def _incoming(self, scope: Scope) -> str | None:
        if self.proxies is None or not self.proxies.peer_is_trusted(scope):
            return None
        for key, value in scope["headers"]:
            if key == HEADER:
                return value.decode("ascii") if _VALID.fullmatch(value) else None
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        request_id = self._incoming(scope) or new_request_id()
        encoded = request_id.encode("ascii")
        state = scope.get("state")
        if state is None:
            scope["state"] = {"request_id": request_id}
        else:
            state["request_id"] = request_id

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", ()), (HEADER, encoded)]
            await send(message)

        token = _REQUEST_ID.set(request_id)
        try:
            await self.app(scope, receive, send_with_id)
        finally:
            _REQUEST_ID.reset(token)
