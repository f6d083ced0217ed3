"""The grants, as authlib grant classes over Foundry's storage.

* Authorization code: codes are 256-bit, stored hashed, bound to client and redirect
  URI, expire within ``OAUTH_AUTH_CODE_LIFETIME`` and work once. Using one is an atomic
  compare-and-set; a second use is refused *and* revokes every token issued from the
  code (RFC 6749 §4.1.2).
* PKCE: S256 only; required from public clients, and from all with
  ``OAUTH_REQUIRE_PKCE=true`` (RFC 9700 §2.1.1).
* Refresh token: rotated on every use; presenting a rotated token again revokes its
  whole family (RFC 9700 §4.14.2). The scope can only shrink.
* Client credentials, device code (RFC 8628) and, when enabled, password.
"""

from __future__ import annotations

from typing import Any

from authlib.oauth2.rfc6749 import grants  # type: ignore[import-untyped]
from authlib.oauth2.rfc6749.errors import (  # type: ignore[import-untyped]
    AccessDeniedError,
    InvalidGrantError,
    InvalidRequestError,
    InvalidScopeError,
)
from authlib.oauth2.rfc7636 import CodeChallenge  # type: ignore[import-untyped]
from authlib.oauth2.rfc8628 import DeviceCodeGrant as _DeviceCodeGrant  # type: ignore[import-untyped]
from authlib.oauth2.rfc8628.errors import (  # type: ignore[import-untyped]
    AuthorizationPendingError,
    ExpiredTokenError,
    SlowDownError,
)

from foundry.domain.ids import uuid7
from foundry.oauth_server.credentials import digest, new_secret
from foundry.oauth_server.models import (
    AuthorizationCode,
    DeviceCode,
    RefreshTokenRecord,
    ResourceOwner,
)
from foundry.oauth_server.scopes import split_scopes

__all__ = [
    "AuthorizationCodeGrant",
    "ClientCredentialsGrant",
    "DeviceCodeGrant",
    "PasswordGrant",
    "Pkce",
    "RefreshTokenGrant",
]

CONFIDENTIAL_AND_PUBLIC = ["client_secret_basic", "client_secret_post", "none"]
CONFIDENTIAL_ONLY = ["client_secret_basic", "client_secret_post"]
SLOW_DOWN_STEP = 5  # RFC 8628 §3.5


def _core(grant: Any) -> Any:
    return grant.server.core


def _check_client_scope(grant: Any) -> None:
    """The requested scope must be defined on the server and allowed to the client."""
    grant.server.validate_requested_scope(grant.request.payload.scope)
    client = grant.request.client
    if client is not None and client.get_allowed_scope(grant.request.payload.scope) is None:
        raise InvalidScopeError("The client may not request this scope.")


class Pkce(CodeChallenge):  # type: ignore[misc]
    """PKCE with S256 only; ``plain`` is refused (RFC 9700 §2.1.1)."""

    DEFAULT_CODE_CHALLENGE_METHOD = "S256"
    SUPPORTED_CODE_CHALLENGE_METHOD = ["S256"]

    def __init__(self, require_for_all: bool) -> None:
        super().__init__(required=True)
        self.require_for_all = require_for_all

    def validate_code_challenge(self, grant: Any, redirect_uri: str) -> None:
        data = grant.request.payload.data
        challenge, method = data.get("code_challenge"), data.get("code_challenge_method")
        if not challenge and (grant.request.client.public or self.require_for_all):
            raise InvalidRequestError(
                "PKCE is required: send code_challenge with code_challenge_method=S256."
            )
        if challenge and method != "S256":
            raise InvalidRequestError(
                "Unsupported 'code_challenge_method': only S256 is accepted (plain is not)."
            )
        super().validate_code_challenge(grant, redirect_uri)


class AuthorizationCodeGrant(grants.AuthorizationCodeGrant):  # type: ignore[misc]
    TOKEN_ENDPOINT_AUTH_METHODS = CONFIDENTIAL_AND_PUBLIC

    def generate_authorization_code(self) -> str:
        return new_secret()

    def save_authorization_code(self, code: str, request: Any) -> None:
        core = _core(self)
        data = request.payload.data
        owner: ResourceOwner = request.user
        now = core.now()
        family_id = self.server.call(
            core.new_family, request.client, owner.id, "authorization_code"
        )
        record = AuthorizationCode(
            id=str(uuid7()),
            code_hash=digest(code),
            client_id=request.client.id,
            user_id=owner.id,
            redirect_uri=request.payload.redirect_uri,
            scopes=split_scopes(request.scope),
            family_id=family_id,
            expires_at=now + _seconds(core.settings.auth_code_lifetime),
            created_at=now,
            code_challenge=data.get("code_challenge"),
            code_challenge_method=data.get("code_challenge_method"),
            nonce=data.get("nonce"),
            auth_time=_datetime(owner.auth_time) if owner.auth_time else now,
        )
        self.server.call(core.store.add_code, record)

    def query_authorization_code(self, code: str, client: Any) -> AuthorizationCode | None:
        core = _core(self)
        found: AuthorizationCode | None = self.server.call(core.store.find_code, digest(code))
        if found is None or found.client_id != client.id:
            return None
        if found.used_at is not None or found.revoked:
            # Replay (RFC 6749 §4.1.2): refuse, and revoke what the first use obtained.
            self.server.call(core.revoke_family, found.family_id, "authorization code replayed")
            return None
        if found.expires_at <= core.now():
            return None
        return found

    def authenticate_user(self, authorization_code: AuthorizationCode) -> ResourceOwner:
        core = _core(self)
        if not self.server.call(core.store.use_code, authorization_code.id, core.now()):
            self.server.call(
                core.revoke_family, authorization_code.family_id, "authorization code replayed"
            )
            raise InvalidGrantError("The authorization code was already used.")
        auth_time = authorization_code.get_auth_time()
        return ResourceOwner(authorization_code.user_id, auth_time)

    def delete_authorization_code(self, authorization_code: AuthorizationCode) -> None:
        """Kept (marked used) until ``passport:purge``, so a replay is recognised."""


class RefreshTokenGrant(grants.RefreshTokenGrant):  # type: ignore[misc]
    TOKEN_ENDPOINT_AUTH_METHODS = CONFIDENTIAL_AND_PUBLIC
    INCLUDE_NEW_REFRESH_TOKEN = True

    def authenticate_refresh_token(self, refresh_token: str) -> _RefreshToken | None:
        core = _core(self)
        found: RefreshTokenRecord | None = self.server.call(
            core.store.find_refresh_token, digest(refresh_token)
        )
        if found is None:
            return None
        if found.used_at is not None:
            # A rotated token came back: stolen or replayed. Revoke the whole family.
            self.server.call(core.revoke_family, found.family_id, "refresh token reused")
            return None
        if found.revoked or found.expires_at <= core.now():
            return None
        return _RefreshToken(found)

    def authenticate_user(self, refresh_token: Any) -> ResourceOwner | None:
        core = _core(self)
        record: RefreshTokenRecord = refresh_token.record
        if record.user_id is None:
            return None
        if not self.server.call(core.store.use_refresh_token, record.id, core.now()):
            self.server.call(core.revoke_family, record.family_id, "refresh token reused")
            raise InvalidGrantError("The refresh token was already used.")
        if (
            core.user_provider is not None
            and self.server.call(core.find_user, record.user_id) is None
        ):
            self.server.call(core.revoke_family, record.family_id, "user no longer exists")
            raise InvalidGrantError("The user of this refresh token no longer exists.")
        return ResourceOwner(record.user_id)

    def revoke_old_credential(self, refresh_token: Any) -> None:
        """Already rotated (marked used) in :meth:`authenticate_user`."""


class _RefreshToken:
    """A refresh token as authlib's refresh grant asks about it."""

    def __init__(self, record: RefreshTokenRecord) -> None:
        self.record = record
        self.family_id = record.family_id

    def check_client(self, client: Any) -> bool:
        return bool(self.record.client_id == client.id)

    def get_scope(self) -> str:
        return " ".join(self.record.scopes)


class ClientCredentialsGrant(grants.ClientCredentialsGrant):  # type: ignore[misc]
    TOKEN_ENDPOINT_AUTH_METHODS = CONFIDENTIAL_ONLY

    def validate_requested_scope(self) -> None:
        _check_client_scope(self)


class PasswordGrant(grants.ResourceOwnerPasswordCredentialsGrant):  # type: ignore[misc]
    """Only registered with ``OAUTH_ENABLE_PASSWORD_GRANT=true``."""

    TOKEN_ENDPOINT_AUTH_METHODS = CONFIDENTIAL_AND_PUBLIC

    def authenticate_user(self, username: str, password: str) -> ResourceOwner | None:
        core = _core(self)
        provider = core.user_provider
        if provider is None:
            return None
        credentials = {"email": username, "password": password}
        user = self.server.call(provider.retrieve_by_credentials, {"email": username})
        if user is None or not self.server.call(provider.validate_credentials, user, credentials):
            return None
        return ResourceOwner(user.auth_identifier, int(core.clock.timestamp()))

    def validate_requested_scope(self) -> None:
        _check_client_scope(self)


class DeviceCodeGrant(_DeviceCodeGrant):  # type: ignore[misc]
    """Polling for a device authorization: pending, slow down, approved (once), denied."""

    def query_device_credential(self, device_code: str) -> DeviceCode | None:
        core = _core(self)
        found: DeviceCode | None = self.server.call(
            core.store.find_device_code, digest(device_code)
        )
        return found

    def validate_device_credential(self, credential: DeviceCode) -> ResourceOwner:
        core = _core(self)
        now = core.now()
        if credential.expires_at <= now:
            raise ExpiredTokenError()
        if credential.status == "denied":
            raise AccessDeniedError()
        if credential.status == "consumed":
            raise InvalidGrantError("The device code was already used.")
        if credential.status == "approved":
            if not self.server.call(core.store.consume_device_code, credential.id):
                raise InvalidGrantError("The device code was already used.")
            assert credential.user_id is not None
            auth_time = credential.auth_time or now
            return ResourceOwner(credential.user_id, int(auth_time.timestamp()))
        interval = credential.interval
        last = credential.last_polled_at
        too_fast = last is not None and (now - last).total_seconds() < interval
        if too_fast:
            interval += SLOW_DOWN_STEP
        self.server.call(core.store.poll_device_code, credential.id, now, interval)
        if too_fast:
            raise SlowDownError()
        raise AuthorizationPendingError()


def _seconds(value: int) -> Any:
    from datetime import timedelta

    return timedelta(seconds=value)


def _datetime(timestamp: int) -> Any:
    from datetime import UTC, datetime

    return datetime.fromtimestamp(timestamp, UTC)
