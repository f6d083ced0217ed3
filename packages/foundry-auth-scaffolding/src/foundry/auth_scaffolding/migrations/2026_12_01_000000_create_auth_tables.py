"""create auth tables

RustForge's auth tables (``users``, ``sessions``, ``password_resets``,
``email_verifications``, ``user_activity_log``) and ``personal_access_tokens``. Ids are
UUIDs (UUIDv7 made by the application); secret columns hold SHA-256 digests or Argon2id
hashes; timestamps are timezone-aware and keep microseconds on every database.
"""

from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql, postgresql

revision = "a7c3e91f04b2"
down_revision = None
branch_labels = ("auth",)
depends_on = None

_MYSQL = ("mysql", "mariadb")


def _timestamp() -> sa.types.TypeEngine[Any]:
    return sa.DateTime(timezone=True).with_variant(mysql.DATETIME(fsp=6), *_MYSQL)


def _json() -> sa.types.TypeEngine[Any]:
    return sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def _created() -> sa.Column[Any]:
    return sa.Column("created_at", _timestamp(), nullable=False)


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("email", sa.String(255), nullable=False, unique=True),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("email_verified_at", _timestamp(), nullable=True),
        sa.Column("two_factor_secret", sa.String(255), nullable=True),
        sa.Column("two_factor_recovery_codes", _json(), nullable=True),
        sa.Column("two_factor_confirmed_at", _timestamp(), nullable=True),
        sa.Column("two_factor_last_step", sa.BigInteger(), nullable=True),
        sa.Column("remember_token", sa.String(100), nullable=True),
        _created(),
        sa.Column("updated_at", _timestamp(), nullable=False),
    )
    op.create_table(
        "sessions",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("token", sa.String(64), nullable=False, unique=True),
        sa.Column(
            "user_id", sa.Uuid(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=True
        ),
        sa.Column("ip_address", sa.String(45), nullable=True),
        sa.Column("user_agent", sa.Text(), nullable=True),
        sa.Column("payload", _json(), nullable=False),
        sa.Column("last_activity", _timestamp(), nullable=False),
        sa.Column("expires_at", _timestamp(), nullable=False),
        _created(),
    )
    op.create_index("idx_sessions_user", "sessions", ["user_id"])
    op.create_index("idx_sessions_expires", "sessions", ["expires_at"])
    op.create_table(
        "password_resets",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("email", sa.String(255), nullable=False),
        sa.Column("token", sa.String(64), nullable=False, unique=True),
        sa.Column("expires_at", _timestamp(), nullable=False),
        _created(),
    )
    op.create_index("idx_password_resets_email", "password_resets", ["email"])
    op.create_table(
        "email_verifications",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column(
            "user_id", sa.Uuid(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("email", sa.String(255), nullable=False),
        sa.Column("token", sa.String(64), nullable=False, unique=True),
        sa.Column("expires_at", _timestamp(), nullable=False),
        _created(),
    )
    op.create_table(
        "user_activity_log",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column(
            "user_id", sa.Uuid(), sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True
        ),
        sa.Column("activity_type", sa.String(50), nullable=False),
        sa.Column("ip_address", sa.String(45), nullable=True),
        sa.Column("user_agent", sa.Text(), nullable=True),
        sa.Column("metadata", _json(), nullable=False),
        _created(),
    )
    op.create_table(
        "personal_access_tokens",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column(
            "user_id", sa.Uuid(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("token", sa.String(64), nullable=False, unique=True),
        sa.Column("abilities", _json(), nullable=False),
        sa.Column("last_used_at", _timestamp(), nullable=True),
        sa.Column("expires_at", _timestamp(), nullable=True),
        _created(),
    )


def downgrade() -> None:
    op.drop_table("personal_access_tokens")
    op.drop_table("user_activity_log")
    op.drop_table("email_verifications")
    # Dropping a table drops its indexes; dropping idx_sessions_user first fails on MySQL and
    # MariaDB, where it backs the foreign key to users.
    op.drop_table("password_resets")
    op.drop_table("sessions")
    op.drop_table("users")
