"""The tables, named as in RustForge: ``users``, ``sessions``, ``password_resets``,
``email_verifications``, ``user_activity_log``, plus ``personal_access_tokens``.

Every secret column holds a SHA-256 digest (session ids, reset, verification and API
tokens) or an Argon2id hash (passwords), never the secret itself. ``users.remember_token``
is the user's *session generation*: each login records it, and replacing it (password
change or reset, "log out other devices") ends every session made before, whichever
session store holds them.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from foundry.domain.clock import utcnow
from foundry.domain.ids import uuid7
from foundry.domain.sql import JSON, UTCDateTime

__all__ = [
    "ActivityLog",
    "EmailVerification",
    "PasswordReset",
    "PersonalAccessToken",
    "SessionRow",
    "User",
]


class User(SQLModel, table=True):
    """An account. Satisfies :class:`foundry.domain.auth.Authenticatable`."""

    __tablename__ = "users"

    id: uuid.UUID = Field(default_factory=uuid7, primary_key=True)
    name: str = Field(max_length=255)
    email: str = Field(max_length=255, sa_column_kwargs={"unique": True})
    password_hash: str = Field(max_length=255)
    email_verified_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    two_factor_secret: str | None = Field(default=None, max_length=255)
    two_factor_recovery_codes: list[str] | None = Field(default=None, sa_type=JSON)
    two_factor_confirmed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    two_factor_last_step: int | None = Field(default=None, sa_type=sa.BigInteger)
    remember_token: str | None = Field(default=None, max_length=100)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)

    @property
    def auth_identifier(self) -> str:
        """The user's id as text (what sessions, tokens and events carry)."""
        return str(self.id)

    @property
    def is_verified(self) -> bool:
        return self.email_verified_at is not None

    @property
    def has_two_factor(self) -> bool:
        """True once a TOTP secret has been confirmed with a real code."""
        return self.two_factor_secret is not None and self.two_factor_confirmed_at is not None

    def public(self) -> dict[str, Any]:
        """What the JSON API shows of a user (never a secret)."""
        return {
            "id": str(self.id),
            "name": self.name,
            "email": self.email,
            "email_verified_at": _iso(self.email_verified_at),
            "two_factor_enabled": self.has_two_factor,
            "created_at": _iso(self.created_at),
        }


class SessionRow(SQLModel, table=True):
    """A session of the ``database`` driver; ``token`` is the SHA-256 of the cookie value."""

    __tablename__ = "sessions"
    __table_args__ = (
        sa.Index("idx_sessions_user", "user_id"),
        sa.Index("idx_sessions_expires", "expires_at"),
    )

    id: uuid.UUID = Field(default_factory=uuid7, primary_key=True)
    token: str = Field(max_length=64, sa_column_kwargs={"unique": True})
    user_id: uuid.UUID | None = Field(default=None, foreign_key="users.id", ondelete="CASCADE")
    ip_address: str | None = Field(default=None, max_length=45)
    user_agent: str | None = Field(default=None, sa_type=sa.Text)
    payload: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    last_activity: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class PasswordReset(SQLModel, table=True):
    """A pending password reset; ``token`` is the SHA-256 of the e-mailed token."""

    __tablename__ = "password_resets"
    __table_args__ = (sa.Index("idx_password_resets_email", "email"),)

    id: uuid.UUID = Field(default_factory=uuid7, primary_key=True)
    email: str = Field(max_length=255)
    token: str = Field(max_length=64, sa_column_kwargs={"unique": True})
    expires_at: datetime = Field(sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class EmailVerification(SQLModel, table=True):
    """A pending e-mail verification of ``email`` for ``user_id``."""

    __tablename__ = "email_verifications"

    id: uuid.UUID = Field(default_factory=uuid7, primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="users.id", ondelete="CASCADE")
    email: str = Field(max_length=255)
    token: str = Field(max_length=64, sa_column_kwargs={"unique": True})
    expires_at: datetime = Field(sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ActivityLog(SQLModel, table=True):
    """One security-relevant event of an account (login, failure, password change ...)."""

    __tablename__ = "user_activity_log"

    id: uuid.UUID = Field(default_factory=uuid7, primary_key=True)
    user_id: uuid.UUID | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    activity_type: str = Field(max_length=50)
    ip_address: str | None = Field(default=None, max_length=45)
    user_agent: str | None = Field(default=None, sa_type=sa.Text)
    details: dict[str, Any] = Field(
        default_factory=dict, sa_column=sa.Column("metadata", JSON(), nullable=False)
    )
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class PersonalAccessToken(SQLModel, table=True):
    """A personal API token; ``token`` is the SHA-256 of what the user was shown once."""

    __tablename__ = "personal_access_tokens"

    id: uuid.UUID = Field(default_factory=uuid7, primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="users.id", ondelete="CASCADE")
    name: str = Field(max_length=255)
    token: str = Field(max_length=64, sa_column_kwargs={"unique": True})
    abilities: list[str] = Field(default_factory=list, sa_type=JSON)
    last_used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    expires_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)

    def public(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "name": self.name,
            "abilities": list(self.abilities),
            "last_used_at": _iso(self.last_used_at),
            "expires_at": _iso(self.expires_at),
            "created_at": _iso(self.created_at),
        }


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None
