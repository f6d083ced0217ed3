"""The ``oauth_identities`` table: which provider account belongs to which user.

``user_id`` holds the user's ``auth_identifier`` as text, without a foreign key: users are
reached through the ``UserProvider`` contract, whichever package stores them. An identity
whose user no longer exists is removed when it is next used.

``access_token`` and ``refresh_token`` hold AES-256-GCM ciphertexts (see
:class:`foundry.oauth.crypto.TokenCipher`), never the tokens.
"""

from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from foundry.domain.clock import utcnow
from foundry.domain.ids import uuid7
from foundry.domain.sql import UTCDateTime

__all__ = ["OAuthIdentity"]


class OAuthIdentity(SQLModel, table=True):
    """One provider account linked to one user."""

    __tablename__ = "oauth_identities"
    __table_args__ = (
        sa.UniqueConstraint(
            "provider", "provider_user_id", name="uq_oauth_identities_provider_user"
        ),
        sa.Index("idx_oauth_identities_user", "user_id"),
    )

    id: uuid.UUID = Field(default_factory=uuid7, primary_key=True)
    provider: str = Field(max_length=50)
    provider_user_id: str = Field(max_length=255)
    user_id: str = Field(max_length=64)
    email: str | None = Field(default=None, max_length=255)
    name: str | None = Field(default=None, max_length=255)
    avatar: str | None = Field(default=None, sa_type=sa.Text)
    access_token: str = Field(sa_type=sa.Text)
    refresh_token: str | None = Field(default=None, sa_type=sa.Text)
    expires_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)

    def public(self) -> dict[str, str | None]:
        """What may be shown of the identity (never a token)."""
        return {
            "id": str(self.id),
            "provider": self.provider,
            "provider_user_id": self.provider_user_id,
            "email": self.email,
            "name": self.name,
            "avatar": self.avatar,
            "linked_at": self.created_at.isoformat(),
        }
