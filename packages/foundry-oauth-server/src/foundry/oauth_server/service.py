"""The server's core: clients, token issuance, revocation, keys and users.

One :class:`OAuthServer` per application (``app.make(OAuthServer)``). The HTTP endpoints
(through authlib), the commands and the bearer verifier all go through it, so a token
revoked by any of them is revoked for all.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from foundry.domain.auth import Authenticatable, RequestAuthenticator, UserProvider
from foundry.domain.clock import Clock
from foundry.domain.ids import uuid7
from foundry.oauth_server.credentials import digest, new_secret
from foundry.oauth_server.errors import ClientNotFound, InvalidClientSettings
from foundry.oauth_server.keys import KeyFiles, KeyRing, generate_key, load_private_key, retirement
from foundry.oauth_server.models import (
    GRANT_TYPES,
    AccessTokenRecord,
    Client,
    PersonalAccessToken,
    RefreshTokenRecord,
    TokenFamily,
)
from foundry.oauth_server.scopes import Scopes, join_scopes
from foundry.oauth_server.settings import OAuthSettings
from foundry.oauth_server.signing import TokenSigner
from foundry.oauth_server.storage.base import OAuthStore
from foundry.oauth_server.verifier import OAuthTokenVerifier, RevocationCache

__all__ = ["IssuedClient", "OAuthServer"]

log = logging.getLogger("foundry.oauth_server")

PERSONAL_CLIENT_NAME = "Personal Access Client"
WILDCARD = "*"


class IssuedClient:
    """A new client and its secret, which is shown this once and never stored."""

    def __init__(self, client: Client, secret: str | None) -> None:
        self.client = client
        self.secret = secret

    def to_dict(self) -> dict[str, Any]:
        return {**self.client.summary(), "secret": self.secret}


class OAuthServer:
    """Issues, stores, checks and revokes everything OAuth."""

    def __init__(
        self,
        settings: OAuthSettings,
        store: OAuthStore,
        clock: Clock,
        key_files: KeyFiles,
        *,
        cache: Any | None = None,
        users: Callable[[], UserProvider | None] = lambda: None,
        authenticators: Callable[[], Sequence[RequestAuthenticator]] = list,
    ) -> None:
        self.settings = settings
        self.store = store
        self.clock = clock
        self.key_files = key_files
        self.scopes = Scopes(settings.scope_descriptions)
        self.keys = KeyRing(self._local_key())
        self.signer = TokenSigner(self.keys, settings.issuer, settings.audience, clock)
        self.revocations = RevocationCache(store, settings.revocation_cache_ttl, cache)
        self.verifier = OAuthTokenVerifier(self.signer, self.revocations, clock, self.reload_keys)
        self._users = users
        self._authenticators = authenticators
        self._keys_shared = False

    def now(self) -> datetime:
        return self.clock.now()

    # --- keys -----------------------------------------------------------------------------

    def _local_key(self) -> Any:
        pem = self.settings.private_key or self.key_files.read()
        if pem is None:
            return None
        return load_private_key(pem, self.settings.signing_alg)

    @property
    def longest_token_lifetime(self) -> int:
        s = self.settings
        return max(s.access_token_lifetime, s.personal_access_token_lifetime)

    async def reload_keys(self) -> None:
        """Trust the retired keys on disk and, with database storage, every instance's
        published keys; announce this instance's key to the others."""
        now = self.now()
        records = self.key_files.retired()
        if self.keys.has_signing_key:
            mine = self.keys.signing_record(now)
            known = {r.kid: r for r in await self.store.signing_keys()}
            if mine.kid not in known:
                await self.store.save_signing_key(mine)
            records += list(known.values())
        else:
            records += await self.store.signing_keys()
        self.keys.add_public(records, now)

    async def ensure_keys(self) -> None:
        """:meth:`reload_keys` once per process (before the first token is minted or the
        JWKS is served); a database that is not migrated yet is retried next time."""
        if self._keys_shared:
            return
        try:
            await self.reload_keys()
        except Exception as exc:  # the tables may not exist yet (before `migrate`)
            log.warning("OAuth keys could not be shared through the store: %s", exc)
            return
        self._keys_shared = True

    async def rotate_keys(self, alg: str | None = None) -> dict[str, Any]:
        """Write a new key pair to ``storage/oauth/``; the old public key stays trusted
        until the longest-lived token it could have signed has expired."""
        now = self.now()
        retired = None
        old = self.key_files.read()
        if old is not None:
            previous = load_private_key(old)
            record = retirement(
                self.keys.signing_record(now)
                if self.keys.has_signing_key and self.keys.signing.kid == previous.kid
                else _record_of(previous, now),
                now,
                self.longest_token_lifetime,
            )
            self.key_files.retire(record)
            await self.store.save_signing_key(record)
            retired = record.kid
        key = generate_key(alg or self.settings.signing_alg)
        self.key_files.write(key)
        self.key_files.forget_expired(now)
        self.keys = KeyRing(key)
        self.signer.keys = self.keys
        await self.reload_keys()
        return {"kid": key.kid, "alg": key.alg, "retired": retired}

    # --- clients --------------------------------------------------------------------------

    async def create_client(
        self,
        name: str,
        *,
        redirect_uris: Sequence[str] = (),
        grants: Sequence[str] | None = None,
        scopes: Sequence[str] = (),
        public: bool = False,
        first_party: bool = False,
        personal_access: bool = False,
    ) -> IssuedClient:
        """Register a client; a confidential client's secret comes back once."""
        default = ("authorization_code", "refresh_token")
        chosen = list(dict.fromkeys(default if grants is None else grants))
        problems = _client_problems(name, redirect_uris, chosen, public)
        unknown = [s for s in scopes if s != WILDCARD and s not in self.scopes.names]
        if unknown:
            problems.setdefault("scopes", []).append(
                f"Unknown scope(s) {', '.join(unknown)}; define them in config oauth.scopes."
            )
        if problems:
            detail = "; ".join(m for messages in problems.values() for m in messages)
            raise InvalidClientSettings(
                f"The OAuth client definition is invalid: {detail}", fields=problems
            )
        secret = None if public else new_secret()
        client = Client(
            id=str(uuid7()),
            name=name.strip(),
            secret_hash=digest(secret) if secret else None,
            redirect_uris=list(redirect_uris),
            grants=chosen,
            scopes=[s for s in scopes if s != WILDCARD],
            created_at=self.now(),
            first_party=first_party,
            personal_access=personal_access,
        )
        await self.store.add_client(client)
        return IssuedClient(client, secret)

    async def active_client(self, client_id: str) -> Client | None:
        client = await self.store.find_client(client_id)
        return client if client is not None and not client.revoked else None

    async def revoke_client(self, client_id: str) -> Client:
        revoked = await self.store.revoke_client(client_id)
        if revoked is None:
            raise ClientNotFound(
                f'No OAuth client has the id "{client_id}"; list them with passport:clients.'
            )
        await self.revocations.forget(revoked)
        client = await self.store.find_client(client_id)
        assert client is not None
        return client

    async def personal_access_client(self, *, create: bool = True) -> Client | None:
        for client in await self.store.clients():
            if client.personal_access and not client.revoked:
                return client
        if not create:
            return None
        issued = await self.create_client(
            PERSONAL_CLIENT_NAME, grants=(), public=True, personal_access=True
        )
        return issued.client

    # --- tokens ---------------------------------------------------------------------------

    async def new_family(self, client: Client, user_id: str | None, grant_type: str) -> str:
        family = TokenFamily(str(uuid7()), client.id, user_id, grant_type, self.now())
        await self.store.add_family(family)
        return family.id

    async def save_issued(
        self,
        *,
        jti: str,
        client: Client,
        user_id: str | None,
        scopes: list[str],
        expires_at: int,
        family_id: str | None,
        refresh_token: str | None,
    ) -> None:
        """Record an access token (and its refresh token) minted by a grant."""
        now = self.now()
        await self.store.add_access_token(
            AccessTokenRecord(
                id=jti,
                client_id=client.id,
                user_id=user_id,
                scopes=scopes,
                expires_at=_at(expires_at),
                created_at=now,
                family_id=family_id,
            )
        )
        if refresh_token is not None:
            assert family_id is not None
            await self.store.add_refresh_token(
                RefreshTokenRecord(
                    id=str(uuid7()),
                    token_hash=digest(refresh_token),
                    access_token_id=jti,
                    client_id=client.id,
                    user_id=user_id,
                    scopes=scopes,
                    family_id=family_id,
                    expires_at=now + timedelta(seconds=self.settings.refresh_token_lifetime),
                    created_at=now,
                )
            )

    async def revoke_family(self, family_id: str, reason: str) -> None:
        await self.revocations.forget(await self.store.revoke_family(family_id, reason))

    async def revoke_access_token(self, jti: str) -> bool:
        done = await self.store.revoke_access_token(jti)
        done = await self.store.revoke_personal_token(jti) or done
        await self.revocations.forget([jti])
        return done

    async def issue_personal_token(
        self,
        user_id: str,
        name: str,
        scopes: Sequence[str] = (),
        *,
        expires_in: int | None = None,
    ) -> tuple[PersonalAccessToken, str]:
        """A personal access token (a long-lived JWT access token) for a user.

        ``*`` grants every ability; other scopes must be defined in ``oauth.scopes``.
        """
        unknown = [s for s in scopes if s != WILDCARD and s not in self.scopes.names]
        if unknown:
            raise InvalidClientSettings(
                f"Unknown scope(s) {', '.join(unknown)}; define them in config oauth.scopes.",
                fields={"scopes": [f"unknown: {', '.join(unknown)}"]},
            )
        lifetime = expires_in or self.settings.personal_access_token_lifetime
        client = await self.personal_access_client()
        assert client is not None
        jti = str(uuid7())
        chosen = list(dict.fromkeys(scopes))
        token, exp = self.signer.access_token(
            jti=jti,
            subject=user_id,
            client_id=client.id,
            scope=join_scopes(chosen),
            lifetime=lifetime,
        )
        record = PersonalAccessToken(
            id=jti,
            user_id=user_id,
            client_id=client.id,
            name=name,
            scopes=chosen,
            created_at=self.now(),
            expires_at=_at(exp),
        )
        await self.store.add_personal_token(record)
        return record, token

    async def purge(self, *, revoked: bool, expired: bool) -> dict[str, int]:
        return await self.store.purge(revoked=revoked, expired=expired, now=self.now())

    # --- users ----------------------------------------------------------------------------

    async def authenticate(self, request: Any) -> Authenticatable | None:
        """The logged-in user, asking each guard tagged ``auth.authenticators``."""
        for guard in self._authenticators():
            user = await guard.authenticate(request)
            if user is not None:
                return user
        return None

    @property
    def user_provider(self) -> UserProvider | None:
        return self._users()

    async def find_user(self, user_id: str) -> Authenticatable | None:
        provider = self._users()
        return await provider.retrieve_by_id(user_id) if provider is not None else None

    async def user_claims(self, user_id: str, scopes: Sequence[str]) -> dict[str, Any]:
        """OpenID claims for the granted scopes (``sub`` always; ``email``/``profile``
        from the user when a ``UserProvider`` is bound)."""
        claims: dict[str, Any] = {"sub": user_id}
        user = await self.find_user(user_id)
        if user is None:
            return claims
        if "email" in scopes:
            claims["email"] = user.email
            claims["email_verified"] = _email_verified(user)
        if "profile" in scopes:
            name = getattr(user, "name", None)
            if name:
                claims["name"] = str(name)
            updated = getattr(user, "updated_at", None)
            if isinstance(updated, datetime):
                claims["updated_at"] = int(updated.timestamp())
        return claims


def _email_verified(user: Any) -> bool:
    for attribute in ("email_verified", "is_verified"):
        value = getattr(user, attribute, None)
        if isinstance(value, bool):
            return value
    return getattr(user, "email_verified_at", None) is not None


def _at(timestamp: int) -> datetime:
    from datetime import UTC

    return datetime.fromtimestamp(timestamp, UTC)


def _record_of(key: Any, now: datetime) -> Any:
    from foundry.oauth_server.models import SigningKeyRecord

    return SigningKeyRecord(key.kid, key.alg, key.public_pem, now)


def _client_problems(
    name: str, redirect_uris: Sequence[str], grants: Sequence[str], public: bool
) -> dict[str, list[str]]:
    from urllib.parse import urlsplit

    problems: dict[str, list[str]] = {}
    if not name.strip() or len(name) > 255:
        problems["name"] = ["A client needs a name of 1 to 255 characters."]
    unknown = [g for g in grants if g not in GRANT_TYPES]
    if unknown:
        problems["grants"] = [
            f"Unknown grant(s) {', '.join(unknown)}: use {', '.join(GRANT_TYPES)}."
        ]
    if public and "client_credentials" in grants:
        problems.setdefault("grants", []).append(
            "Public clients cannot use client_credentials (they hold no secret)."
        )
    if "authorization_code" in grants and not redirect_uris:
        problems["redirect_uris"] = ["The authorization_code grant needs a redirect URI."]
    for uri in redirect_uris:
        parts = urlsplit(uri)
        if (
            not parts.scheme
            or parts.fragment
            or (parts.scheme in ("http", "https") and not parts.netloc)
        ):
            problems.setdefault("redirect_uris", []).append(
                f"{uri!r} must be an absolute URI without a fragment (RFC 6749 §3.1.2)."
            )
    return problems
