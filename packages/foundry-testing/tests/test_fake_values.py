"""Faker values by column name and type, cut to the column, or a clear refusal."""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime
from decimal import Decimal

import pytest
import sqlalchemy as sa
from faker import Faker

from foundry.domain.sql import UTCDateTime
from foundry.testing import TestSetupError
from foundry.testing.fake_values import fake_value


class Colour(enum.Enum):
    RED = "red"
    BLUE = "blue"


metadata = sa.MetaData()
things = sa.Table(
    "things",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("email", sa.String(200), unique=True),
    sa.Column("title", sa.String(10)),
    sa.Column("code", sa.String(6)),
    sa.Column("count", sa.Integer),
    sa.Column("active", sa.Boolean),
    sa.Column("price", sa.Numeric(8, 2)),
    sa.Column("seen_at", UTCDateTime),
    sa.Column("born_on", sa.Date),
    sa.Column("token", sa.Uuid),
    sa.Column("colour", sa.Enum(Colour)),
    sa.Column("settings", sa.JSON),
    sa.Column("shape", sa.types.NullType),
)


class Thing:
    pass


@pytest.fixture
def faker() -> Faker:
    fake = Faker()
    fake.seed_instance(1)
    return fake


def value(faker: Faker, column: str) -> object:
    return fake_value(faker, Thing, things.c[column])


def test_names_choose_the_kind_of_text(faker: Faker) -> None:
    assert "@" in str(value(faker, "email"))
    title = value(faker, "title")
    assert isinstance(title, str)
    assert 0 < len(title) <= 10


def test_types_choose_the_rest(faker: Faker) -> None:
    assert isinstance(value(faker, "code"), str)
    assert len(str(value(faker, "code"))) <= 6
    assert isinstance(value(faker, "count"), int)
    assert not isinstance(value(faker, "count"), bool)
    assert isinstance(value(faker, "active"), bool)
    assert isinstance(value(faker, "price"), Decimal)
    seen = value(faker, "seen_at")
    assert isinstance(seen, datetime)
    assert seen.tzinfo is not None
    assert isinstance(value(faker, "born_on"), date)
    assert isinstance(value(faker, "token"), uuid.UUID)
    assert value(faker, "colour") in (Colour.RED, Colour.BLUE)
    assert value(faker, "settings") == {}


def test_unique_columns_get_distinct_values(faker: Faker) -> None:
    assert len({value(faker, "email") for _ in range(50)}) == 50


def test_an_unknown_type_says_to_pass_the_value(faker: Faker) -> None:
    with pytest.raises(
        TestSetupError, match=r"Cannot invent a value for Thing.shape .* pass shape="
    ):
        value(faker, "shape")
