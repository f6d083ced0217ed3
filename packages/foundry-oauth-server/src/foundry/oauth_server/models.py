"""The server's records: clients, codes, tokens, device codes, families and signing keys.

Plain dataclasses, shared by both stores. :class:`Client` also answers the questions
authlib asks of a client (``check_redirect_uri``, ``check_grant_type`` ...), so authlib
works with it directly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from foundry.oauth_server.credentials import digest, same
from foundry.oauth_server.scopes import join_scopes, split_scopes

__all__ = [
    "GRANT_TYPES",
    "AccessTokenRecord",
    "AuthorizationCode",
    "Client",
    "DeviceCode",
    "PersonalAccessToken",
    "RefreshTokenRecord",
    "ResourceOwner",
    "SigningKeyRecord",
    "TokenFamily",
]

DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"
GRANT_TYPES = (
    "authorization_code",
    "refresh_token",
    "client_credentials",
    DEVICE_GRANT,
    "password",
)
CONFIDENTIAL_METHODS = ("client_secret_basic", "client_secret_post")


@dataclass(slots=True)
class Client:
    """A registered OAuth client.

    ``secret_hash`` is None for public clients (native and browser apps, which cannot keep
    a secret). An empty ``scopes`` list allows every scope the server defines.
    """

    id: str
    name: str
    secret_hash: str | None
    redirect_uris: list[str]
    grants: list[str]
    scopes: list[str]
    created_at: datetime
    first_party: bool = False
    personal_access: bool = False
    revoked: bool = False

    @property
    def public(self) -> bool:
        return self.secret_hash is None

    def summary(self) -> dict[str, Any]:
        """What commands print (never the secret hash)."""
        return {
            "id": self.id,
            "name": self.name,
            "public": self.public,
            "redirect_uris": list(self.redirect_uris),
            "grants": list(self.grants),
            "scopes": list(self.scopes),
            "first_party": self.first_party,
            "personal_access": self.personal_access,
            "revoked": self.revoked,
            "created_at": self.created_at.isoformat(),
        }

    # --- what authlib asks (ClientMixin) --------------------------------------------------

    def get_client_id(self) -> str:
        return self.id

    def get_default_redirect_uri(self) -> str | None:
        """Only an unambiguous default: with several URIs the request must name one."""
        return self.redirect_uris[0] if len(self.redirect_uris) == 1 else None

    def get_allowed_scope(self, scope: str | None) -> str | None:
        """The requested scope when the client may have all of it; None (``invalid_scope``)
        when it asks for more. Asking for nothing grants nothing."""
        requested = split_scopes(scope)
        if self.scopes and any(s not in self.scopes for s in requested):
            return None
        return join_scopes(requested)

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        """Exact string comparison (RFC 9700 §4.1.3): no prefix, case or query leeway."""
        return any(same(redirect_uri, registered) for registered in self.redirect_uris)

    def check_client_secret(self, client_secret: str) -> bool:
        if self.secret_hash is None:
            return False
        return same(digest(client_secret), self.secret_hash)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        if self.public:
            return method == "none"
        return method in CONFIDENTIAL_METHODS

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code" and "authorization_code" in self.grants

    def check_grant_type(self, grant_type: str) -> bool:
        if grant_type == "client_credentials" and self.public:
            return False
        return grant_type in self.grants


@dataclass(frozen=True, slots=True)
class ResourceOwner:
    """The user a grant speaks for, as authlib passes it around."""

    id: str
    auth_time: int | None = None

    def get_user_id(self) -> str:
        return self.id


@dataclass(slots=True)
class AuthorizationCode:
    """An issued authorization code (stored by its digest, single use)."""

    id: str
    code_hash: str
    client_id: str
    user_id: str
    redirect_uri: str | None
    scopes: list[str]
    family_id: str
    expires_at: datetime
    created_at: datetime
    code_challenge: str | None = None
    code_challenge_method: str | None = None
    nonce: str | None = None
    auth_time: datetime | None = None
    used_at: datetime | None = None
    revoked: bool = False

    # --- what authlib asks (AuthorizationCodeMixin, OIDC) ---------------------------------

    def get_redirect_uri(self) -> str | None:
        return self.redirect_uri

    def get_scope(self) -> str:
        return join_scopes(self.scopes)

    def get_nonce(self) -> str | None:
        return self.nonce

    def get_auth_time(self) -> int | None:
        return int(self.auth_time.timestamp()) if self.auth_time else None

    def get_acr(self) -> str | None:
        return None

    def get_amr(self) -> list[str] | None:
        return None


@dataclass(slots=True)
class TokenFamily:
    """Every token descended from one grant (a code, a device approval, a password login).

    Refresh rotation keeps the family; presenting a rotated refresh token again, or
    replaying the code, revokes the whole family.
    """

    id: str
    client_id: str
    user_id: str | None
    grant_type: str
    created_at: datetime
    revoked: bool = False
    revoked_reason: str | None = None


@dataclass(slots=True)
class AccessTokenRecord:
    """An issued JWT access token, by its ``jti`` (the JWT itself is never stored)."""

    id: str
    client_id: str
    user_id: str | None
    scopes: list[str]
    expires_at: datetime
    created_at: datetime
    family_id: str | None = None
    revoked: bool = False


@dataclass(slots=True)
class RefreshTokenRecord:
    """An issued refresh token (stored by its digest; ``used_at`` marks rotation)."""

    id: str
    token_hash: str
    access_token_id: str
    client_id: str
    user_id: str | None
    scopes: list[str]
    family_id: str
    expires_at: datetime
    created_at: datetime
    used_at: datetime | None = None
    revoked: bool = False


@dataclass(slots=True)
class DeviceCode:
    """A device authorization (RFC 8628): pending, approved, denied or consumed."""

    id: str
    device_code_hash: str
    user_code_hash: str
    client_id: str
    scopes: list[str]
    interval: int
    expires_at: datetime
    created_at: datetime
    status: str = "pending"
    user_id: str | None = None
    auth_time: datetime | None = None
    last_polled_at: datetime | None = None

    # --- what authlib asks (DeviceCredentialMixin) ----------------------------------------

    def get_client_id(self) -> str:
        return self.client_id

    def get_scope(self) -> str:
        return join_scopes(self.scopes)


@dataclass(slots=True)
class PersonalAccessToken:
    """A long-lived access token a user (or an operator) created by name."""

    id: str
    user_id: str
    client_id: str
    name: str
    scopes: list[str]
    created_at: datetime
    expires_at: datetime | None = None
    last_used_at: datetime | None = None
    revoked: bool = False


@dataclass(slots=True)
class SigningKeyRecord:
    """A public signing key every instance may verify with, until ``verify_until``."""

    kid: str
    alg: str
    public_pem: str
    created_at: datetime
    retired_at: datetime | None = None
    verify_until: datetime | None = None
