"""create cache entries

The table of foundry-cache's database store (RustForge's ``cache_entries``): ``key`` is
binary on MySQL/MariaDB so keys compare byte for byte, ``value`` is ``LONGBLOB`` there (a
``BLOB`` stops at 64 KiB), and timestamps keep microseconds on every database.
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "bb22a5511126"
down_revision = None
branch_labels = ("cache",)
depends_on = None

_MYSQL = ("mysql", "mariadb")


def _timestamp() -> sa.DateTime:
    return sa.DateTime(timezone=True).with_variant(mysql.DATETIME(fsp=6), *_MYSQL)


def upgrade() -> None:
    # MySQL wants the default's precision to match DATETIME(6).
    mysql_like = op.get_bind().dialect.name in _MYSQL
    now = sa.text("CURRENT_TIMESTAMP(6)") if mysql_like else sa.func.current_timestamp()
    op.create_table(
        "cache_entries",
        sa.Column(
            "key",
            sa.String(255).with_variant(mysql.VARBINARY(255), *_MYSQL),
            primary_key=True,
        ),
        sa.Column(
            "value", sa.LargeBinary().with_variant(mysql.LONGBLOB(), *_MYSQL), nullable=False
        ),
        sa.Column("expires_at", _timestamp(), nullable=True),
        sa.Column("created_at", _timestamp(), nullable=False, server_default=now),
    )
    op.create_index("idx_cache_expires", "cache_entries", ["expires_at"])


def downgrade() -> None:
    op.drop_index("idx_cache_expires", table_name="cache_entries")
    op.drop_table("cache_entries")
