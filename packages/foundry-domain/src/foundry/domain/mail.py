"""Mail contracts: a message as data, the mailer that sends it, and transports.

Messages are plain value objects so they can be queued, logged and asserted on in tests;
``foundry-mail`` turns them into MIME (custom headers included) and sends them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from foundry.domain.contracts import contract

__all__ = ["Address", "Attachment", "Mailable", "Mailer", "Message", "SentMessage", "Transport"]


@dataclass(frozen=True, slots=True)
class Address:
    email: str
    name: str | None = None

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>" if self.name else self.email


@dataclass(frozen=True, slots=True)
class Attachment:
    """File content attached to a message; ``content_id`` makes it an inline image."""

    filename: str
    content: bytes
    content_type: str = "application/octet-stream"
    content_id: str | None = None

    @property
    def inline(self) -> bool:
        return self.content_id is not None


@dataclass(frozen=True, slots=True)
class Message:
    """An e-mail. At least one of ``text`` and ``html``; ``headers`` are sent as given."""

    subject: str
    to: Sequence[Address]
    from_: Address | None = None
    cc: Sequence[Address] = ()
    bcc: Sequence[Address] = ()
    reply_to: Sequence[Address] = ()
    text: str | None = None
    html: str | None = None
    attachments: Sequence[Attachment] = ()
    headers: Mapping[str, str] = field(default_factory=dict)
    tags: Sequence[str] = ()
    metadata: Mapping[str, str] = field(default_factory=dict)
    priority: int | None = None  # 1 (highest) .. 5 (lowest)


@dataclass(frozen=True, slots=True)
class SentMessage:
    """What a transport reports after sending."""

    message_id: str
    accepted: Sequence[str]
    rejected: Sequence[str] = ()


@runtime_checkable
class Mailable(Protocol):
    """Something that builds a :class:`Message` (a class with envelope/content/attachments)."""

    def build(self) -> Message: ...


@runtime_checkable
class Transport(Protocol):
    """Delivers messages (SMTP, log, array for tests, failover)."""

    async def send(self, message: Message) -> SentMessage: ...


@contract("foundry-mail")
@runtime_checkable
class Mailer(Protocol):
    """Sends now or through the queue; fills in the configured from-address."""

    async def send(self, message: Message | Mailable) -> SentMessage: ...

    async def queue(
        self, message: Message | Mailable, *, queue: str | None = None, delay: float = 0
    ) -> str:
        """Dispatch delivery as a queued job; returns the job id."""
        ...

    def mailer(self, name: str) -> Mailer:
        """A named mailer (``smtp``, ``log``, ``array``, ``failover``)."""
        ...


def coerce_addresses(value: str | Address | Sequence[str | Address]) -> tuple[Address, ...]:
    """Accept ``"a@b"``, ``Address`` or a list of either."""
    items: Sequence[Any] = [value] if isinstance(value, str | Address) else value
    return tuple(item if isinstance(item, Address) else Address(str(item)) for item in items)


__all__ += ["coerce_addresses"]
