"""Bearer tokens for the kernel's protected routes, checked through ``TokenVerifier``.

The HTTP kernel issues no tokens: auth packages bind verifiers (personal API tokens,
OAuth access tokens). Every verifier tagged ``auth.token_verifiers`` is asked in tagging
order, then a directly bound ``TokenVerifier``; the first that recognises the token
answers. The grant must then hold the route's ability (``foundry:invoke``,
``foundry:upload``), or the ``*`` wildcard.
"""

from __future__ import annotations

from typing import Any

from fastapi import Depends
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.requests import Request

from foundry.api.exceptions import BearerTokenError
from foundry.domain.auth import TOKEN_VERIFIERS_TAG, AccessToken, TokenVerifier
from foundry.domain.container import Container
from foundry.domain.errors import AuthorizationError

__all__ = [
    "INVOKE_ABILITY",
    "UPLOAD_ABILITY",
    "VERIFIERS_TAG",
    "authenticate",
    "require_ability",
    "token_verifiers",
]

INVOKE_ABILITY = "foundry:invoke"
UPLOAD_ABILITY = "foundry:upload"
VERIFIERS_TAG = TOKEN_VERIFIERS_TAG

_bearer_scheme = HTTPBearer(
    auto_error=False,
    scheme_name="bearer",
    description="A token issued by an auth package (API token or OAuth access token).",
)


def token_verifiers(container: Container) -> list[TokenVerifier]:
    """Every verifier to ask: the tagged ones in order, then the directly bound one."""
    found: list[TokenVerifier] = list(container.tagged(VERIFIERS_TAG))
    if container.bound(TokenVerifier):
        direct = container.make(TokenVerifier)
        if all(direct is not verifier for verifier in found):
            found.append(direct)
    return found


async def authenticate(container: Container, token: str | None, ability: str) -> AccessToken:
    """Verify a bearer ``token`` and require ``ability`` of it.

    Raises:
        BearerTokenError: no token, no verifier bound, or no verifier accepts it (401).
        AuthorizationError: the token is valid but lacks ``ability`` (403).
    """
    if not token:
        raise BearerTokenError(
            f"This endpoint needs a bearer token with the {ability} ability: "
            "send Authorization: Bearer <token>.",
            context={"ability": ability},
        )
    verifiers = token_verifiers(container)
    if not verifiers:
        raise BearerTokenError(
            "No TokenVerifier is bound, so no bearer token can be accepted. Install "
            "foundry-auth-scaffolding or foundry-oauth-server, or bind "
            "foundry.domain.auth.TokenVerifier in a provider.",
            error="invalid_token",
        )
    for verifier in verifiers:
        grant = await verifier.verify(token)
        if grant is not None:
            break
    else:
        raise BearerTokenError(
            "The bearer token is invalid, expired or revoked; request a new one.",
            error="invalid_token",
        )
    if not grant.can(ability):
        raise AuthorizationError(
            f"The token does not hold the {ability} ability; issue a token that does.",
            context={"ability": ability},
        )
    return grant


def require_ability(container: Container, ability: str) -> Any:
    """A FastAPI dependency yielding the caller's :class:`AccessToken` with ``ability``.

    The grant is also kept on ``request.state.access_token`` for the endpoint. The
    dependency documents the bearer scheme in OpenAPI, so Swagger UI offers "Authorize".
    """

    async def bearer_token(
        request: Request,
        credentials: HTTPAuthorizationCredentials | None = Depends(_bearer_scheme),  # noqa: B008
    ) -> AccessToken:
        grant = await authenticate(
            container, credentials.credentials if credentials else None, ability
        )
        request.state.access_token = grant
        return grant

    bearer_token.__name__ = bearer_token.__qualname__ = "bearer_" + ability.replace(":", "_")
    return Depends(bearer_token)
