"""Assembling authlib's server: grants, token generator, endpoints, ID tokens.

The token generator mints RFC 9068 JWT access tokens with the core's signer and a
256-bit opaque refresh token; :func:`save_token` records both, in the token family of
the grant that produced them.
"""

from __future__ import annotations

from typing import Any

from authlib.oauth2.rfc6749.errors import InvalidScopeError  # type: ignore[import-untyped]

from foundry.domain.ids import uuid7
from foundry.oauth_server.bridge import FoundryServer
from foundry.oauth_server.credentials import new_secret
from foundry.oauth_server.endpoints import (
    DeviceAuthorizationEndpoint,
    IntrospectionEndpoint,
    RevocationEndpoint,
)
from foundry.oauth_server.grants import (
    AuthorizationCodeGrant,
    ClientCredentialsGrant,
    DeviceCodeGrant,
    PasswordGrant,
    Pkce,
    RefreshTokenGrant,
)
from foundry.oauth_server.models import ResourceOwner
from foundry.oauth_server.oidc import IdTokens
from foundry.oauth_server.scopes import split_scopes
from foundry.oauth_server.service import OAuthServer

__all__ = ["build_server"]

_META = "_foundry"


def build_server(core: OAuthServer) -> FoundryServer:
    """authlib's server over ``core``, with every grant the settings enable."""

    async def save_token(token: dict[str, Any], request: Any) -> None:
        meta = token.pop(_META)
        family_id = None
        if request.authorization_code is not None:
            family_id = request.authorization_code.family_id
        elif request.refresh_token is not None:
            family_id = request.refresh_token.family_id
        elif "refresh_token" in token:
            family_id = await core.new_family(request.client, meta["user_id"], meta["grant_type"])
        await core.save_issued(
            jti=meta["jti"],
            client=request.client,
            user_id=meta["user_id"],
            scopes=meta["scopes"],
            expires_at=meta["exp"],
            family_id=family_id,
            refresh_token=token.get("refresh_token"),
        )

    server = FoundryServer(core.active_client, save_token, core.scopes.names)
    server.core = core
    server.register_token_generator("default", _generator(core))
    settings = core.settings
    server.register_grant(
        AuthorizationCodeGrant,
        [Pkce(require_for_all=settings.require_pkce), IdTokens(core, server.call)],
    )
    server.register_grant(RefreshTokenGrant)
    server.register_grant(ClientCredentialsGrant)
    server.register_grant(DeviceCodeGrant)
    if settings.enable_password_grant:
        server.register_grant(PasswordGrant)
    server.register_endpoint(RevocationEndpoint(server))
    server.register_endpoint(IntrospectionEndpoint(server))
    server.register_endpoint(DeviceAuthorizationEndpoint(server))
    return server


def _generator(core: OAuthServer) -> Any:
    def generate(
        grant_type: str,
        client: Any,
        user: ResourceOwner | None = None,
        scope: str | None = None,
        expires_in: int | None = None,
        include_refresh_token: bool = True,
    ) -> dict[str, Any]:
        allowed = client.get_allowed_scope(scope)
        if allowed is None:
            raise InvalidScopeError("The client may not request this scope.")
        lifetime = expires_in or core.settings.access_token_lifetime
        jti = str(uuid7())
        access, exp = core.signer.access_token(
            jti=jti,
            subject=user.id if user is not None else client.id,
            client_id=client.id,
            scope=allowed,
            lifetime=lifetime,
            auth_time=user.auth_time if user is not None else None,
        )
        token: dict[str, Any] = {
            "token_type": "Bearer",
            "access_token": access,
            "expires_in": lifetime,
        }
        if allowed:
            token["scope"] = allowed
        if include_refresh_token and user is not None:
            token["refresh_token"] = new_secret()
        token[_META] = {
            "jti": jti,
            "user_id": user.id if user is not None else None,
            "scopes": split_scopes(allowed),
            "exp": exp,
            "grant_type": grant_type,
        }
        return token

    return generate
