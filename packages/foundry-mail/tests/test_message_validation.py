"""Messages that cannot be sent are refused whole, with the field to fix."""

from __future__ import annotations

from dataclasses import replace

import pytest

from foundry.domain.mail import Address, Attachment, Message
from foundry.mail.exceptions import HeaderInjectionError, InvalidMessageError
from foundry.mail.mime import build_mime

BASE = Message(
    subject="Hello",
    to=(Address("ada@example.com"),),
    from_=Address("shop@example.com"),
    text="Hi",
)


@pytest.mark.parametrize(
    "change",
    [
        {"subject": "Hello\r\nBcc: victim@example.com"},
        {"subject": "Hello\nthere"},
        {"to": (Address("ada@example.com", "Ada\r\nBcc: victim@example.com"),)},
        {"to": (Address("ada@example.com\r\nBcc: victim@example.com"),)},
        {"from_": Address("shop@example.com", "Shop\nX-Evil: 1")},
        {"reply_to": (Address("help@example.com", "Help\r"),)},
        {"bcc": (Address("audit@example.com\n"),)},
        {"headers": {"X-Ref": "1\r\nBcc: victim@example.com"}},
        {"headers": {"X-Ref\r\nBcc": "1"}},
        {"tags": ("ok", "bad\ntag")},
        {"metadata": {"user": "1\r\nBcc: victim@example.com"}},
        {"attachments": (Attachment("a.txt\r\nX-Evil: 1", b"x", "text/plain"),)},
        {"headers": {"Message-ID": "<a@b>\r\nBcc: victim@example.com"}},
    ],
)
def test_a_line_break_in_any_header_value_or_address_is_refused(change):
    with pytest.raises(HeaderInjectionError, match="line break"):
        build_mime(replace(BASE, **change))


@pytest.mark.parametrize(
    ("change", "field", "hint"),
    [
        ({"from_": None}, "from_", "MAIL_FROM_ADDRESS"),
        ({"to": ()}, "to", "recipient"),
        ({"text": None}, "text", "no body"),
        ({"to": (Address("not-an-address"),)}, "to[0]", "local@domain"),
        ({"cc": (Address("a@b@c.com"),)}, "cc[0]", "local@domain"),
        ({"to": (Address("jörg@example.com"),)}, "to[0]", "local@domain"),
        ({"headers": {"Bcc": "victim@example.com"}}, "headers", "Message.bcc"),
        ({"headers": {"Content-Type": "text/html"}}, "headers", "Message.text"),
        ({"headers": {"X-Priority": "1"}}, "headers", "Message.priority"),
        ({"headers": {"X Bad": "1"}}, "headers", "printable ASCII"),
        ({"headers": {"X-Long": "a" * 1000}}, "headers", "998"),
        ({"metadata": {"bad key": "1"}}, "metadata", "Metadata key"),
        ({"priority": 0}, "priority", "out of range"),
        ({"priority": 6}, "priority", "out of range"),
        (
            {"attachments": (Attachment("logo.png", b"x", "image/png", "logo"),)},
            "attachments",
            "HTML body",
        ),
        ({"attachments": (Attachment("a.bin", b"x", "binary"),)}, "attachments", "type/sub"),
    ],
)
def test_invalid_messages_name_the_field_to_fix(change, field, hint):
    with pytest.raises(InvalidMessageError, match=hint) as caught:
        build_mime(replace(BASE, **change))
    assert caught.value.field == field
    assert caught.value.retryable is False
    assert caught.value.status == 422


def test_only_bcc_recipients_are_enough_and_stay_hidden():
    mail = build_mime(replace(BASE, to=(), bcc=(Address("hidden@example.com"),)))
    assert mail.recipients == ("hidden@example.com",)
    assert b"hidden@example.com" not in mail.as_bytes()


def test_recipients_are_deduplicated_in_order():
    message = replace(
        BASE,
        to=(Address("ada@example.com"), Address("bob@example.com")),
        cc=(Address("ADA@example.com"),),
        bcc=(Address("bob@example.com"), Address("carol@example.com")),
    )
    assert build_mime(message).recipients == (
        "ada@example.com",
        "bob@example.com",
        "carol@example.com",
    )


def test_an_internationalised_domain_is_idna_encoded():
    mail = build_mime(replace(BASE, from_=Address("shop@bücher.de"), to=(Address("a@bücher.de"),)))
    assert mail.sender == "shop@xn--bcher-kva.de"
    assert mail.recipients == ("a@xn--bcher-kva.de",)
    assert mail.message_id.endswith("@xn--bcher-kva.de")


def test_a_given_message_id_and_date_are_kept():
    headers = {"Message-ID": "<thread-1@example.com>", "Date": "Mon, 02 Jun 2025 10:00:00 +0000"}
    mail = build_mime(replace(BASE, headers=headers))
    assert mail.message_id == "thread-1@example.com"
    assert mail.mime["Message-ID"] == "<thread-1@example.com>"
    assert mail.mime["Date"] == "Mon, 02 Jun 2025 10:00:00 +0000"


@pytest.mark.parametrize(
    ("priority", "x_priority", "importance"),
    [(1, "1 (Highest)", "high"), (2, "2 (High)", "high"), (3, "3 (Normal)", "normal"),
     (4, "4 (Low)", "low"), (5, "5 (Lowest)", "low")],
)  # fmt: skip
def test_priority_sets_both_headers(priority, x_priority, importance):
    mime = build_mime(replace(BASE, priority=priority)).mime
    assert (mime["X-Priority"], mime["Importance"]) == (x_priority, importance)


def test_html_only_message_is_a_single_html_part():
    mime = build_mime(replace(BASE, text=None, html="<p>Hi</p>")).mime
    assert mime.get_content_type() == "text/html"


def test_text_only_message_is_a_single_text_part():
    assert build_mime(BASE).mime.get_content_type() == "text/plain"
