"""Protecting routes with this server's access tokens, the RFC 6750 way.

``Depends(require_oauth("orders:read"))`` answers 401 with ``WWW-Authenticate: Bearer``
(and ``error="invalid_token"`` for a bad token) or 403 ``insufficient_scope``, and hands
the endpoint the token's checked :class:`~foundry.oauth_server.signing.AccessClaims`.
Tokens are read from the ``Authorization`` header only: RFC 6750 §2.3's URI query form
leaks tokens into logs and history and is not accepted.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import HTTPConnection
from starlette.responses import JSONResponse

from foundry.domain.http import APP_STATE_KEY
from foundry.oauth_server.signing import AccessClaims

__all__ = ["BearerError", "bearer_challenge", "bearer_token", "require_oauth"]


def bearer_token(connection: HTTPConnection) -> str | None:
    """The token of ``Authorization: Bearer <token>`` (RFC 6750 §2.1), if any."""
    header = connection.headers.get("authorization") or ""
    scheme, _, token = header.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        return None
    return token


def _challenge(error: str | None, description: str, scope: str | None) -> str:
    parts = ['Bearer realm="oauth"']
    if error:
        parts.append(f'error="{error}"')
        if description:
            parts.append(f'error_description="{description}"')
    if scope:
        parts.append(f'scope="{scope}"')
    return ", ".join(parts)


def bearer_challenge(
    status: int, error: str | None, description: str, scope: str | None = None
) -> JSONResponse:
    """An RFC 6750 §3 failure: the challenge header, and a JSON body saying the same."""
    body = {
        "error": error or "invalid_request",
        "error_description": description or "A bearer token is required.",
    }
    return JSONResponse(
        body,
        status_code=status,
        headers={"WWW-Authenticate": _challenge(error, description, scope)},
    )


class BearerError(Exception):
    """Raised by :func:`require_oauth`; the provider renders it as an RFC 6750 answer."""

    def __init__(self, status: int, error: str | None, description: str, scope: str | None = None):
        super().__init__(description)
        self.status = status
        self.error = error
        self.description = description
        self.scope = scope

    def response(self) -> JSONResponse:
        return bearer_challenge(self.status, self.error, self.description, self.scope)


def require_oauth(*scopes: str) -> Callable[[HTTPConnection], Awaitable[AccessClaims]]:
    """A FastAPI dependency: a valid access token holding every scope in ``scopes``."""
    wanted = tuple(scopes)

    async def check(connection: HTTPConnection) -> AccessClaims:
        from foundry.oauth_server.service import OAuthServer

        app: Any = getattr(connection.app.state, APP_STATE_KEY)
        core = app.make(OAuthServer)
        token = bearer_token(connection)
        if token is None:
            raise BearerError(401, None, "", " ".join(wanted) or None)
        claims: AccessClaims | None = await core.verifier.claims(token)
        if claims is None:
            raise BearerError(
                401, "invalid_token", "The access token is invalid, expired or revoked."
            )
        missing = [s for s in wanted if s not in claims.scopes]
        if missing:
            raise BearerError(
                403,
                "insufficient_scope",
                "The access token lacks a required scope.",
                " ".join(wanted),
            )
        return claims

    return check
