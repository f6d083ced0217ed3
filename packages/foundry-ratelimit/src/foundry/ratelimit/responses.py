"""The HTTP side of a result: ``RateLimit-*`` headers, ``Retry-After`` and the envelopes.

Headers follow the IETF draft (``RateLimit-Limit``, ``RateLimit-Remaining``,
``RateLimit-Reset`` as delta seconds) and are sent on allowed responses as well as on the
429. Everything here is plain ASGI or Starlette, so the middleware and the exception
handlers send byte-for-byte the same thing.
"""

from __future__ import annotations

import json
import math
from collections.abc import Awaitable, Callable, MutableMapping, Sequence
from typing import Any

from foundry.domain.ratelimit import RateLimitResult
from foundry.ratelimit.errors import RateLimitUnavailable, TooManyRequests

__all__ = [
    "envelope",
    "rate_limit_headers",
    "send_envelope",
    "too_many_requests_handler",
    "unavailable_handler",
]

Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]


def rate_limit_headers(result: RateLimitResult) -> list[tuple[str, str]]:
    """The headers describing ``result`` (``Retry-After`` only when refused).

    >>> rate_limit_headers(RateLimitResult(False, 10, 0, 59.2, 5.01))
    [('RateLimit-Limit', '10'), ('RateLimit-Remaining', '0'), ('RateLimit-Reset', '60'), \
('Retry-After', '6')]
    """
    headers = [
        ("RateLimit-Limit", str(result.limit)),
        ("RateLimit-Remaining", str(max(0, result.remaining))),
        ("RateLimit-Reset", str(max(0, math.ceil(result.reset_after)))),
    ]
    if not result.allowed:
        headers.append(("Retry-After", str(max(1, math.ceil(result.retry_after)))))
    return headers


def envelope(code: str, message: str, status: int) -> dict[str, Any]:
    """Foundry's error envelope."""
    return {"error": {"code": code, "message": message, "status": status}}


async def send_envelope(
    send: Send, status: int, code: str, message: str, headers: Sequence[tuple[str, str]] = ()
) -> None:
    """Send a complete JSON error response over raw ASGI."""
    body = json.dumps(envelope(code, message, status), separators=(",", ":")).encode()
    raw = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"cache-control", b"no-store"),
        *((name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers),
    ]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


def _json_response(status: int, code: str, message: str, headers: list[tuple[str, str]]) -> Any:
    from starlette.responses import Response

    body = json.dumps(envelope(code, message, status), separators=(",", ":"))
    response = Response(body, status, media_type="application/json")
    response.headers["Cache-Control"] = "no-store"
    for name, value in headers:
        response.headers[name] = value
    return response


async def too_many_requests_handler(request: Any, exc: Exception) -> Any:
    """Renders :class:`TooManyRequests` (raised by ``RateLimit`` dependencies) as the 429
    envelope with its headers."""
    assert isinstance(exc, TooManyRequests)
    return _json_response(429, exc.code, exc.message, rate_limit_headers(exc.result))


async def unavailable_handler(request: Any, exc: Exception) -> Any:
    """Renders :class:`RateLimitUnavailable` (fail-closed) as the 503 envelope."""
    assert isinstance(exc, RateLimitUnavailable)
    return _json_response(503, exc.code, exc.message, [])
