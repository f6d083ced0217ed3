"""The ``oauth_*`` tables as SQLAlchemy Core, for the database store.

The names of RustForge's persistence guide are kept (``oauth_clients``,
``oauth_access_tokens``, ``oauth_refresh_tokens``, ``oauth_authorization_codes``,
``oauth_personal_access_tokens``); a correct server adds ``oauth_token_families``
(refresh rotation and replay revocation), ``oauth_device_codes`` (RFC 8628) and
``oauth_signing_keys`` (public keys every instance may verify with during a rotation).
The migration in ``migrations/`` creates exactly these.
"""

from __future__ import annotations

import sqlalchemy as sa

from foundry.domain.sql import JSON, UTCDateTime

__all__ = [
    "access_tokens",
    "authorization_codes",
    "clients",
    "device_codes",
    "families",
    "metadata",
    "personal_tokens",
    "refresh_tokens",
    "signing_keys",
]

metadata = sa.MetaData()

clients = sa.Table(
    "oauth_clients",
    metadata,
    sa.Column("id", sa.Uuid(), primary_key=True),
    sa.Column("name", sa.String(255), nullable=False),
    sa.Column("secret_hash", sa.String(64), nullable=True),
    sa.Column("redirect_uris", JSON(), nullable=False),
    sa.Column("grants", JSON(), nullable=False),
    sa.Column("scopes", JSON(), nullable=False),
    sa.Column("first_party", sa.Boolean(), nullable=False, default=False),
    sa.Column("personal_access", sa.Boolean(), nullable=False, default=False),
    sa.Column("revoked", sa.Boolean(), nullable=False, default=False),
    sa.Column("created_at", UTCDateTime(), nullable=False),
    sa.Column("updated_at", UTCDateTime(), nullable=False),
)

families = sa.Table(
    "oauth_token_families",
    metadata,
    sa.Column("id", sa.Uuid(), primary_key=True),
    sa.Column(
        "client_id",
        sa.Uuid(),
        sa.ForeignKey("oauth_clients.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    sa.Column("user_id", sa.String(64), nullable=True),
    sa.Column("grant_type", sa.String(64), nullable=False),
    sa.Column("revoked", sa.Boolean(), nullable=False, default=False),
    sa.Column("revoked_reason", sa.String(255), nullable=True),
    sa.Column("created_at", UTCDateTime(), nullable=False),
)

authorization_codes = sa.Table(
    "oauth_authorization_codes",
    metadata,
    sa.Column("id", sa.Uuid(), primary_key=True),
    sa.Column("code_hash", sa.String(64), nullable=False, unique=True),
    sa.Column(
        "client_id",
        sa.Uuid(),
        sa.ForeignKey("oauth_clients.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    sa.Column("user_id", sa.String(64), nullable=False),
    sa.Column("redirect_uri", sa.Text(), nullable=True),
    sa.Column("scopes", JSON(), nullable=False),
    sa.Column("family_id", sa.Uuid(), nullable=False, index=True),
    sa.Column("code_challenge", sa.String(128), nullable=True),
    sa.Column("code_challenge_method", sa.String(10), nullable=True),
    sa.Column("nonce", sa.String(255), nullable=True),
    sa.Column("auth_time", UTCDateTime(), nullable=True),
    sa.Column("used_at", UTCDateTime(), nullable=True),
    sa.Column("revoked", sa.Boolean(), nullable=False, default=False),
    sa.Column("expires_at", UTCDateTime(), nullable=False, index=True),
    sa.Column("created_at", UTCDateTime(), nullable=False),
)

access_tokens = sa.Table(
    "oauth_access_tokens",
    metadata,
    sa.Column("id", sa.Uuid(), primary_key=True),
    sa.Column(
        "client_id",
        sa.Uuid(),
        sa.ForeignKey("oauth_clients.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    sa.Column("user_id", sa.String(64), nullable=True, index=True),
    sa.Column("scopes", JSON(), nullable=False),
    sa.Column("family_id", sa.Uuid(), nullable=True, index=True),
    sa.Column("revoked", sa.Boolean(), nullable=False, default=False),
    sa.Column("expires_at", UTCDateTime(), nullable=False, index=True),
    sa.Column("created_at", UTCDateTime(), nullable=False),
)

refresh_tokens = sa.Table(
    "oauth_refresh_tokens",
    metadata,
    sa.Column("id", sa.Uuid(), primary_key=True),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column(
        "access_token_id",
        sa.Uuid(),
        sa.ForeignKey("oauth_access_tokens.id", ondelete="SET NULL"),
        nullable=True,
        index=True,
    ),
    sa.Column(
        "client_id",
        sa.Uuid(),
        sa.ForeignKey("oauth_clients.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    sa.Column("user_id", sa.String(64), nullable=True),
    sa.Column("scopes", JSON(), nullable=False),
    sa.Column("family_id", sa.Uuid(), nullable=False, index=True),
    sa.Column("used_at", UTCDateTime(), nullable=True),
    sa.Column("revoked", sa.Boolean(), nullable=False, default=False),
    sa.Column("expires_at", UTCDateTime(), nullable=False, index=True),
    sa.Column("created_at", UTCDateTime(), nullable=False),
)

device_codes = sa.Table(
    "oauth_device_codes",
    metadata,
    sa.Column("id", sa.Uuid(), primary_key=True),
    sa.Column("device_code_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("user_code_hash", sa.String(64), nullable=False, unique=True),
    sa.Column(
        "client_id",
        sa.Uuid(),
        sa.ForeignKey("oauth_clients.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    sa.Column("scopes", JSON(), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("user_id", sa.String(64), nullable=True),
    sa.Column("auth_time", UTCDateTime(), nullable=True),
    sa.Column("interval", sa.Integer(), nullable=False),
    sa.Column("last_polled_at", UTCDateTime(), nullable=True),
    sa.Column("expires_at", UTCDateTime(), nullable=False, index=True),
    sa.Column("created_at", UTCDateTime(), nullable=False),
)

personal_tokens = sa.Table(
    "oauth_personal_access_tokens",
    metadata,
    sa.Column("id", sa.Uuid(), primary_key=True),
    sa.Column("user_id", sa.String(64), nullable=False, index=True),
    sa.Column(
        "client_id",
        sa.Uuid(),
        sa.ForeignKey("oauth_clients.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    sa.Column("name", sa.String(255), nullable=False),
    sa.Column("scopes", JSON(), nullable=False),
    sa.Column("revoked", sa.Boolean(), nullable=False, default=False),
    sa.Column("last_used_at", UTCDateTime(), nullable=True),
    sa.Column("expires_at", UTCDateTime(), nullable=True, index=True),
    sa.Column("created_at", UTCDateTime(), nullable=False),
)

signing_keys = sa.Table(
    "oauth_signing_keys",
    metadata,
    sa.Column("kid", sa.String(64), primary_key=True),
    sa.Column("alg", sa.String(10), nullable=False),
    sa.Column("public_pem", sa.Text(), nullable=False),
    sa.Column("created_at", UTCDateTime(), nullable=False),
    sa.Column("retired_at", UTCDateTime(), nullable=True),
    sa.Column("verify_until", UTCDateTime(), nullable=True),
)
