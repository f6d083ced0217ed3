"""Checking what goes into headers: addresses, names, values.

Anything that ends up in a header line is checked here before the MIME is built, because
a CR or LF in a subject, a display name or a custom header would let whoever controls that
text start headers of their own (``Bcc:``) or the body. Such a message is refused whole
with :class:`HeaderInjectionError`; nothing is stripped silently.
"""

from __future__ import annotations

import re
from email.headerregistry import Address as HeaderAddress

from foundry.domain.mail import Address
from foundry.mail.exceptions import HeaderInjectionError, InvalidMessageError

__all__ = [
    "RESERVED_HEADERS",
    "check_header_name",
    "check_text",
    "fold_ascii",
    "header_address",
]

_NAME = re.compile(r"^[!-9;-~]+$")  # printable ASCII except ":" (RFC 5322 ftext)
_CONTROL = re.compile(r"[\r\n\x00]")

RESERVED_HEADERS: dict[str, str] = {
    "from": "Message.from_",
    "sender": "Message.from_",
    "to": "Message.to",
    "cc": "Message.cc",
    "bcc": "Message.bcc",
    "reply-to": "Message.reply_to",
    "subject": "Message.subject",
    "return-path": "the envelope sender (Message.from_); servers add Return-Path themselves",
    "mime-version": "nothing: it is always 1.0",
    "content-type": "Message.text, Message.html and Message.attachments",
    "content-transfer-encoding": "nothing: the encoding is chosen per part",
    "content-disposition": "Message.attachments",
    "content-id": "Attachment.content_id",
    "x-priority": "Message.priority",
    "importance": "Message.priority",
    "x-tag": "Message.tags",
}
"""Headers built from the message's own fields, with the field to use instead."""


def check_text(where: str, value: str) -> str:
    """Refuse CR, LF and NUL in text bound for a header; returns ``value`` unchanged."""
    if _CONTROL.search(value):
        raise HeaderInjectionError(
            f"{where} contains a line break or NUL ({value!r}); header values must be one "
            "line. The message was refused whole: remove the line break where the value is "
            "built.",
            field=where,
        )
    return value


def check_header_name(name: str) -> str:
    """A custom header's name: printable ASCII without ``:`` or spaces, not reserved."""
    check_text(f"the header name {name!r}", name)
    if not _NAME.match(name):
        raise InvalidMessageError(
            f"Header name {name!r} is not valid: use printable ASCII without spaces or ':' "
            "(for example X-Campaign-Id).",
            field="headers",
        )
    lowered = name.lower()
    if lowered in RESERVED_HEADERS or lowered.startswith("x-metadata-"):
        instead = RESERVED_HEADERS.get(lowered, "Message.metadata")
        raise InvalidMessageError(
            f"Header {name} cannot be set through Message.headers; use {instead}.",
            field="headers",
        )
    return name


def header_address(address: Address, where: str) -> HeaderAddress:
    """The email package's address for ``address``; IDN domains are IDNA-encoded.

    Raises:
        HeaderInjectionError: a CR/LF in the address or display name.
        InvalidMessageError: the address is not ``local@domain``, or its local part is not
            ASCII (SMTPUTF8 is not used, so such a mailbox cannot be addressed).
    """
    check_text(f"the address of {where}", address.email)
    if address.name is not None:
        check_text(f"the display name of {where}", address.name)
    spec = address.email.strip()
    try:
        parsed = HeaderAddress(addr_spec=spec)
    except Exception as exc:  # the parser raises ValueError, IndexError or its own defects
        raise InvalidMessageError(
            f"{where}: {spec!r} is not an e-mail address ({exc}). Use local@domain.",
            field=where,
        ) from None
    if not parsed.username or not parsed.domain:
        raise InvalidMessageError(
            f"{where}: {spec!r} is not an e-mail address. Use local@domain.", field=where
        )
    domain = parsed.domain
    if not domain.isascii():
        try:
            domain = domain.encode("idna").decode("ascii")
        except UnicodeError:
            raise InvalidMessageError(
                f"{where}: the domain of {spec!r} is not a valid internationalised domain.",
                field=where,
            ) from None
    return HeaderAddress(display_name=address.name or "", username=parsed.username, domain=domain)


def fold_ascii(name: str, value: str, limit: int = 78) -> str:
    """Fold an ASCII header value at its own whitespace so unfolding restores it exactly.

    Lines are kept under ``limit`` where the value has whitespace to break at; a run
    without whitespace stays whole (legal up to 998 characters per line).

    Raises:
        InvalidMessageError: a line would still exceed 998 characters.
    """
    lines: list[str] = []
    current = ""
    budget = limit - len(name) - 2
    for match in re.finditer(r"[ \t]*[^ \t]+|[ \t]+$", value):
        piece = match.group(0)
        if current and len(current) + len(piece) > budget and piece[0] in " \t":
            lines.append(current)
            current, budget = piece, limit
        else:
            current += piece
    lines.append(current)
    if len(name) + 2 + len(lines[0]) > 998 or any(len(line) > 998 for line in lines[1:]):
        raise InvalidMessageError(
            f"Header {name} has a run of more than 998 characters without a space; SMTP "
            "cannot carry it. Shorten the value.",
            field="headers",
        )
    return "\n".join(lines)
