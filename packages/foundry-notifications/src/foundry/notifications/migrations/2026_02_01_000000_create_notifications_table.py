"""create notifications"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql, postgresql

revision = "82addbd07810"
down_revision = None
branch_labels = ("notifications",)
depends_on = None

UTC_DATETIME = sa.DateTime(timezone=True).with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")
PORTABLE_JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "notifications",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("type", sa.String(255), nullable=False),
        sa.Column("notifiable_type", sa.String(255), nullable=False),
        sa.Column("notifiable_id", sa.String(64), nullable=False),
        sa.Column("data", PORTABLE_JSON, nullable=False),
        sa.Column("read_at", UTC_DATETIME, nullable=True),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
    )
    op.create_index(
        "ix_notifications_notifiable", "notifications", ["notifiable_type", "notifiable_id"]
    )
    op.create_index("ix_notifications_read_at", "notifications", ["read_at"])


def downgrade() -> None:
    op.drop_index("ix_notifications_read_at", table_name="notifications")
    op.drop_index("ix_notifications_notifiable", table_name="notifications")
    op.drop_table("notifications")
