"""create jobs, failed_jobs and job_batches"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql, postgresql

revision = "943a42266a5f"
down_revision = None
branch_labels = ("queue",)
depends_on = None

UTC_DATETIME = sa.DateTime(timezone=True).with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")
PORTABLE_JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
LONG_TEXT = sa.Text().with_variant(mysql.LONGTEXT(), "mysql", "mariadb")


def upgrade() -> None:
    op.create_table(
        "jobs",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("queue", sa.String(191), nullable=False),
        sa.Column("payload", LONG_TEXT, nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("reservation", sa.String(32), nullable=True),
        sa.Column("reserved_at", UTC_DATETIME, nullable=True),
        sa.Column("available_at", UTC_DATETIME, nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
    )
    op.create_index("jobs_queue_available_at_index", "jobs", ["queue", "available_at"])
    op.create_index("jobs_queue_reserved_at_index", "jobs", ["queue", "reserved_at"])
    op.create_table(
        "failed_jobs",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("uuid", sa.String(36), nullable=False),
        sa.Column("connection", sa.String(191), nullable=False),
        sa.Column("queue", sa.String(191), nullable=False),
        sa.Column("payload", LONG_TEXT, nullable=False),
        sa.Column("exception", LONG_TEXT, nullable=False),
        sa.Column("failed_at", UTC_DATETIME, nullable=False),
        sa.UniqueConstraint("uuid", name="failed_jobs_uuid_unique"),
    )
    op.create_index("failed_jobs_failed_at_index", "failed_jobs", ["failed_at"])
    op.create_table(
        "job_batches",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("total_jobs", sa.Integer(), nullable=False),
        sa.Column("pending_jobs", sa.Integer(), nullable=False),
        sa.Column("failed_jobs", sa.Integer(), nullable=False),
        sa.Column("failed_job_ids", PORTABLE_JSON, nullable=False),
        sa.Column("options", PORTABLE_JSON, nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("cancelled_at", UTC_DATETIME, nullable=True),
        sa.Column("finished_at", UTC_DATETIME, nullable=True),
    )


def downgrade() -> None:
    op.drop_table("job_batches")
    op.drop_index("failed_jobs_failed_at_index", table_name="failed_jobs")
    op.drop_table("failed_jobs")
    op.drop_index("jobs_queue_reserved_at_index", table_name="jobs")
    op.drop_index("jobs_queue_available_at_index", table_name="jobs")
    op.drop_table("jobs")
