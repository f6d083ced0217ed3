"""The array transport: messages are kept in memory, for tests and previews.

Each message is still turned into MIME, so a message that a real transport would refuse
(a header injection, no recipient) fails here too.
"""

from __future__ import annotations

from dataclasses import dataclass

from foundry.domain.mail import Message, SentMessage
from foundry.mail.mime import build_mime

__all__ = ["ArrayTransport", "StoredMail"]


@dataclass(frozen=True, slots=True)
class StoredMail:
    """A message the array transport kept: the message, its MIME bytes, the report."""

    message: Message
    raw: bytes
    sent: SentMessage


class ArrayTransport:
    """Keeps sent messages in a list instead of delivering them."""

    def __init__(self) -> None:
        self._stored: list[StoredMail] = []

    async def send(self, message: Message) -> SentMessage:
        """Keep the message; it counts as accepted by every recipient."""
        mail = build_mime(message)
        sent = SentMessage(mail.message_id, mail.recipients)
        self._stored.append(StoredMail(message, mail.as_bytes(), sent))
        return sent

    def messages(self) -> list[Message]:
        """The messages kept so far, oldest first."""
        return [stored.message for stored in self._stored]

    def stored(self) -> list[StoredMail]:
        """The messages kept so far with their MIME bytes and send reports."""
        return list(self._stored)

    def clear(self) -> int:
        """Forget every kept message; returns how many there were."""
        count = len(self._stored)
        self._stored.clear()
        return count

    def __len__(self) -> int:
        return len(self._stored)
