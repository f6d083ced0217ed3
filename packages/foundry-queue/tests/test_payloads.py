"""Payloads are JSON only: tagged special values, refused objects, rebuild failures."""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from queue_test_jobs import Record

from foundry.domain.queue import Job
from foundry.queue.envelopes import body_of, envelope_from_body, make_envelope, spec_of
from foundry.queue.errors import PayloadError, QueueConfigurationError
from foundry.queue.runner import rebuild
from foundry.queue.serialization import decode_value, encode_value


class Colour(enum.Enum):
    RED = "red"


def test_special_values_survive_the_round_trip_with_their_types() -> None:
    value = {
        "when": datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=UTC),
        "day": date(2026, 1, 2),
        "wait": timedelta(seconds=90),
        "id": uuid.UUID(int=7),
        "price": Decimal("19.90"),
        "raw": b"\x00\xff",
        "pair": (1, "a"),
        "tags": {"b", "a"},
        "colour": Colour.RED,
        "$type": "user data, not a tag",
        "nested": [{"$type": "also data"}],
    }
    assert decode_value(encode_value(value)) == value


def test_objects_json_cannot_carry_are_refused_with_their_path() -> None:
    with pytest.raises(PayloadError, match=r"payload\.user holds a builtins\.object"):
        encode_value({"user": object()})
    with pytest.raises(PayloadError, match="keys must be strings"):
        encode_value({1: "x"})
    with pytest.raises(PayloadError, match="nan"):
        encode_value(float("nan"))


def test_a_job_travels_as_module_class_and_rebuilds_with_its_fields() -> None:
    envelope = make_envelope(spec_of(Record("k", "/tmp/l")), queue="default")
    assert envelope.job == "queue_test_jobs:Record"
    back = envelope_from_body(body_of(envelope), attempts=2)
    assert back.attempts == 2
    assert back.meta["name"] == "Record"
    rebuilt = rebuild(back)
    assert rebuilt.job == Record("k", "/tmp/l")


def test_a_job_that_is_not_a_dataclass_cannot_be_queued() -> None:
    class Plain(Job):
        pass

    with pytest.raises(PayloadError, match="must be a dataclass"):
        spec_of(Plain())


def test_a_closure_cannot_be_queued() -> None:
    @dataclass
    class Local(Job):
        pass

    with pytest.raises(PayloadError, match="module level"):
        spec_of(Local())


def test_a_payload_that_no_longer_fits_its_class_fails_permanently_with_the_reason() -> None:
    envelope = make_envelope(spec_of(Record("k", "/tmp/l")), queue="default")
    broken = envelope_from_body(body_of(envelope).replace('"key":"k"', '"renamed":"k"'), attempts=1)
    with pytest.raises(PayloadError, match=r"Record\(\*\*payload\) failed"):
        rebuild(broken)


def test_a_job_whose_module_is_gone_fails_with_a_clear_error() -> None:
    body = body_of(make_envelope(spec_of(Record("k", "/tmp/l")), queue="default"))
    gone = envelope_from_body(body.replace("queue_test_jobs:Record", "vanished_module:Record"))
    with pytest.raises(PayloadError, match="Cannot import module 'vanished_module'"):
        rebuild(gone)


def test_a_body_that_is_not_json_is_a_payload_error() -> None:
    with pytest.raises(PayloadError, match="not valid JSON"):
        envelope_from_body("{not json")


def test_values_set_on_one_job_win_over_its_class_and_stay_out_of_the_payload():
    job = Record("k", "/tmp/l").with_options(tries=2, backoff=(1, 4), queue="mail")
    envelope = make_envelope(spec_of(job), queue="default")
    assert (envelope.max_tries, envelope.backoff) == (2, (1.0, 4.0))
    assert spec_of(job).queue == "mail"
    assert envelope.payload == make_envelope(spec_of(Record("k", "/tmp/l")), queue="x").payload
    assert spec_of(Record("k", "/tmp/l")).tries == 0  # nothing declared: the worker's default


def test_an_instance_cannot_set_impossible_tries():
    job = Record("k", "/tmp/l").with_options(tries=0)
    with pytest.raises(QueueConfigurationError, match="tries is 0; use 1 or more"):
        spec_of(job)
