"""Unexpected errors answered as the 500 envelope, inside the header middleware.

Starlette routes a handler registered for ``Exception`` to its ``ServerErrorMiddleware``,
which sits *outside* every user middleware: its response would carry no request id, no
security or CORS headers, and in debug mode it ignores the handler for its own traceback
page. This middleware sits just inside those headers instead (priority between CORS and
the body limit), so an unexpected error from an endpoint or an inner middleware is logged
with the request id and answered with the envelope that every other failure uses.
"""

from __future__ import annotations

from foundry.api.asgi import ASGIApp, Message, Receive, Scope, Send, send_json
from foundry.api.envelope import internal_error, log_unhandled

__all__ = ["UnhandledErrorMiddleware"]


class UnhandledErrorMiddleware:
    """Pure-ASGI middleware turning an unhandled exception into the 500 envelope.

    When the response has already started, the error is logged and re-raised so the
    server drops the connection (a half-sent response cannot be replaced).

    Args:
        app: the ASGI application to wrap.
        debug: include the exception's type, message and traceback in the envelope.
    """

    def __init__(self, app: ASGIApp, debug: bool = False) -> None:
        self.app = app
        self.debug = debug

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:
            log_unhandled(exc, scope)
            if started:
                raise
            await send_json(send, 500, internal_error(exc, debug=self.debug))
