"""The queue's tables as SQLAlchemy Core objects (what the migration creates).

``jobs`` holds the database connection's queued jobs; ``failed_jobs`` every job that used
its tries, whatever its connection; ``job_batches`` the progress of batches. Bodies are
stored as text, verbatim: the worker parses them, and a failed job's payload is kept
exactly as it was queued.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import mysql

from foundry.domain.sql import JSON, UTCDateTime

__all__ = ["batches_table", "failed_jobs_table", "jobs_table", "metadata"]

metadata = sa.MetaData()

LongText = sa.Text().with_variant(mysql.LONGTEXT(), "mysql", "mariadb")

jobs_table = sa.Table(
    "jobs",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("queue", sa.String(191), nullable=False),
    sa.Column("payload", LongText, nullable=False),
    sa.Column("attempts", sa.Integer(), nullable=False, default=0),
    sa.Column("reservation", sa.String(32), nullable=True),
    sa.Column("reserved_at", UTCDateTime(), nullable=True),
    sa.Column("available_at", UTCDateTime(), nullable=False),
    sa.Column("created_at", UTCDateTime(), nullable=False),
    sa.Index("jobs_queue_available_at_index", "queue", "available_at"),
    sa.Index("jobs_queue_reserved_at_index", "queue", "reserved_at"),
)

failed_jobs_table = sa.Table(
    "failed_jobs",
    metadata,
    sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
    sa.Column("uuid", sa.String(36), nullable=False, unique=True),
    sa.Column("connection", sa.String(191), nullable=False),
    sa.Column("queue", sa.String(191), nullable=False),
    sa.Column("payload", LongText, nullable=False),
    sa.Column("exception", LongText, nullable=False),
    sa.Column("failed_at", UTCDateTime(), nullable=False),
    sa.Index("failed_jobs_failed_at_index", "failed_at"),
)

batches_table = sa.Table(
    "job_batches",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("name", sa.String(255), nullable=False),
    sa.Column("total_jobs", sa.Integer(), nullable=False),
    sa.Column("pending_jobs", sa.Integer(), nullable=False),
    sa.Column("failed_jobs", sa.Integer(), nullable=False),
    sa.Column("failed_job_ids", JSON(), nullable=False),
    sa.Column("options", JSON(), nullable=False),
    sa.Column("created_at", UTCDateTime(), nullable=False),
    sa.Column("cancelled_at", UTCDateTime(), nullable=True),
    sa.Column("finished_at", UTCDateTime(), nullable=True),
)
