"""JWT access tokens in the RFC 9068 profile: minting and checking.

Header ``{"typ": "at+jwt", "alg", "kid"}``; claims ``iss``, ``sub`` (the user, or the
client for client-credentials tokens), ``aud``, ``exp``, ``iat``, ``jti``, ``client_id``,
``scope`` and, for user grants, ``auth_time``. Checking is synchronous and cheap (one
signature verification); the revocation lookup is the verifier's business.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from foundry.domain.clock import Clock
from foundry.oauth_server.keys import KeyRing

__all__ = ["ACCESS_TOKEN_TYPE", "AccessClaims", "TokenSigner", "UnknownKeyId"]

ACCESS_TOKEN_TYPE = "at+jwt"  # noqa: S105 - a media type, not a secret
ALGORITHMS = ("RS256", "ES256")


class UnknownKeyId(Exception):
    """The token names a ``kid`` this instance does not know (yet): reload and retry."""


@dataclass(frozen=True, slots=True)
class AccessClaims:
    """The checked claims of an access token."""

    jti: str
    subject: str
    client_id: str
    scopes: tuple[str, ...]
    expires_at: int
    issued_at: int
    audience: tuple[str, ...]
    auth_time: int | None = None

    @property
    def user_id(self) -> str | None:
        """The user, or None for a client-credentials token (``sub`` is the client)."""
        return None if self.subject == self.client_id else self.subject


class TokenSigner:
    """Mints and checks access tokens with the key ring's keys."""

    def __init__(self, keys: KeyRing, issuer: str, audience: str, clock: Clock) -> None:
        self.keys = keys
        self.issuer = issuer
        self.audience = audience
        self.clock = clock

    def access_token(
        self,
        *,
        jti: str,
        subject: str,
        client_id: str,
        scope: str,
        lifetime: int,
        auth_time: int | None = None,
    ) -> tuple[str, int]:
        """The signed JWT and its ``exp``."""
        from joserfc import jwt

        key = self.keys.signing
        now = int(self.clock.timestamp())
        claims: dict[str, Any] = {
            "iss": self.issuer,
            "sub": subject,
            "aud": self.audience,
            "exp": now + lifetime,
            "iat": now,
            "jti": jti,
            "client_id": client_id,
            "scope": scope,
        }
        if auth_time is not None:
            claims["auth_time"] = auth_time
        header = {"typ": ACCESS_TOKEN_TYPE, "alg": key.alg, "kid": key.kid}
        return jwt.encode(header, claims, key.key, algorithms=[key.alg]), claims["exp"]

    def sign(self, header: dict[str, Any], claims: dict[str, Any]) -> str:
        """Sign arbitrary claims with the current key (ID tokens, signed userinfo)."""
        from joserfc import jwt

        key = self.keys.signing
        header = {**header, "alg": key.alg, "kid": key.kid}
        return jwt.encode(header, claims, key.key, algorithms=[key.alg])

    def check(self, token: str) -> AccessClaims | None:
        """The claims of a valid, unexpired access token minted here; None otherwise.

        Raises:
            UnknownKeyId: the signature names a key this instance has not loaded.
        """
        from joserfc import jwt
        from joserfc.errors import JoseError

        missing: list[str] = []

        def resolve(guest: Any) -> Any:
            kid = guest.headers().get("kid")
            found = self.keys.verification_key(kid)
            if found is None:
                missing.append(str(kid))
                raise LookupError(kid)
            return found.key

        try:
            decoded = jwt.decode(token, resolve, algorithms=list(ALGORITHMS))
        except LookupError:
            raise UnknownKeyId(missing[0] if missing else "") from None
        except (JoseError, ValueError, TypeError):
            return None
        if decoded.header.get("typ") != ACCESS_TOKEN_TYPE:
            return None  # an ID token or any other JWT is not an access token (RFC 9068 §4)
        return self._claims(decoded.claims)

    def _claims(self, claims: dict[str, Any]) -> AccessClaims | None:
        try:
            if claims["iss"] != self.issuer:
                return None
            audience = claims["aud"]
            audiences = (audience,) if isinstance(audience, str) else tuple(audience)
            if self.audience not in audiences:
                return None
            expires = int(claims["exp"])
            if expires <= self.clock.timestamp():
                return None
            scope = claims.get("scope") or ""
            auth_time = claims.get("auth_time")
            return AccessClaims(
                jti=str(claims["jti"]),
                subject=str(claims["sub"]),
                client_id=str(claims["client_id"]),
                scopes=tuple(scope.split()),
                expires_at=expires,
                issued_at=int(claims["iat"]),
                audience=audiences,
                auth_time=int(auth_time) if auth_time is not None else None,
            )
        except (KeyError, TypeError, ValueError, AttributeError):
            return None
