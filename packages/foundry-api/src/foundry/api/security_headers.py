"""Security headers on every response, computed once at boot.

``X-Content-Type-Options: nosniff`` stops browsers from guessing a response's type (an
uploaded text file rendered as HTML), ``X-Frame-Options`` forbids framing (clickjacking),
``Referrer-Policy`` keeps paths and query strings out of other sites' logs, and
``Strict-Transport-Security`` pins the browser to https — sent only on https responses,
directly or through a trusted proxy, because browsers ignore it over http and it must never
lock a plain-http development host. A header the endpoint set itself is left alone, so a
page that may be framed can say so.
"""

from __future__ import annotations

from foundry.api.asgi import ASGIApp, Message, Receive, Scope, Send

__all__ = ["SecurityHeadersMiddleware"]

_HTTPS = frozenset({"https", "wss"})


class SecurityHeadersMiddleware:
    """Pure-ASGI middleware adding the security headers the endpoint did not set.

    Args:
        app: the ASGI application to wrap.
        frame_options: ``DENY``, ``SAMEORIGIN``, or None to send no ``X-Frame-Options``.
        referrer_policy: the ``Referrer-Policy`` value.
        hsts_max_age: ``Strict-Transport-Security`` max-age in seconds (0: never sent).
        hsts_include_subdomains: add ``includeSubDomains``.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        frame_options: str | None = "DENY",
        referrer_policy: str = "strict-origin-when-cross-origin",
        hsts_max_age: int = 31536000,
        hsts_include_subdomains: bool = False,
    ) -> None:
        self.app = app
        common = [(b"x-content-type-options", b"nosniff")]
        if frame_options:
            common.append((b"x-frame-options", frame_options.encode("ascii")))
        common.append((b"referrer-policy", referrer_policy.encode("ascii")))
        self.plain: tuple[tuple[bytes, bytes], ...] = tuple(common)
        if hsts_max_age > 0:
            hsts = f"max-age={hsts_max_age}" + (
                "; includeSubDomains" if hsts_include_subdomains else ""
            )
            common.append((b"strict-transport-security", hsts.encode("ascii")))
        self.secure: tuple[tuple[bytes, bytes], ...] = tuple(common)
        self.names = frozenset(name for name, _ in self.secure)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = self.secure if scope.get("scheme") in _HTTPS else self.plain
        names = self.names

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = message.get("headers", ())
                own = [name for name, _ in headers if name in names]
                added = [h for h in extra if h[0] not in own] if own else extra
                message["headers"] = [*headers, *added]
            await send(message)

        await self.app(scope, receive, send_with_headers)
