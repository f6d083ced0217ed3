"""msgpack with a closed set of types: exact round trips, refusals with a fix."""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from foundry.cache import SerializationError, Serializer


@dataclass(frozen=True)
class Point:
    x: int
    y: int


@dataclass
class Shape:
    name: str
    points: list[Point]
    tags: frozenset[str] = frozenset()
    area: float = field(init=False, default=0.0)


class Colour(enum.IntEnum):
    RED = 1


@pytest.fixture
def serializer() -> Serializer:
    codec = Serializer()
    codec.register(Point)
    codec.register(Shape)
    return codec


ROUND_TRIPS = [
    None,
    True,
    False,
    0,
    -1,
    2**64,
    -(2**80),
    1.5,
    float("inf"),
    "",
    "naïve ✓",
    b"",
    b"\x00\x01",
    [],
    [1, [2, [3]]],
    {},
    {"nested": {"list": [1, 2]}, 1: "int key", (1, 2): "tuple key"},
    (),
    (1, (2, 3)),
    {1, 2},
    frozenset({"a"}),
    datetime(2026, 1, 2, 3, 4, 5, 123456, tzinfo=UTC),
    datetime(1901, 12, 31, 23, 0, tzinfo=timezone(timedelta(hours=-5, minutes=-30))),
    date(1, 1, 1),
    timedelta(days=-3, microseconds=7),
    Decimal("-0.000100"),
    Decimal("NaN"),
    uuid.UUID(int=0),
    Point(1, 2),
    [Point(3, 4), {"p": Point(5, 6)}],
]


@pytest.mark.parametrize("value", ROUND_TRIPS, ids=repr)
def test_values_round_trip_exactly(serializer: Serializer, value: object) -> None:
    found = serializer.loads(serializer.dumps(value))
    if isinstance(value, Decimal) and value.is_nan():
        assert isinstance(found, Decimal)
        assert found.is_nan()
        return
    assert found == value
    assert type(found) is type(value)


def test_an_aware_datetime_keeps_its_offset(serializer: Serializer) -> None:
    value = datetime(2026, 6, 1, 12, 0, tzinfo=timezone(timedelta(hours=2)))
    found = serializer.loads(serializer.dumps(value))
    assert found.utcoffset() == timedelta(hours=2)
    assert found == value


def test_a_dataclass_with_nested_dataclasses_round_trips(serializer: Serializer) -> None:
    shape = Shape("triangle", [Point(0, 0), Point(1, 0)], frozenset({"x"}))
    shape.area = 0.5
    found = serializer.loads(serializer.dumps(shape))
    assert found == shape
    assert found.area == 0.5
    assert type(found.points[0]) is Point


def test_top_level_ints_are_stored_as_digits(serializer: Serializer) -> None:
    assert serializer.dumps(42) == b"42"
    assert serializer.dumps(-7) == b"-7"
    assert serializer.loads(b"42") == 42
    assert serializer.dumps(True)[0] >= 0x80  # bool is not an int here


def test_bytearray_and_memoryview_come_back_as_bytes(serializer: Serializer) -> None:
    assert serializer.loads(serializer.dumps(bytearray(b"ab"))) == b"ab"
    assert serializer.loads(serializer.dumps(memoryview(b"cd"))) == b"cd"


def test_a_naive_datetime_is_refused_with_the_fix(serializer: Serializer) -> None:
    with pytest.raises(SerializationError, match=r"naive datetime.*timezone"):
        serializer.dumps(datetime(2026, 1, 1))


@pytest.mark.parametrize("value", [object(), Colour.RED, 1j, [1, {2: object()}]])
def test_unknown_types_are_refused_and_named(serializer: Serializer, value: object) -> None:
    with pytest.raises(SerializationError, match="Cannot cache a value of type"):
        serializer.dumps(value)


def test_an_unregistered_dataclass_is_refused_with_the_fix() -> None:
    with pytest.raises(SerializationError, match=r"not registered.*serializable"):
        Serializer().dumps(Point(1, 2))


def test_reading_an_unregistered_type_tag_never_loads_the_class(serializer: Serializer) -> None:
    data = serializer.dumps({"p": Point(1, 2)})
    with pytest.raises(SerializationError, match=r"tests?.*Point.*not registered"):
        Serializer().loads(data)


def test_bytes_that_are_not_a_cache_value_are_refused(serializer: Serializer) -> None:
    for data in (b"", b"12ab", b"\xc1", b"\x92\x01"):
        with pytest.raises(SerializationError):
            serializer.loads(data)


def test_a_changed_dataclass_reports_the_key_to_forget(serializer: Serializer) -> None:
    data = serializer.dumps(Point(1, 2))

    @dataclass
    class Point3:
        x: int
        y: int
        z: int

    other = Serializer()
    tag = next(name for name, cls in serializer.registered().items() if cls is Point)
    other.register(Point3, tag=tag)
    with pytest.raises(SerializationError, match="no longer fit"):
        other.loads(data)


def test_only_dataclasses_can_be_registered() -> None:
    with pytest.raises(TypeError, match="dataclass"):
        Serializer().register(dict)


def test_a_tag_names_one_class() -> None:
    codec = Serializer()
    codec.register(Point, tag="geo.point")
    with pytest.raises(TypeError, match=r"geo\.point"):
        codec.register(Shape, tag="geo.point")
    assert codec.registered() == {"geo.point": Point}
