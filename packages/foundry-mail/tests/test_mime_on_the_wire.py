"""What a real SMTP server receives: the bytes, header by header and part by part."""

from __future__ import annotations

import re
from email.header import decode_header, make_header

import pytest
from mail_support import Received, SmtpServer

from foundry.domain.mail import Address, Attachment, Message
from foundry.mail.transports.smtp import SmtpTransport

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256))
PDF = b"%PDF-1.4\n" + b"\x00\xff" * 300
UNSUBSCRIBE = (
    "<https://shop.example.com/unsubscribe/" + "t0k3n" * 12 + ">, "
    "<mailto:unsubscribe@shop.example.com?subject=unsubscribe-" + "x" * 30 + ">"
)


def full_message() -> Message:
    return Message(
        subject="Grüße aus Köln — your order",
        to=(Address("ada@example.com", "Zoë Ünal"), Address("bob@example.com")),
        from_=Address("shop@example.com", "Bücher & Co"),
        cc=(Address("carol@example.com", "Carol"),),
        bcc=(Address("audit@example.com", "Hidden Auditor"),),
        reply_to=(Address("help@example.com", "Help Desk"),),
        text="Hallo Zoë,\nyour order shipped.\n",
        html='<p>Hallo Zoë,</p><p>your order shipped.</p><img src="cid:logo@shop">',
        attachments=(
            Attachment("logo.png", PNG, "image/png", content_id="logo@shop"),
            Attachment("Rechnung März.pdf", PDF, "application/pdf"),
            Attachment("notes.txt", "ünïcode notes\n".encode(), "text/plain"),
        ),
        headers={
            "X-Campaign-Id": "spring  2025 / wave:3",
            "List-Unsubscribe": UNSUBSCRIBE,
            "X-Note": "Überprüft",
            "In-Reply-To": "<previous@example.com>",
        },
        tags=("orders", "shipping"),
        metadata={"order-id": "4711", "customer": "ada"},
        priority=1,
    )


@pytest.fixture
async def received(smtp_server: SmtpServer) -> Received:
    transport = SmtpTransport(smtp_server.host, smtp_server.port)
    await transport.send(full_message())
    await transport.aclose()
    [got] = smtp_server.received
    return got


def unfolded_headers(raw: bytes) -> dict[str, list[str]]:
    block = raw.split(b"\r\n\r\n", 1)[0].decode("ascii")
    headers: dict[str, list[str]] = {}
    for line in re.sub(r"\r\n(?=[ \t])", "", block).split("\r\n"):
        name, _, value = line.partition(": ")
        headers.setdefault(name, []).append(value)
    return headers


def decoded(value: str) -> str:
    return str(make_header(decode_header(value)))


def test_the_wire_form_is_seven_bit_with_crlf_lines(received: Received):
    assert received.raw.isascii()
    assert b"\n" not in received.raw.replace(b"\r\n", b"")


def test_custom_headers_arrive_exactly(received: Received):
    headers = unfolded_headers(received.raw)
    assert headers["X-Campaign-Id"] == ["spring  2025 / wave:3"]
    assert b"\r\nX-Campaign-Id: spring  2025 / wave:3\r\n" in received.header_block
    assert headers["List-Unsubscribe"] == [UNSUBSCRIBE]  # folded only at its own spaces
    assert headers["In-Reply-To"] == ["<previous@example.com>"]
    assert decoded(headers["X-Note"][0]) == "Überprüft"
    assert all(len(line) <= 998 for line in received.header_block.split(b"\r\n"))


def test_bcc_is_in_the_envelope_but_never_in_the_headers(received: Received):
    assert received.rcpt_tos == [
        "ada@example.com",
        "bob@example.com",
        "carol@example.com",
        "audit@example.com",
    ]
    assert b"audit@example.com" not in received.raw
    assert b"Hidden" not in received.raw
    assert "Bcc" not in received.parsed()


def test_non_ascii_names_and_subject_are_encoded_and_decode_back(received: Received):
    assert b"=?utf-8?" in received.header_block
    parsed = received.parsed()
    assert parsed["Subject"] == "Grüße aus Köln — your order"
    assert parsed["From"].addresses[0].display_name == "Bücher & Co"
    assert parsed["To"].addresses[0].display_name == "Zoë Ünal"
    assert parsed["To"].addresses[1].addr_spec == "bob@example.com"
    assert parsed["Cc"].addresses[0].addr_spec == "carol@example.com"
    assert parsed["Reply-To"].addresses[0].display_name == "Help Desk"


def test_text_and_html_are_alternatives_with_the_inline_image_related_to_the_html(
    received: Received,
):
    parsed = received.parsed()
    assert parsed.get_content_type() == "multipart/mixed"
    body, *attachments = parsed.iter_parts()
    assert body.get_content_type() == "multipart/alternative"
    text, related = body.iter_parts()
    assert text.get_content_type() == "text/plain"
    assert text.get_content().replace("\r\n", "\n") == "Hallo Zoë,\nyour order shipped.\n"
    assert related.get_content_type() == "multipart/related"
    html, image = related.iter_parts()
    assert html.get_content_type() == "text/html"
    assert 'src="cid:logo@shop"' in html.get_content()
    assert image["Content-ID"] == "<logo@shop>"
    assert image.get_content_disposition() == "inline"
    assert image.get_content() == PNG
    assert [a.get_filename() for a in attachments] == ["Rechnung März.pdf", "notes.txt"]


def test_attachments_keep_their_names_types_and_bytes(received: Received):
    parsed = received.parsed()
    found = {a.get_filename(): a for a in parsed.iter_attachments()}
    assert found["Rechnung März.pdf"].get_content_type() == "application/pdf"
    assert found["Rechnung März.pdf"].get_content() == PDF
    assert found["notes.txt"].get_content_type() == "text/plain"
    assert found["notes.txt"].get_payload(decode=True) == "ünïcode notes\n".encode()


def test_tags_metadata_and_priority_become_headers(received: Received):
    headers = unfolded_headers(received.raw)
    assert headers["X-Tag"] == ["orders", "shipping"]
    assert headers["X-Metadata-order-id"] == ["4711"]
    assert headers["X-Metadata-customer"] == ["ada"]
    assert headers["X-Priority"] == ["1 (Highest)"]
    assert headers["Importance"] == ["high"]


def test_message_id_uses_the_sender_domain_and_a_date_is_set(received: Received):
    parsed = received.parsed()
    assert re.fullmatch(r"<[^@<>]+@example\.com>", parsed["Message-ID"])
    assert parsed["Date"].datetime is not None
    assert parsed["MIME-Version"] == "1.0"
