"""Who is asking: the current user of an HTTP request, through the app's guards.

The broadcast package owns no users. It asks, in order:

1. what a middleware already resolved (``request.state.user``, or ``scope["user"]`` when
   authenticated, as Starlette's ``AuthenticationMiddleware`` leaves it);
2. every *request authenticator* tagged ``auth.authenticators`` in the container — an
   object with ``async authenticate(request) -> user | None`` (or such a callable). This
   is the hook a session guard plugs into: bind it and tag it, and ``/broadcasting/auth``
   (and any package using the same tag) sees session users, without either package
   importing the other;
3. the ``Authorization: Bearer`` token, checked by every ``TokenVerifier`` tagged
   ``auth.token_verifiers`` and then the one bound to ``TokenVerifier``; the first that
   recognises the token answers. With a ``UserProvider`` bound the token's user is loaded
   from it; without one, the verified ``AccessToken`` itself stands for the user.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from foundry.domain.auth import (
    AUTHENTICATORS_TAG,
    TOKEN_VERIFIERS_TAG,
    AccessToken,
    Authenticatable,
    RequestAuthenticator,
    TokenVerifier,
    UserProvider,
)

if TYPE_CHECKING:
    from starlette.requests import Request

    from foundry.domain.application import Application

__all__ = [
    "AUTHENTICATORS_TAG",
    "TOKEN_VERIFIERS_TAG",
    "RequestAuthenticator",
    "UserResolver",
    "bearer_token",
    "user_identifier",
]


def bearer_token(request: Request) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header, if any."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def user_identifier(user: Any) -> str | None:
    """The id a presence channel shows for ``user``."""
    if isinstance(user, Authenticatable):
        return str(user.auth_identifier)
    if isinstance(user, AccessToken):
        return user.user_id or user.subject
    if isinstance(user, Mapping):
        value = user.get("id")
        return None if value is None else str(value)
    value = getattr(user, "id", None)
    return None if value is None else str(value)


async def _call(authenticator: Any, request: Request) -> Any | None:
    method = getattr(authenticator, "authenticate", None)
    result = method(request) if callable(method) else authenticator(request)
    if inspect.isawaitable(result):
        result = await result
    return result


class UserResolver:
    """Finds the current user of a request (see the module docstring for the order)."""

    def __init__(self, app: Application) -> None:
        self._app = app

    async def user(self, request: Request) -> Any | None:
        resolved = getattr(request.state, "user", None)
        if resolved is not None:
            return resolved
        scoped = request.scope.get("user")
        if scoped is not None and getattr(scoped, "is_authenticated", False):
            return scoped
        for authenticator in self._app.tagged(AUTHENTICATORS_TAG):
            found = await _call(authenticator, request)
            if found is not None:
                return found
        token = bearer_token(request)
        if token is None:
            return None
        for verifier in self._verifiers():
            grant = await verifier.verify(token)
            if grant is not None:
                return await self._user_for(grant)
        return None

    def _verifiers(self) -> list[TokenVerifier]:
        verifiers: list[TokenVerifier] = list(self._app.tagged(TOKEN_VERIFIERS_TAG))
        if self._app.bound(TokenVerifier):
            bound = self._app.make(TokenVerifier)
            if all(bound is not v for v in verifiers):
                verifiers.append(bound)
        return verifiers

    async def _user_for(self, grant: AccessToken) -> Any | None:
        if not self._app.bound(UserProvider):
            return grant
        provider = self._app.make(UserProvider)
        return await provider.retrieve_by_id(grant.user_id or grant.subject)
