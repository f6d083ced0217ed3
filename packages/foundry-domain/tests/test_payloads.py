"""The shared payload codec: the documented tagged format, both ways, and its refusals."""

from __future__ import annotations

import enum
import json
import uuid
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import pytest

from foundry.domain import payloads
from foundry.domain.payloads import TAG, PayloadCodec, PayloadError, decode, encode
from foundry.domain.queue import PAYLOAD_TAG, PermanentJobFailure


class Colour(enum.Enum):
    RED = "red"


class Size(enum.IntEnum):
    LARGE = 3


def round_trip(value: Any) -> Any:
    return decode(json.loads(json.dumps(encode(value))))


def test_every_documented_value_survives_json_text_with_its_type() -> None:
    value = {
        "when": datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=UTC),
        "day": date(2026, 1, 2),
        "at": time(3, 4, 5),
        "took": timedelta(seconds=90.5),
        "id": uuid.UUID(int=7),
        "price": Decimal("19.90"),
        "raw": b"\x00\xff",
        "buffer": bytearray(b"ab"),
        "pair": (1, "a"),
        "tags": {"b", "a"},
        "frozen": frozenset({1}),
        "colour": Colour.RED,
        "size": Size.LARGE,
        "plain": [1, 2.5, None, True, "text"],
    }
    back = round_trip(value)
    assert back == {**value, "buffer": b"ab"}
    assert type(back["took"]) is timedelta
    assert back["size"] is Size.LARGE


def test_each_tag_is_stored_as_the_contract_documents() -> None:
    assert TAG == PAYLOAD_TAG == "$type"
    assert encode(datetime(2026, 1, 2, tzinfo=UTC)) == {
        "$type": "datetime",
        "value": "2026-01-02T00:00:00+00:00",
    }
    assert encode(timedelta(minutes=1)) == {"$type": "timedelta", "value": 60.0}
    assert encode(Decimal("9.90")) == {"$type": "decimal", "value": "9.90"}
    assert encode(b"\xff") == {"$type": "bytes", "value": "/w=="}
    assert encode((1,)) == {"$type": "tuple", "value": [1]}
    assert encode(Colour.RED) == {
        "$type": "enum",
        "class": f"{__name__}:Colour",
        "value": "red",
    }


def test_a_set_is_stored_the_same_way_whatever_its_iteration_order() -> None:
    assert encode({"b", "a", "c"}) == {"$type": "set", "value": ["a", "b", "c"]}
    assert encode({2, "1"}) == encode({"1", 2})


def test_user_data_with_a_tag_key_is_wrapped_and_never_read_as_a_tag() -> None:
    data = {"$type": "uuid", "value": "not a uuid"}
    stored = encode({"outer": data, "nested": [data]})
    assert stored["outer"] == {"$type": "dict", "value": data}
    assert round_trip({"outer": data, "nested": [data]}) == {"outer": data, "nested": [data]}


def test_payloads_stored_by_the_queue_and_notifications_still_decode() -> None:
    # As foundry-queue wrote them (set members sorted by their JSON) ...
    queued = json.loads(
        '{"when":{"$type":"datetime","value":"2026-01-02T03:04:05+00:00"},'
        '"tags":{"$type":"set","value":["a","b"]},'
        '"colour":{"$type":"enum","class":"' + __name__ + ':Colour","value":"red"},'
        '"wrapped":{"$type":"dict","value":{"$type":"data"}}}'
    )
    # ... and as foundry-notifications wrote them (set members sorted by repr).
    notified = json.loads(
        '{"ids":{"$type":"frozenset","value":[{"$type":"uuid","value":'
        '"00000000-0000-0000-0000-000000000002"},{"$type":"uuid","value":'
        '"00000000-0000-0000-0000-000000000001"}]},"took":{"$type":"timedelta","value":1.5}}'
    )
    assert decode(queued) == {
        "when": datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
        "tags": {"a", "b"},
        "colour": Colour.RED,
        "wrapped": {"$type": "data"},
    }
    assert decode(notified) == {
        "ids": frozenset({uuid.UUID(int=1), uuid.UUID(int=2)}),
        "took": timedelta(seconds=1.5),
    }


def test_values_json_cannot_carry_are_refused_with_their_path() -> None:
    with pytest.raises(PayloadError, match=r"payload\.user holds a builtins\.object"):
        encode({"user": object()})
    with pytest.raises(PayloadError, match=r"Job\.items\[1\] is nan"):
        encode([1, float("nan")], "Job.items")
    with pytest.raises(PayloadError, match="keys must be strings"):
        encode({1: "x"})


def test_a_payload_error_fails_the_job_at_once() -> None:
    assert issubclass(PayloadError, PermanentJobFailure)


def test_unknown_and_malformed_tags_are_refused() -> None:
    with pytest.raises(PayloadError, match="Unknown payload tag 'pickle'"):
        decode({"$type": "pickle", "value": "x"})
    with pytest.raises(PayloadError, match="Malformed uuid value 'nope'"):
        decode({"$type": "uuid", "value": "nope"})
    with pytest.raises(PayloadError, match="Malformed decimal"):
        decode({"$type": "decimal", "value": "ten"})


def test_references_name_module_level_objects_and_resolve_back() -> None:
    assert payloads.reference(Colour) == f"{__name__}:Colour"
    assert payloads.resolve(f"{__name__}:Colour") is Colour
    assert payloads.resolve("json:dumps") is json.dumps

    class Local:
        pass

    with pytest.raises(PayloadError, match="module level"):
        payloads.reference(Local)


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("no-colon", "not a 'module:Name' reference"),
        ("vanished_module_xyz:Thing", "Cannot import module 'vanished_module_xyz'"),
        (f"{__name__}:Gone", "was it renamed or removed"),
    ],
)
def test_references_that_no_longer_resolve_are_refused(ref: str, message: str) -> None:
    with pytest.raises(PayloadError, match=message):
        payloads.resolve(ref)


class Point:
    def __init__(self, x: int, y: int) -> None:
        self.x, self.y = x, y

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Point) and (self.x, self.y) == (other.x, other.y)

    __hash__ = None  # type: ignore[assignment]


class GeometryError(PayloadError):
    code = "GEOMETRY_PAYLOAD"


class GeometryPayloads(PayloadCodec):
    """A package's layer on top: one tag of its own, its own error and wording."""

    error = GeometryError
    carrier = "a geometry payload"
    advice = "Store coordinates."

    def encode_other(self, value: Any, path: str) -> Any:
        if isinstance(value, Point):
            return {TAG: "point", "value": [value.x, value.y]}
        return super().encode_other(value, path)

    def decode_other(self, tag: str, data: Any) -> Any:
        if tag == "point":
            return Point(*data["value"])
        return super().decode_other(tag, data)


def test_a_package_adds_its_own_tag_and_keeps_the_shared_ones() -> None:
    codec = GeometryPayloads()
    value = {"at": Point(1, 2), "path": (Point(0, 0),), "when": date(2026, 1, 1)}
    stored = codec.encode(value)
    assert stored["at"] == {"$type": "point", "value": [1, 2]}
    assert codec.decode(json.loads(json.dumps(stored))) == value


def test_a_package_codec_raises_its_own_error_in_its_own_words() -> None:
    codec = GeometryPayloads()
    with pytest.raises(GeometryError, match=r"which a geometry payload cannot carry .* coord"):
        codec.encode({"bad": object()})
    with pytest.raises(GeometryError, match="Unknown payload tag 'model' in a geometry payload"):
        codec.decode({"$type": "model", "class": "x:Y", "key": 1})
    with pytest.raises(PayloadError):  # the shared class still catches it
        codec.resolve("nowhere")
