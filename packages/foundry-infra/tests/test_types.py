"""Portable column types round-trip identically on SQLite, PostgreSQL and MySQL/MariaDB."""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlmodel import Field, SQLModel, select

from foundry.domain.clock import utcnow
from foundry.domain.ids import uuid7
from foundry.domain.sql import JSON, UTCDateTime
from foundry.infra.database import SQLDatabase
from foundry.infra.types import uuid_pk

PARIS_SUMMER = timezone(timedelta(hours=2))


def sample_model() -> type[SQLModel]:
    class TypeSample(SQLModel, table=True):
        __tablename__ = "infra_type_samples"

        id: uuid.UUID = uuid_pk()
        label: str = Field(max_length=40)
        at: datetime = Field(sa_type=UTCDateTime)
        maybe_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
        doc: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
        items: list[Any] = Field(default_factory=list, sa_type=JSON)
        flag: bool = False
        ref: uuid.UUID | None = None

    return TypeSample


@pytest.fixture
async def sampled(db_url: str, base: Path) -> AsyncIterator[tuple[SQLDatabase, Any]]:
    model = sample_model()
    database = SQLDatabase(db_url, base_path=base)
    async with database.engine.begin() as connection:
        await connection.run_sync(model.__table__.create)  # type: ignore[attr-defined]
    yield database, model
    await database.dispose()


async def _store(database: SQLDatabase, *rows: Any) -> None:
    async with database.session() as session:
        session.add_all(rows)


async def _load(database: SQLDatabase, model: Any) -> list[Any]:
    async with database.session() as session:
        return list((await session.exec(select(model).order_by(model.at))).all())


async def test_timestamps_come_back_aware_in_utc_with_microseconds(sampled: Any) -> None:
    database, model = sampled
    local = datetime(2024, 6, 1, 14, 30, 15, 123456, tzinfo=PARIS_SUMMER)
    await _store(database, model(label="a", at=local))
    (row,) = await _load(database, model)
    assert row.at == local
    assert row.at.tzinfo == UTC
    assert row.at.hour == 12
    assert row.at.microsecond == 123456
    assert row.maybe_at is None


async def test_timestamps_compare_and_sort_as_instants(sampled: Any) -> None:
    database, model = sampled
    early = datetime(2024, 1, 1, 23, 0, tzinfo=timezone(timedelta(hours=-5)))  # 04:00 UTC
    late = datetime(2024, 1, 2, 3, 0, tzinfo=timezone(timedelta(hours=-2)))  # 05:00 UTC
    middle = datetime(2024, 1, 2, 4, 30, tzinfo=UTC)
    await _store(database, model(label="late", at=late), model(label="early", at=early))
    assert [r.label for r in await _load(database, model)] == ["early", "late"]
    async with database.session() as session:
        after = (await session.exec(select(model).where(model.at > middle))).all()
    assert [r.label for r in after] == ["late"]


async def test_naive_timestamps_are_refused_and_nothing_is_saved(sampled: Any) -> None:
    database, model = sampled
    with pytest.raises(sa.exc.StatementError, match="has no timezone"):
        await _store(database, model(label="naive", at=datetime(2024, 1, 1, 12, 0)))
    assert await _load(database, model) == []


async def test_json_documents_round_trip(sampled: Any) -> None:
    database, model = sampled
    doc = {"name": "Zoë", "tags": ["a", "b"], "nested": {"n": 1.5, "ok": True, "none": None}}
    await _store(database, model(label="j", at=utcnow(), doc=doc, items=[1, "two", [3]]))
    (row,) = await _load(database, model)
    assert row.doc == doc
    assert row.items == [1, "two", [3]]


async def test_uuid_and_boolean_columns_return_python_values(sampled: Any) -> None:
    database, model = sampled
    ref = uuid.uuid4()
    await _store(database, model(label="u", at=utcnow(), flag=True, ref=ref))
    (row,) = await _load(database, model)
    assert isinstance(row.id, uuid.UUID)
    assert row.id.version == 7
    assert row.ref == ref
    assert row.flag is True
    async with database.session() as session:
        found = (await session.exec(select(model).where(model.ref == ref))).one()
    assert found.id == row.id


async def test_column_types_per_dialect(sampled: Any, dialect: str) -> None:
    database, _model = sampled
    async with database.engine.connect() as connection:
        columns = await connection.run_sync(
            lambda c: {
                col["name"]: col["type"] for col in sa.inspect(c).get_columns("infra_type_samples")
            }
        )
    at = columns["at"]
    assert isinstance(at, sa.DateTime)
    if dialect == "postgresql":
        assert at.timezone is True
        assert type(columns["doc"]).__name__ == "JSONB"
        assert type(columns["id"]).__name__ == "UUID"
    if dialect == "mysql":
        assert at.fsp == 6  # type: ignore[attr-defined]


def test_uuid7_is_version_7_and_time_ordered() -> None:
    before = int(time.time() * 1000)
    values = [uuid7() for _ in range(5000)]
    after = int(time.time() * 1000)
    assert all(v.version == 7 and v.variant == uuid.RFC_4122 for v in values)
    assert values == sorted(values)
    assert len(set(values)) == len(values)
    millis = values[0].int >> 80
    assert before <= millis <= after


def test_uuid_pk_accepts_only_versions_4_and_7() -> None:
    with pytest.raises(ValueError, match="4 or 7"):
        uuid_pk(version=5)


def test_utcnow_is_aware_utc() -> None:
    assert utcnow().tzinfo == UTC
