"""create oauth identities

Social login's ``oauth_identities``: one row per provider account, unique per (provider,
provider_user_id), pointing at the user by id (text, no foreign key: users may live in
any package). Token columns hold AES-256-GCM ciphertexts; timestamps keep microseconds
and their zone on every database.
"""

from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "c5af20376579"
down_revision = None
branch_labels = ("oauth",)
depends_on = None


def _timestamp() -> sa.types.TypeEngine[Any]:
    return sa.DateTime(timezone=True).with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")


def upgrade() -> None:
    op.create_table(
        "oauth_identities",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("provider", sa.String(50), nullable=False),
        sa.Column("provider_user_id", sa.String(255), nullable=False),
        sa.Column("user_id", sa.String(64), nullable=False),
        sa.Column("email", sa.String(255), nullable=True),
        sa.Column("name", sa.String(255), nullable=True),
        sa.Column("avatar", sa.Text(), nullable=True),
        sa.Column("access_token", sa.Text(), nullable=False),
        sa.Column("refresh_token", sa.Text(), nullable=True),
        sa.Column("expires_at", _timestamp(), nullable=True),
        sa.Column("created_at", _timestamp(), nullable=False),
        sa.Column("updated_at", _timestamp(), nullable=False),
        sa.UniqueConstraint(
            "provider", "provider_user_id", name="uq_oauth_identities_provider_user"
        ),
    )
    op.create_index("idx_oauth_identities_user", "oauth_identities", ["user_id"])


def downgrade() -> None:
    op.drop_index("idx_oauth_identities_user", table_name="oauth_identities")
    op.drop_table("oauth_identities")
