"""create oauth tables"""

from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql, postgresql

revision = "b86e34709b48"
down_revision = None
branch_labels = ("oauth_server",)
depends_on = None

UTC_DATETIME = sa.DateTime(timezone=True).with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")
PORTABLE_JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def _client_fk() -> "sa.Column[Any]":
    return sa.Column(
        "client_id",
        sa.Uuid(),
        sa.ForeignKey("oauth_clients.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )


def upgrade() -> None:
    op.create_table(
        "oauth_clients",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("secret_hash", sa.String(64), nullable=True),
        sa.Column("redirect_uris", PORTABLE_JSON, nullable=False),
        sa.Column("grants", PORTABLE_JSON, nullable=False),
        sa.Column("scopes", PORTABLE_JSON, nullable=False),
        sa.Column("first_party", sa.Boolean(), nullable=False),
        sa.Column("personal_access", sa.Boolean(), nullable=False),
        sa.Column("revoked", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("updated_at", UTC_DATETIME, nullable=False),
    )
    op.create_table(
        "oauth_token_families",
        sa.Column("id", sa.Uuid(), primary_key=True),
        _client_fk(),
        sa.Column("user_id", sa.String(64), nullable=True),
        sa.Column("grant_type", sa.String(64), nullable=False),
        sa.Column("revoked", sa.Boolean(), nullable=False),
        sa.Column("revoked_reason", sa.String(255), nullable=True),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
    )
    op.create_table(
        "oauth_authorization_codes",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("code_hash", sa.String(64), nullable=False, unique=True),
        _client_fk(),
        sa.Column("user_id", sa.String(64), nullable=False),
        sa.Column("redirect_uri", sa.Text(), nullable=True),
        sa.Column("scopes", PORTABLE_JSON, nullable=False),
        sa.Column("family_id", sa.Uuid(), nullable=False, index=True),
        sa.Column("code_challenge", sa.String(128), nullable=True),
        sa.Column("code_challenge_method", sa.String(10), nullable=True),
        sa.Column("nonce", sa.String(255), nullable=True),
        sa.Column("auth_time", UTC_DATETIME, nullable=True),
        sa.Column("used_at", UTC_DATETIME, nullable=True),
        sa.Column("revoked", sa.Boolean(), nullable=False),
        sa.Column("expires_at", UTC_DATETIME, nullable=False, index=True),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
    )
    op.create_table(
        "oauth_access_tokens",
        sa.Column("id", sa.Uuid(), primary_key=True),
        _client_fk(),
        sa.Column("user_id", sa.String(64), nullable=True, index=True),
        sa.Column("scopes", PORTABLE_JSON, nullable=False),
        sa.Column("family_id", sa.Uuid(), nullable=True, index=True),
        sa.Column("revoked", sa.Boolean(), nullable=False),
        sa.Column("expires_at", UTC_DATETIME, nullable=False, index=True),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
    )
    op.create_table(
        "oauth_refresh_tokens",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column(
            "access_token_id",
            sa.Uuid(),
            sa.ForeignKey("oauth_access_tokens.id", ondelete="SET NULL"),
            nullable=True,
            index=True,
        ),
        _client_fk(),
        sa.Column("user_id", sa.String(64), nullable=True),
        sa.Column("scopes", PORTABLE_JSON, nullable=False),
        sa.Column("family_id", sa.Uuid(), nullable=False, index=True),
        sa.Column("used_at", UTC_DATETIME, nullable=True),
        sa.Column("revoked", sa.Boolean(), nullable=False),
        sa.Column("expires_at", UTC_DATETIME, nullable=False, index=True),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
    )
    op.create_table(
        "oauth_device_codes",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("device_code_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("user_code_hash", sa.String(64), nullable=False, unique=True),
        _client_fk(),
        sa.Column("scopes", PORTABLE_JSON, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("user_id", sa.String(64), nullable=True),
        sa.Column("auth_time", UTC_DATETIME, nullable=True),
        sa.Column("interval", sa.Integer(), nullable=False),
        sa.Column("last_polled_at", UTC_DATETIME, nullable=True),
        sa.Column("expires_at", UTC_DATETIME, nullable=False, index=True),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
    )
    op.create_table(
        "oauth_personal_access_tokens",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("user_id", sa.String(64), nullable=False, index=True),
        _client_fk(),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("scopes", PORTABLE_JSON, nullable=False),
        sa.Column("revoked", sa.Boolean(), nullable=False),
        sa.Column("last_used_at", UTC_DATETIME, nullable=True),
        sa.Column("expires_at", UTC_DATETIME, nullable=True, index=True),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
    )
    op.create_table(
        "oauth_signing_keys",
        sa.Column("kid", sa.String(64), primary_key=True),
        sa.Column("alg", sa.String(10), nullable=False),
        sa.Column("public_pem", sa.Text(), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("retired_at", UTC_DATETIME, nullable=True),
        sa.Column("verify_until", UTC_DATETIME, nullable=True),
    )


def downgrade() -> None:
    for table in (
        "oauth_signing_keys",
        "oauth_personal_access_tokens",
        "oauth_device_codes",
        "oauth_refresh_tokens",
        "oauth_access_tokens",
        "oauth_authorization_codes",
        "oauth_token_families",
        "oauth_clients",
    ):
        op.drop_table(table)
