"""Metadata (RFC 8414, OpenID Discovery), the JWK Set and the UserInfo endpoint."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from foundry.oauth_server.guard import bearer_challenge, bearer_token
from foundry.oauth_server.http import OAuthHttp
from foundry.oauth_server.models import DEVICE_GRANT
from foundry.oauth_server.service import OAuthServer

__all__ = ["discovery_router", "server_metadata"]


def server_metadata(core: OAuthServer, *, openid: bool = False) -> dict[str, Any]:
    """The authorization server's metadata (RFC 8414 §2), plus OpenID fields."""
    settings = core.settings
    base = settings.issuer
    grants = ["authorization_code", "refresh_token", "client_credentials", DEVICE_GRANT]
    if settings.enable_password_grant:
        grants.append("password")
    auth_methods = ["client_secret_basic", "client_secret_post", "none"]
    metadata: dict[str, Any] = {
        "issuer": base,
        "authorization_endpoint": f"{base}/oauth/authorize",
        "token_endpoint": f"{base}/oauth/token",
        "jwks_uri": f"{base}/oauth/jwks",
        "scopes_supported": core.scopes.names,
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": grants,
        "token_endpoint_auth_methods_supported": auth_methods,
        "revocation_endpoint": f"{base}/oauth/revoke",
        "revocation_endpoint_auth_methods_supported": auth_methods,
        "introspection_endpoint": f"{base}/oauth/introspect",
        "introspection_endpoint_auth_methods_supported": [
            "client_secret_basic",
            "client_secret_post",
        ],
        "code_challenge_methods_supported": ["S256"],
        "device_authorization_endpoint": f"{base}/oauth/device/code",
        "userinfo_endpoint": f"{base}/oauth/userinfo",
    }
    if openid:
        metadata.update(
            subject_types_supported=["public"],
            id_token_signing_alg_values_supported=[core.keys.signing.alg],
            claims_supported=[
                "sub",
                "iss",
                "aud",
                "exp",
                "iat",
                "auth_time",
                "nonce",
                "at_hash",
                "email",
                "email_verified",
                "name",
                "updated_at",
            ],
            claims_parameter_supported=False,
            request_parameter_supported=False,
            request_uri_parameter_supported=False,
        )
    return metadata


def discovery_router(resolve: Callable[[], OAuthHttp]) -> APIRouter:
    router = APIRouter(tags=["oauth"])
    cached = {"Cache-Control": "public, max-age=300"}

    @router.get("/.well-known/oauth-authorization-server", name="oauth.metadata")
    async def metadata() -> Response:
        return JSONResponse(server_metadata(resolve().core), headers=cached)

    @router.get("/.well-known/openid-configuration", name="oauth.openid_configuration")
    async def openid_configuration() -> Response:
        return JSONResponse(server_metadata(resolve().core, openid=True), headers=cached)

    @router.get("/oauth/jwks", name="oauth.jwks")
    async def jwks() -> Response:
        core = resolve().core
        await core.ensure_keys()
        return JSONResponse(core.keys.jwks(), headers=cached)

    @router.get("/oauth/userinfo", name="oauth.userinfo")
    async def userinfo(request: Request) -> Response:
        """OpenID Connect UserInfo: the claims of the token's user for its scopes."""
        core = resolve().core
        token = bearer_token(request)
        if token is None:
            return bearer_challenge(401, None, "")
        claims = await core.verifier.claims(token)
        if claims is None:
            return bearer_challenge(401, "invalid_token", "The access token is invalid.")
        if "openid" not in claims.scopes or claims.user_id is None:
            return bearer_challenge(
                403, "insufficient_scope", "The token was not granted the openid scope.", "openid"
            )
        body = await core.user_claims(claims.user_id, claims.scopes)
        return JSONResponse(body, headers={"Cache-Control": "no-store"})

    # OIDC lets clients POST to UserInfo too; a route of its own keeps OpenAPI's ids unique.
    router.add_api_route(
        "/oauth/userinfo",
        userinfo,
        methods=["POST"],
        name="oauth.userinfo.post",
        operation_id="oauth_userinfo_post",
    )

    return router
