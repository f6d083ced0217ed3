"""OpenID Connect on the authorization code grant: ID tokens for the ``openid`` scope.

The ID token carries ``iss``, ``sub``, ``aud`` (the client), ``exp``, ``iat``,
``auth_time``, the request's ``nonce`` and ``at_hash``, plus the user's claims for the
granted scopes, signed with the same key as access tokens (``typ: JWT``, so it can never
pass for an access token, whose ``typ`` is ``at+jwt``).
"""

from __future__ import annotations

from typing import Any

from authlib.oidc.core import OpenIDCode, UserInfo  # type: ignore[import-untyped]

from foundry.oauth_server.scopes import split_scopes

__all__ = ["IdTokens"]


class IdTokens(OpenIDCode):  # type: ignore[misc]
    """authlib's OpenID code-flow extension, signed with the server's key ring."""

    def __init__(self, core: Any, call: Any) -> None:
        super().__init__(require_nonce=False)
        self.core = core
        self.call = call

    def resolve_client_private_key(self, client: Any) -> Any:
        return self.core.keys.signing.key

    def get_client_algorithm(self, client: Any) -> str:
        return str(self.core.keys.signing.alg)

    def get_encode_header(self, client: Any) -> dict[str, Any]:
        key = self.core.keys.signing
        return {"alg": key.alg, "kid": key.kid, "typ": "JWT"}

    def get_client_claims(self, client: Any) -> dict[str, Any]:
        now = int(self.core.clock.timestamp())
        return {
            "iss": self.core.settings.issuer,
            "aud": [client.id],
            "iat": now,
            "exp": now + self.core.settings.access_token_lifetime,
        }

    def exists_nonce(self, nonce: str, request: Any) -> bool:
        """The nonce protects the relying party, which checks it in the ID token; the
        server does not keep a nonce registry, so it never reports one as seen."""
        return False

    def generate_user_info(self, user: Any, scope: str) -> UserInfo:
        claims = self.call(self.core.user_claims, user.id, split_scopes(scope))
        return UserInfo(claims)
