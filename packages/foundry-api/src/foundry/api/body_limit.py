"""The request body limit (``API_BODY_LIMIT``), enforced before the body is read.

A request that declares a ``Content-Length`` above the limit is answered 413 at once,
without calling the application or reading a byte of the body. A request without a
length (chunked, or HTTP/2) is counted as it streams: the chunk that crosses the limit
makes ``receive()`` raise :class:`PayloadTooLargeError`, nothing more is read, and the
client gets the 413 envelope — even when the endpoint or the framework turned the error
into another response on the way (FastAPI reports body-read failures as 400).

A declared length within the limit needs no counting: the server frames the body by that
length, so those requests pass through at no cost.
"""

from __future__ import annotations

from foundry.api.asgi import ASGIApp, Message, Receive, Scope, Send, send_json
from foundry.api.exceptions import PayloadTooLargeError

__all__ = ["BodyLimitMiddleware"]

_CLOSE = ((b"connection", b"close"),)


class BodyLimitMiddleware:
    """Pure-ASGI middleware answering 413 for bodies larger than ``limit`` bytes.

    Args:
        app: the ASGI application to wrap.
        limit: the largest body accepted, in bytes.
    """

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit
        self.body = {"error": PayloadTooLargeError(limit).to_dict()}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length: bytes | None = None
        chunked = False
        for key, value in scope["headers"]:
            if key == b"content-length":
                length = value
            elif key == b"transfer-encoding":
                chunked = True
        if length is not None and not chunked:
            declared = int(length) if length.isdigit() else None
            if declared is None or declared > self.limit:
                await self._reject(send, declared)
                return
            await self.app(scope, receive, send)
            return
        if not chunked and scope.get("http_version", "1.1").startswith("1"):
            await self.app(scope, receive, send)  # HTTP/1.x without either header: no body
            return
        await self._counted(scope, receive, send)

    async def _reject(self, send: Send, declared: int | None) -> None:
        if declared is None:
            body = {
                "error": {
                    "code": "BAD_REQUEST",
                    "message": "The Content-Length header is not a number.",
                    "status": 400,
                }
            }
            await send_json(send, 400, body, _CLOSE)
            return
        await send_json(send, 413, self.body, _CLOSE)

    async def _counted(self, scope: Scope, receive: Receive, send: Send) -> None:
        limit = self.limit
        received = 0
        exceeded = started = replaced = False

        async def counting_receive() -> Message:
            nonlocal received, exceeded
            if exceeded:
                raise PayloadTooLargeError(limit)
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    exceeded = True
                    raise PayloadTooLargeError(limit)
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started, replaced
            if replaced:
                return  # the 413 went out instead of the app's response
            if exceeded and not started and message["type"] == "http.response.start":
                replaced = True
                await send_json(send, 413, self.body, _CLOSE)
                return
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except Exception:
            # Whatever the failed read turned into (our error, FastAPI's wrapping of it, an
            # exception group), the client is owed the 413 — unless the body was fine or
            # the response is under way, when only dropping the connection is left.
            if not exceeded or started:
                raise
            if not replaced:
                await send_json(send, 413, self.body, _CLOSE)
