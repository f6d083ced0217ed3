"""Turning a :class:`~foundry.domain.mail.Message` into MIME bytes, with the standard
``email`` package.

Structure, from the outside in: ``multipart/mixed`` when there are attachments, then
``multipart/alternative`` when there are both a text and an HTML body, and
``multipart/related`` around the HTML when inline images (attachments with a
``content_id``) go with it. Bodies are UTF-8 in quoted-printable or base64 (the output is
7-bit clean, so any server can relay it); non-ASCII display names and subjects are RFC 2047
encoded.

Headers beyond the standard ones:

* ``Message.headers`` are written exactly as given (an ASCII value is folded only at its
  own whitespace, so unfolding restores it byte for byte; a non-ASCII value is RFC 2047
  encoded). Structural headers (From, To, Bcc, Content-Type ...) are refused there and
  must come from the message's fields; ``Message-ID``, ``Date``, ``In-Reply-To``,
  ``References`` and ``List-Unsubscribe`` may be given.
* each tag becomes one ``X-Tag: <tag>`` header and each metadata entry one
  ``X-Metadata-<key>: <value>`` header: the convention providers such as Mailgun,
  Postmark and Symfony Mailer read tags and metadata from over SMTP.
* ``priority`` 1..5 becomes ``X-Priority: 1 (Highest)`` .. ``5 (Lowest)`` and the matching
  ``Importance: high|normal|low``.

Bcc recipients are never written into the headers; they are only in the SMTP envelope
(:attr:`MimeMail.recipients`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.headerregistry import Address as HeaderAddress
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid

from foundry.domain.mail import Address, Attachment, Message
from foundry.mail.exceptions import InvalidMessageError
from foundry.mail.headers import (
    check_header_name,
    check_text,
    fold_ascii,
    header_address,
)

__all__ = ["POLICY", "MimeMail", "build_mime", "envelope_recipients"]

POLICY = SMTP.clone(cte_type="7bit", refold_source="none")
"""CRLF line endings, 7-bit clean bodies, and raw custom headers written as given."""

PRIORITIES = {1: "1 (Highest)", 2: "2 (High)", 3: "3 (Normal)", 4: "4 (Low)", 5: "5 (Lowest)"}
IMPORTANCE = {1: "high", 2: "high", 3: "normal", 4: "low", 5: "low"}
_TOKEN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


@dataclass(frozen=True, slots=True)
class MimeMail:
    """A message ready for a transport: the SMTP envelope and the MIME document.

    Attributes:
        message_id: the ``Message-ID`` without angle brackets.
        sender: the envelope sender (``MAIL FROM``).
        recipients: every envelope recipient (``RCPT TO``): to, cc and bcc, de-duplicated.
        mime: the document; ``as_bytes()`` gives the wire form.
    """

    message_id: str
    sender: str
    recipients: tuple[str, ...]
    mime: EmailMessage

    def as_bytes(self) -> bytes:
        """The message as sent: CRLF line endings, 7-bit clean."""
        return self.mime.as_bytes(policy=POLICY)


def _addresses(where: str, addresses: Sequence[Address]) -> list[str]:
    return [
        header_address(address, f"{where}[{i}]").addr_spec for i, address in enumerate(addresses)
    ]


def envelope_recipients(message: Message) -> tuple[str, ...]:
    """To, cc and bcc addresses in order, each once (compared case-insensitively)."""
    seen: set[str] = set()
    result: list[str] = []
    for field_name in ("to", "cc", "bcc"):
        for address in _addresses(field_name, getattr(message, field_name)):
            if address.lower() not in seen:
                seen.add(address.lower())
                result.append(address)
    return tuple(result)


def _set_header(mime: EmailMessage, name: str, value: str) -> None:
    check_text(f"header {name}", value)
    if value.isascii():
        mime.set_raw(name, fold_ascii(name, value))
    else:
        mime[name] = value


def _split_type(attachment: Attachment) -> tuple[str, str]:
    maintype, _, subtype = attachment.content_type.partition("/")
    if not maintype or not subtype or "/" in subtype:
        raise InvalidMessageError(
            f"Attachment {attachment.filename!r} has content type "
            f"{attachment.content_type!r}; use type/subtype such as application/pdf.",
            field="attachments",
        )
    return maintype.strip(), subtype.strip()


def _content_id(attachment: Attachment) -> str:
    assert attachment.content_id is not None
    cid = check_text(f"the content id of {attachment.filename!r}", attachment.content_id)
    return cid.strip().removeprefix("<").removesuffix(">")


def _check_message(message: Message) -> Address:
    if message.from_ is None:
        raise InvalidMessageError(
            "The message has no from-address: set MAIL_FROM_ADDRESS or Message.from_.",
            field="from_",
        )
    if not (message.to or message.cc or message.bcc):
        raise InvalidMessageError(
            "The message has no recipient: give at least one of to, cc or bcc.", field="to"
        )
    if message.text is None and message.html is None:
        raise InvalidMessageError("The message has no body: give text, html or both.", field="text")
    if message.priority is not None and message.priority not in PRIORITIES:
        raise InvalidMessageError(
            f"Priority {message.priority!r} is out of range: use 1 (highest) to 5 (lowest).",
            field="priority",
        )
    return message.from_


def _write_headers(mime: EmailMessage, message: Message, sender: HeaderAddress) -> str:
    mime["From"] = sender
    for name, field_name in (("To", "to"), ("Cc", "cc"), ("Reply-To", "reply_to")):
        addresses = getattr(message, field_name)
        if addresses:
            mime[name] = [header_address(a, f"{field_name}[{i}]") for i, a in enumerate(addresses)]
    mime["Subject"] = check_text("the subject", message.subject)
    custom = {check_header_name(name): value for name, value in message.headers.items()}
    given = {name.lower(): value for name, value in custom.items()}
    message_id = given.pop("message-id", None) or make_msgid(domain=sender.domain)
    check_text("header Message-ID", message_id)
    mime["Date"] = given.pop("date", None) or format_datetime(datetime.now(UTC))
    mime.set_raw("Message-ID", message_id)
    for name, value in custom.items():
        if name.lower() not in ("message-id", "date"):
            _set_header(mime, name, value)
    for tag in message.tags:
        _set_header(mime, "X-Tag", check_text("a tag", tag))
    for key, value in message.metadata.items():
        if not _TOKEN.match(key):
            raise InvalidMessageError(
                f"Metadata key {key!r} cannot name a header: use letters, digits, '-', '_'"
                " and '.'.",
                field="metadata",
            )
        _set_header(mime, f"X-Metadata-{key}", value)
    if message.priority is not None:
        mime["X-Priority"] = PRIORITIES[message.priority]
        mime["Importance"] = IMPORTANCE[message.priority]
    return message_id.strip().removeprefix("<").removesuffix(">")


def _write_body(mime: EmailMessage, message: Message) -> None:
    inline = [a for a in message.attachments if a.inline]
    regular = [a for a in message.attachments if not a.inline]
    if inline and message.html is None:
        raise InvalidMessageError(
            f"Inline attachment {inline[0].filename!r} needs an HTML body that shows it "
            f'(<img src="cid:{_content_id(inline[0])}">); attach it without content_id '
            "otherwise.",
            field="attachments",
        )
    html_part: EmailMessage | None = None
    if message.text is not None:
        mime.set_content(message.text, subtype="plain", charset="utf-8")
        if message.html is not None:
            mime.add_alternative(message.html, subtype="html", charset="utf-8")
            parts = mime.get_payload()
            html = parts[1] if isinstance(parts, list) else None
            assert isinstance(html, EmailMessage)
            html_part = html
    elif message.html is not None:
        mime.set_content(message.html, subtype="html", charset="utf-8")
        html_part = mime
    for attachment in inline:
        assert html_part is not None
        maintype, subtype = _split_type(attachment)
        html_part.add_related(
            attachment.content,
            maintype=maintype,
            subtype=subtype,
            cid=f"<{_content_id(attachment)}>",
            filename=check_text("an attachment name", attachment.filename),
            disposition="inline",
        )
    for attachment in regular:
        maintype, subtype = _split_type(attachment)
        mime.add_attachment(
            attachment.content,
            maintype=maintype,
            subtype=subtype,
            filename=check_text("an attachment name", attachment.filename),
        )
    for part in mime.walk():
        if part is not mime:
            del part["MIME-Version"]  # the email package repeats it on every sub-part


def build_mime(message: Message) -> MimeMail:
    """Validate ``message`` and build its MIME document and SMTP envelope.

    Raises:
        HeaderInjectionError: a CR/LF in any header value, name or address.
        InvalidMessageError: no from-address, recipient or body; a bad address, header
            name, metadata key, priority or attachment type.
    """
    sender = header_address(_check_message(message), "from_")
    mime = EmailMessage(policy=POLICY)
    message_id = _write_headers(mime, message, sender)
    recipients = envelope_recipients(message)  # bcc is validated here, never written
    _write_body(mime, message)
    return MimeMail(message_id, sender.addr_spec, recipients, mime)
