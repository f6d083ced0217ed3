"""Revocation (RFC 7009), introspection (RFC 7662) and device authorization (RFC 8628).

Introspection and revocation look the token up in storage, not only in its signature:
a revoked access token is ``{"active": false}`` at once, whatever the cache says.
"""

from __future__ import annotations

from typing import Any

from authlib.oauth2.rfc6749.errors import InvalidScopeError, UnauthorizedClientError  # type: ignore[import-untyped]
from authlib.oauth2.rfc7009 import RevocationEndpoint as _RevocationEndpoint  # type: ignore[import-untyped]
from authlib.oauth2.rfc7662 import IntrospectionEndpoint as _IntrospectionEndpoint  # type: ignore[import-untyped]
from authlib.oauth2.rfc8628 import DeviceAuthorizationEndpoint as _DeviceEndpoint  # type: ignore[import-untyped]

from foundry.domain.ids import uuid7
from foundry.oauth_server.credentials import digest, new_secret
from foundry.oauth_server.models import DEVICE_GRANT, DeviceCode
from foundry.oauth_server.scopes import split_scopes
from foundry.oauth_server.signing import UnknownKeyId

__all__ = [
    "DeviceAuthorizationEndpoint",
    "IntrospectionEndpoint",
    "RevocationEndpoint",
    "StoredToken",
    "normalise_user_code",
]

USER_CODE_ALPHABET = "BCDFGHJKLMNPQRSTVWXZ"  # RFC 8628 §6.1: no vowels, no look-alikes


class StoredToken:
    """An access, personal or refresh token found in storage, as authlib asks about it."""

    def __init__(self, kind: str, record: Any, core: Any, claims: Any = None) -> None:
        self.kind = kind  # "access_token", "personal_access_token", "refresh_token"
        self.record = record
        self.core = core
        self.claims = claims

    def check_client(self, client: Any) -> bool:
        return bool(self.record.client_id == client.id)

    def get_scope(self) -> str:
        return " ".join(self.record.scopes)

    def is_expired(self) -> bool:
        expires = self.record.expires_at
        return expires is not None and expires <= self.core.now()

    def is_revoked(self) -> bool:
        if self.kind == "refresh_token" and self.record.used_at is not None:
            return True
        return bool(self.record.revoked)


def find_token(server: Any, token: str, hint: str | None) -> StoredToken | None:
    """Look a presented token up: a JWT by its ``jti``, anything else as a refresh token."""
    core = server.core
    if token.count(".") == 2 and hint != "refresh_token":
        try:
            claims = core.signer.check(token)
        except UnknownKeyId:
            claims = None
        if claims is not None:
            record = server.call(core.store.find_access_token, claims.jti)
            if record is not None:
                return StoredToken("access_token", record, core, claims)
            personal = _personal(server, claims)
            if personal is not None:
                return StoredToken("personal_access_token", personal, core, claims)
        return None
    record = server.call(core.store.find_refresh_token, digest(token))
    return StoredToken("refresh_token", record, core) if record is not None else None


def _personal(server: Any, claims: Any) -> Any:
    core = server.core
    if claims.user_id is None:
        return None
    tokens = server.call(core.store.personal_tokens, claims.user_id)
    return next((t for t in tokens if t.id == claims.jti), None)


class RevocationEndpoint(_RevocationEndpoint):  # type: ignore[misc]
    """``POST /oauth/revoke``; public clients may revoke their own tokens (RFC 7009 §2.1).

    Revoking a refresh token revokes its family, access tokens included (§2.1: "SHOULD
    also invalidate all access tokens based on the same authorization grant").
    """

    CLIENT_AUTH_METHODS = ["client_secret_basic", "client_secret_post", "none"]

    def query_token(self, token_string: str, token_type_hint: str | None) -> StoredToken | None:
        return find_token(self.server, token_string, token_type_hint)

    def revoke_token(self, token: StoredToken, request: Any) -> None:
        core = self.server.core
        if token.kind == "refresh_token":
            self.server.call(core.revoke_family, token.record.family_id, "refresh token revoked")
        else:
            self.server.call(core.revoke_access_token, token.record.id)


class IntrospectionEndpoint(_IntrospectionEndpoint):  # type: ignore[misc]
    """``POST /oauth/introspect`` for authenticated confidential clients.

    A client learns about tokens issued to it; a first-party client (a resource server of
    this application) about any token. Anything else is ``{"active": false}``.
    """

    CLIENT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]

    def query_token(self, token_string: str, token_type_hint: str | None) -> StoredToken | None:
        return find_token(self.server, token_string, token_type_hint)

    def check_permission(self, token: StoredToken, client: Any, request: Any) -> bool:
        return bool(client.first_party or token.check_client(client))

    def introspect_token(self, token: StoredToken) -> dict[str, Any]:
        core = self.server.core
        record = token.record
        body: dict[str, Any] = {
            "active": True,
            "scope": token.get_scope(),
            "client_id": record.client_id,
            "token_type": "refresh_token" if token.kind == "refresh_token" else "Bearer",
            "iss": core.settings.issuer,
        }
        if token.claims is not None:
            claims = token.claims
            body.update(
                sub=claims.subject,
                aud=list(claims.audience),
                exp=claims.expires_at,
                iat=claims.issued_at,
                jti=claims.jti,
            )
        else:
            body.update(
                sub=record.user_id or record.client_id,
                exp=int(record.expires_at.timestamp()),
                iat=int(record.created_at.timestamp()),
            )
        user_id = record.user_id
        if user_id is not None:
            user = self.server.call(core.find_user, user_id)
            if user is not None:
                body["username"] = user.email
        return body


class DeviceAuthorizationEndpoint(_DeviceEndpoint):  # type: ignore[misc]
    """``POST /oauth/device/code``: a device code to poll with and a user code to type."""

    def __init__(self, server: Any) -> None:
        super().__init__(server)
        settings = server.core.settings
        self.EXPIRES_IN = settings.device_code_lifetime
        self.INTERVAL = settings.device_poll_interval

    def authenticate_client(self, request: Any) -> Any:
        client = super().authenticate_client(request)
        if not client.check_grant_type(DEVICE_GRANT):
            raise UnauthorizedClientError("The client is not allowed the device code grant.")
        if client.get_allowed_scope(request.payload.scope) is None:
            raise InvalidScopeError("The client may not request this scope.")
        return client

    def generate_device_code(self) -> str:
        return new_secret()

    def generate_user_code(self) -> str:
        import secrets

        letters = "".join(secrets.choice(USER_CODE_ALPHABET) for _ in range(8))
        return f"{letters[:4]}-{letters[4:]}"

    def get_verification_uri(self) -> str:
        return f"{self.server.core.settings.issuer}/oauth/device"

    def save_device_credential(
        self, client_id: str, scope: str | None, data: dict[str, Any]
    ) -> None:
        core = self.server.core
        now = core.now()
        device = DeviceCode(
            id=str(uuid7()),
            device_code_hash=digest(data["device_code"]),
            user_code_hash=digest(normalise_user_code(data["user_code"])),
            client_id=client_id,
            scopes=split_scopes(scope),
            interval=self.INTERVAL,
            expires_at=now + _seconds(self.EXPIRES_IN),
            created_at=now,
        )
        self.server.call(core.store.add_device_code, device)


def normalise_user_code(value: str) -> str:
    """What a person typed -> ``ABCD-EFGH`` (case, spaces and dashes forgiven)."""
    letters = "".join(c for c in value.upper() if c.isalpha())
    return f"{letters[:4]}-{letters[4:]}" if len(letters) == 8 else letters


def _seconds(value: int) -> Any:
    from datetime import timedelta

    return timedelta(seconds=value)
