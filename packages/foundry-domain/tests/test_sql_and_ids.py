"""The shared column types and ids (round trips on every dialect are in foundry-infra)."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from foundry.domain.clock import utcnow
from foundry.domain.ids import uuid7
from foundry.domain.sql import JSON, UTCDateTime


def test_uuid7_is_version_7_and_increasing():
    ids = [uuid7() for _ in range(2000)]
    assert all(i.version == 7 for i in ids)
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)


def test_utcdatetime_round_trips_aware_and_refuses_naive():
    engine = sa.create_engine("sqlite://")
    meta = sa.MetaData()
    table = sa.Table("t", meta, sa.Column("at", UTCDateTime()), sa.Column("doc", JSON()))
    meta.create_all(engine)
    zurich = timezone(timedelta(hours=2))
    stored = datetime(2026, 7, 1, 14, 30, 0, 123456, tzinfo=zurich)
    with engine.begin() as conn:
        conn.execute(table.insert().values(at=stored, doc={"a": [1, 2]}))
        row = conn.execute(sa.select(table)).one()
    assert row.at == stored
    assert row.at.tzinfo == UTC
    assert row.doc == {"a": [1, 2]}
    with pytest.raises(sa.exc.StatementError, match="has no timezone"), engine.begin() as conn:
        conn.execute(table.insert().values(at=datetime(2026, 1, 1)))


def test_utcnow_is_aware():
    assert utcnow().tzinfo is UTC
