"""What a provider tells about the person who signed in, and the tokens it issued."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

__all__ = ["ProviderToken", "SocialUser"]


@dataclass(frozen=True, slots=True)
class SocialUser:
    """The person as the provider describes them (Socialite's ``User``).

    Attributes:
        provider: the provider name.
        id: the provider's stable id for them (OIDC ``sub``, GitHub's numeric id).
        email: their address, if the provider shared one.
        email_verified: True only when the provider vouches that they own ``email``.
        name: the display name.
        nickname: the handle (GitHub login, ``preferred_username``).
        avatar: a picture URL.
        raw: everything the provider returned (claims, profile).
    """

    provider: str
    id: str
    email: str | None = None
    email_verified: bool = False
    name: str | None = None
    nickname: str | None = None
    avatar: str | None = None
    raw: Mapping[str, Any] = field(default_factory=dict)

    @property
    def display_name(self) -> str:
        """A name for a new account: the name, else the handle, else the mailbox."""
        if self.name and self.name.strip():
            return self.name.strip()
        if self.nickname:
            return self.nickname
        return (self.email or self.id).split("@", 1)[0]


@dataclass(frozen=True, slots=True)
class ProviderToken:
    """The tokens a provider issued (kept encrypted in ``oauth_identities``)."""

    access_token: str
    refresh_token: str | None = None
    expires_at: datetime | None = None
    token_type: str = "bearer"  # noqa: S105 - the token type's name, not a secret
    scopes: tuple[str, ...] = ()

    @classmethod
    def from_response(cls, token: Mapping[str, Any], now: datetime) -> ProviderToken:
        """Read a token endpoint response: ``expires_in`` counted from ``now`` (the app's
        clock), else an ``expires_at`` timestamp."""
        expires: datetime | None = None
        try:
            if token.get("expires_in") is not None:
                expires = now + timedelta(seconds=int(token["expires_in"]))
            elif isinstance(token.get("expires_at"), int | float) and token["expires_at"] > 0:
                expires = datetime.fromtimestamp(float(token["expires_at"]), UTC)
        except (TypeError, ValueError):
            expires = None
        scope = token.get("scope") or ""
        scopes = scope.replace(",", " ").split() if isinstance(scope, str) else list(scope)
        return cls(
            access_token=str(token["access_token"]),
            refresh_token=str(token["refresh_token"]) if token.get("refresh_token") else None,
            expires_at=expires,
            token_type=str(token.get("token_type") or "bearer"),
            scopes=tuple(str(s) for s in scopes),
        )

    def __repr__(self) -> str:  # never print the tokens
        return f"ProviderToken(expires_at={self.expires_at!r}, scopes={self.scopes!r})"
