"""Response timing headers: ``Server-Timing: app;dur=…`` and ``X-Response-Time``.

The duration runs from the moment the request enters this middleware until the response
starts (headers must go out before the body, so that is the last moment they can carry it).
``Server-Timing`` shows in the browser's network panel; ``X-Response-Time`` is for logs and
scripts. Both are milliseconds with microsecond resolution.
"""

from __future__ import annotations

from time import perf_counter_ns

from foundry.api.asgi import ASGIApp, Message, Receive, Scope, Send

__all__ = ["TimingMiddleware"]


class TimingMiddleware:
    """Pure-ASGI middleware adding timing headers to every HTTP response.

    Args:
        app: the ASGI application to wrap.
        metric: the ``Server-Timing`` metric name.
    """

    def __init__(self, app: ASGIApp, metric: str = "app") -> None:
        self.app = app
        self.prefix = f"{metric};dur=".encode("ascii")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = perf_counter_ns()
        prefix = self.prefix

        async def send_with_timing(message: Message) -> None:
            if message["type"] == "http.response.start":
                millis = b"%.3f" % ((perf_counter_ns() - started) / 1e6)
                message["headers"] = [
                    *message.get("headers", ()),
                    (b"server-timing", prefix + millis),
                    (b"x-response-time", millis + b"ms"),
                ]
            await send(message)

        await self.app(scope, receive, send_with_timing)
