"""The global rate limit: a pure-ASGI middleware at ``Priority.RATE_LIMIT``.

Every HTTP request, except the health routes and the paths in ``RATE_LIMIT_EXCEPT``, is
counted against one limiter (``default``: ``RATE_LIMIT_DEFAULT`` per user or client
address). It runs after the trusted-proxies middleware (so the client address is the real
one) and after sessions (so a signed-in user is known). Refused requests get the 429
envelope; allowed ones get the ``RateLimit-*`` headers unless a route's own limit, closer
to running out, already set them. WebSocket and lifespan traffic passes untouched.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping, Sequence
from typing import Any

from foundry.domain.application import Application
from foundry.ratelimit.errors import RateLimitUnavailable
from foundry.ratelimit.identity import scope_identity
from foundry.ratelimit.registry import DEFAULT, LimiterRegistry
from foundry.ratelimit.responses import rate_limit_headers, send_envelope

__all__ = ["HEALTH_PATHS", "RateLimitMiddleware", "path_excluded"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

HEALTH_PATHS = ("/health", "/health/*")


def path_excluded(path: str, patterns: Sequence[str]) -> bool:
    """Whether ``path`` matches one of ``patterns`` (exact, or a prefix ending in ``*``).

    >>> path_excluded("/health/ready", HEALTH_PATHS), path_excluded("/healthz", HEALTH_PATHS)
    (True, False)
    """
    for pattern in patterns:
        if pattern.endswith("*"):
            if path.startswith(pattern[:-1]):
                return True
        elif path == pattern:
            return True
    return False


def _merge(
    raw: list[tuple[bytes, bytes]], ours: list[tuple[str, str]], remaining: int
) -> list[tuple[bytes, bytes]]:
    """Add our headers unless the response carries those of a limit closer to running out
    (the route's own), which then stay."""
    for name, value in raw:
        if name.lower() == b"ratelimit-remaining":
            if value.isdigit() and int(value) <= remaining:
                return raw
            raw = [h for h in raw if not h[0].lower().startswith(b"ratelimit-")]
            break
    return [*raw, *((n.lower().encode(), v.encode()) for n, v in ours)]


class RateLimitMiddleware:
    """Counts every request against one limiter.

    Args:
        app: the wrapped ASGI application.
        application: the Foundry application (its ``LimiterRegistry`` is resolved on the
            first request, after every provider booted).
        limiter: the limiter to apply (``default``).
        except_paths: paths never limited besides ``/health`` and ``/health/*``; a
            trailing ``*`` matches a prefix.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        application: Application,
        limiter: str = DEFAULT,
        except_paths: Sequence[str] = (),
    ) -> None:
        self.app = app
        self.application = application
        self.limiter = limiter
        self.except_paths = (*HEALTH_PATHS, *except_paths)
        self._registry: LimiterRegistry | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or path_excluded(scope.get("path") or "/", self.except_paths):
            await self.app(scope, receive, send)
            return
        registry = self._registry
        if registry is None:
            registry = self._registry = self.application.make(LimiterRegistry)
        limit = registry.resolve(self.limiter)
        if limit.key is None:
            identity: str | None = scope_identity(scope)
        else:
            from starlette.requests import Request

            identity = await limit.identify(Request(scope, receive))
        if identity is None:
            await self.app(scope, receive, send)
            return
        try:
            result = await registry.consume(limit, identity)
        except RateLimitUnavailable as exc:
            await send_envelope(send, 503, exc.code, exc.message)
            return
        if result is None:  # store down, failing open: pass without claiming a count
            await self.app(scope, receive, send)
            return
        headers = rate_limit_headers(result)
        if not result.allowed:
            await send_envelope(send, 429, "TOO_MANY_REQUESTS", limit.message(result), headers)
            return
        remaining = result.remaining

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = _merge(list(message.get("headers") or ()), headers, remaining)
            await send(message)

        await self.app(scope, receive, send_with_headers)
