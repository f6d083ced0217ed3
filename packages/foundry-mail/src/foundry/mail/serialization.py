"""A :class:`~foundry.domain.mail.Message` as JSON-safe data, and back.

Queued mail travels as a job payload, which queues store as JSON text. Everything a
message holds survives the trip: addresses with their display names, both bodies,
attachments (content as base64, with their type and Content-ID), custom headers in their
order, tags, metadata and priority. A payload that does not describe a message is refused
with :class:`InvalidMessageError` naming the field, never half-read.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping, Sequence
from typing import Any

from foundry.domain.mail import Address, Attachment, Message
from foundry.mail.exceptions import InvalidMessageError

__all__ = ["FORMAT", "message_from_dict", "message_from_json", "message_to_dict", "message_to_json"]

FORMAT = 1
"""Version of the payload layout, stored as ``"format"`` so later layouts can be told apart."""


def _address(address: Address) -> dict[str, str | None]:
    return {"email": address.email, "name": address.name}


def message_to_dict(message: Message) -> dict[str, Any]:
    """The message as plain JSON-safe data (attachment content in base64)."""
    return {
        "format": FORMAT,
        "subject": message.subject,
        "from": None if message.from_ is None else _address(message.from_),
        "to": [_address(a) for a in message.to],
        "cc": [_address(a) for a in message.cc],
        "bcc": [_address(a) for a in message.bcc],
        "reply_to": [_address(a) for a in message.reply_to],
        "text": message.text,
        "html": message.html,
        "attachments": [
            {
                "filename": a.filename,
                "content_type": a.content_type,
                "content_id": a.content_id,
                "content": base64.b64encode(a.content).decode("ascii"),
            }
            for a in message.attachments
        ],
        "headers": [[name, value] for name, value in message.headers.items()],
        "tags": list(message.tags),
        "metadata": dict(message.metadata),
        "priority": message.priority,
    }


def message_to_json(message: Message) -> str:
    """The message as JSON text (see :func:`message_to_dict`)."""
    return json.dumps(message_to_dict(message), ensure_ascii=False, separators=(",", ":"))


def _fail(field: str, expected: str) -> InvalidMessageError:
    return InvalidMessageError(
        f"Queued mail payload: {field} should be {expected}. The payload was not written by "
        "foundry-mail's message_to_dict (or was altered); the message was not sent.",
        field=field,
    )


def _str(data: Mapping[str, Any], key: str, *, optional: bool = False) -> str | None:
    value = data.get(key)
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise _fail(key, "text")
    return value


def _addresses(data: Mapping[str, Any], key: str) -> tuple[Address, ...]:
    items = data.get(key, [])
    if not isinstance(items, list):
        raise _fail(key, "a list of addresses")
    result = []
    for index, item in enumerate(items):
        if not isinstance(item, Mapping):
            raise _fail(f"{key}[{index}]", "an object with email and name")
        email = _str(item, "email")
        assert email is not None
        result.append(Address(email, _str(item, "name", optional=True)))
    return tuple(result)


def _attachments(items: Any) -> tuple[Attachment, ...]:
    if not isinstance(items, list):
        raise _fail("attachments", "a list")
    result = []
    for index, item in enumerate(items):
        where = f"attachments[{index}]"
        if not isinstance(item, Mapping) or not isinstance(item.get("content"), str):
            raise _fail(where, "an object with filename, content_type and base64 content")
        try:
            content = base64.b64decode(item["content"], validate=True)
        except (binascii.Error, ValueError):
            raise _fail(f"{where}.content", "base64 text") from None
        result.append(
            Attachment(
                filename=_str(item, "filename") or "",
                content=content,
                content_type=_str(item, "content_type") or "application/octet-stream",
                content_id=_str(item, "content_id", optional=True),
            )
        )
    return tuple(result)


def _pairs(items: Any, key: str) -> dict[str, str]:
    pairs: Sequence[Any] = list(items.items()) if isinstance(items, Mapping) else items
    if not isinstance(pairs, list | tuple):
        raise _fail(key, "a list of [name, value] pairs")
    result: dict[str, str] = {}
    for pair in pairs:
        if not (isinstance(pair, list | tuple) and len(pair) == 2):
            raise _fail(key, "a list of [name, value] pairs")
        name, value = pair
        if not (isinstance(name, str) and isinstance(value, str)):
            raise _fail(key, "text names and values")
        result[name] = value
    return result


def message_from_dict(data: Mapping[str, Any]) -> Message:
    """Rebuild the message :func:`message_to_dict` described.

    Raises:
        InvalidMessageError: a field is missing or of the wrong type, or the format is
            newer than this version of foundry-mail understands.
    """
    if not isinstance(data, Mapping):
        raise _fail("payload", "an object")
    if data.get("format") != FORMAT:
        raise _fail("format", f"{FORMAT} (this foundry-mail reads format {FORMAT} only)")
    sender = data.get("from")
    if sender is not None and not isinstance(sender, Mapping):
        raise _fail("from", "an object with email and name, or null")
    tags = data.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise _fail("tags", "a list of text")
    priority = data.get("priority")
    if priority is not None and (isinstance(priority, bool) or not isinstance(priority, int)):
        raise _fail("priority", "a whole number from 1 to 5, or null")
    return Message(
        subject=_str(data, "subject") or "",
        to=_addresses(data, "to"),
        from_=None if sender is None else _addresses({"from": [sender]}, "from")[0],
        cc=_addresses(data, "cc"),
        bcc=_addresses(data, "bcc"),
        reply_to=_addresses(data, "reply_to"),
        text=_str(data, "text", optional=True),
        html=_str(data, "html", optional=True),
        attachments=_attachments(data.get("attachments", [])),
        headers=_pairs(data.get("headers", []), "headers"),
        tags=tuple(tags),
        metadata=_pairs(data.get("metadata", {}), "metadata"),
        priority=priority,
    )


def message_from_json(text: str | bytes) -> Message:
    """Rebuild a message from :func:`message_to_json` text."""
    try:
        data = json.loads(text)
    except (ValueError, UnicodeDecodeError) as exc:
        raise _fail("payload", f"JSON text ({exc})") from None
    return message_from_dict(data)
