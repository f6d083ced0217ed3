"""A message survives JSON unchanged; a payload that is not a message is refused."""

from __future__ import annotations

import json

import pytest

from foundry.domain.mail import Address, Attachment, Message
from foundry.mail.exceptions import InvalidMessageError
from foundry.mail.serialization import (
    message_from_dict,
    message_from_json,
    message_to_dict,
    message_to_json,
)

FULL = Message(
    subject="Grüße",
    to=(Address("ada@example.com", "Ada Lovelace"), Address("bob@example.com")),
    from_=Address("shop@example.com", "Shop"),
    cc=(Address("carol@example.com"),),
    bcc=(Address("audit@example.com", "Audit"),),
    reply_to=(Address("help@example.com"),),
    text="text ü",
    html="<p>html ü</p>",
    attachments=(
        Attachment("logo.png", b"\x89PNG\x00\xff", "image/png", "logo@x"),
        Attachment("a.bin", bytes(range(256))),
    ),
    headers={"X-B": "second", "X-A": "first  spaced"},
    tags=("a", "b"),
    metadata={"k": "v"},
    priority=4,
)


def test_a_full_message_round_trips_through_json_text():
    text = message_to_json(FULL)
    assert isinstance(json.loads(text), dict)
    again = message_from_json(text)
    assert again == FULL
    assert list(again.headers) == ["X-B", "X-A"]  # order kept


def test_a_minimal_message_round_trips():
    minimal = Message(subject="", to=(Address("a@example.com"),), html="<p>x</p>")
    assert message_from_dict(json.loads(json.dumps(message_to_dict(minimal)))) == minimal


def test_attachment_content_is_base64_text():
    data = message_to_dict(FULL)
    assert data["attachments"][1]["content"].isascii()
    assert data["format"] == 1


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (lambda d: d.update(format=99), "format"),
        (lambda d: d.update(to="ada@example.com"), "to"),
        (lambda d: d.update(to=[{"name": "no email"}]), "email"),
        (
            lambda d: d["attachments"][0].update(content="***not base64***"),
            "attachments[0].content",
        ),
        (lambda d: d.update(headers=[["X-A"]]), "headers"),
        (lambda d: d.update(priority="high"), "priority"),
        (lambda d: d.update(tags=[1, 2]), "tags"),
        (lambda d: d.update(subject=None), "subject"),
    ],
)
def test_a_malformed_payload_is_refused_naming_the_field(mutate, field):
    data = message_to_dict(FULL)
    mutate(data)
    with pytest.raises(InvalidMessageError) as caught:
        message_from_dict(data)
    assert caught.value.field == field


def test_text_that_is_not_json_is_refused():
    with pytest.raises(InvalidMessageError, match="JSON"):
        message_from_json("{not json")
