"""``MailFake``: a :class:`~foundry.domain.mail.Mailer` that records instead of sending.

Bound in place of the real mailer for a test (the ``mail`` fixture), it keeps every message
sent or queued, by any named mailer, and answers assertions about them::

    await client.post("/register", json={"email": "ada@example.test"})
    mail.assert_sent(WelcomeMail, lambda m: m.has_to("ada@example.test"))
    mail.assert_nothing_queued()

A mailable is recorded as given and built only when a predicate reads ``message`` (its
templates are rendered then), so a test that only counts mails never renders one.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from foundry.domain.mail import Address, Mailable, Mailer, Message, SentMessage
from foundry.testing.expectations import describe, expect_count, expect_none, subject_of

__all__ = ["MailFake", "RecordedMail"]

MailMatcher = type[Any] | Callable[["RecordedMail"], bool] | None


@dataclass
class RecordedMail:
    """One message handed to the fake.

    Attributes:
        mailable: what the code passed: a :class:`Message` or a mailable object.
        mailer: the named mailer used (None: the default one).
        queued: True for ``queue()``, False for ``send()``.
        queue: the queue asked for (queued mail only).
        delay: the delay asked for, in seconds (queued mail only).
        id: the message id (sent) or job id (queued) the fake answered with.
    """

    mailable: Message | Mailable
    mailer: str | None = None
    queued: bool = False
    queue: str | None = None
    delay: float = 0
    id: str = ""
    _built: Message | None = field(default=None, repr=False)

    @property
    def message(self) -> Message:
        """The message itself; a mailable is built (once) on first access."""
        if self._built is None:
            self._built = (
                self.mailable if isinstance(self.mailable, Message) else self.mailable.build()
            )
        return self._built

    @property
    def subject(self) -> str:
        return self.message.subject

    def recipients(self, kind: str = "to") -> list[str]:
        """The addresses of ``to``, ``cc`` or ``bcc``, lower-cased."""
        addresses: Sequence[Address] = getattr(self.message, kind)
        return [address.email.lower() for address in addresses]

    def has_to(self, email: str) -> bool:
        return email.lower() in self.recipients("to")

    def has_cc(self, email: str) -> bool:
        return email.lower() in self.recipients("cc")

    def has_bcc(self, email: str) -> bool:
        return email.lower() in self.recipients("bcc")

    def label(self) -> str:
        """How failure messages list this mail."""
        kind = type(self.mailable).__qualname__
        if isinstance(self.mailable, Message):
            to = ", ".join(str(a) for a in self.mailable.to)
            kind += f"(subject={self.mailable.subject!r}, to={to})"
        else:
            kind = describe(self.mailable)
        where = f" via {self.mailer}" if self.mailer else ""
        return kind + where + (f" on queue {self.queue or 'default'}" if self.queued else "")


def _matches(
    record: RecordedMail, what: MailMatcher, predicate: Callable[..., bool] | None
) -> bool:
    if isinstance(what, type):
        if not isinstance(record.mailable, what):
            return False
    elif what is not None and not what(record):
        return False
    return predicate is None or bool(predicate(record))


class MailFake:
    """Implements :class:`foundry.domain.mail.Mailer` by recording every message.

    ``what`` in the assertions is a mailable class (``WelcomeMail``; ``Message`` for plain
    messages), a predicate over :class:`RecordedMail`, or None for any mail; ``predicate``
    narrows further. ``count=None`` means "at least once".
    """

    def __init__(self) -> None:
        self.records: list[RecordedMail] = []
        self._ids = itertools.count(1)

    # --- the Mailer contract ------------------------------------------------------------

    async def send(self, message: Message | Mailable) -> SentMessage:
        return self._send(message, None)

    async def queue(
        self, message: Message | Mailable, *, queue: str | None = None, delay: float = 0
    ) -> str:
        return self._queue(message, None, queue, delay)

    def mailer(self, name: str) -> Mailer:
        """A named mailer whose mail is recorded here too, marked with ``name``."""
        return _NamedMailFake(self, name)

    def _send(self, message: Message | Mailable, mailer: str | None) -> SentMessage:
        number = next(self._ids)
        record = RecordedMail(message, mailer, id=f"<fake-{number}@foundry.test>")
        self.records.append(record)
        accepted = []
        if isinstance(message, Message):
            accepted = [a.email for a in (*message.to, *message.cc, *message.bcc)]
        return SentMessage(message_id=record.id, accepted=accepted)

    def _queue(
        self, message: Message | Mailable, mailer: str | None, queue: str | None, delay: float
    ) -> str:
        record = RecordedMail(
            message, mailer, queued=True, queue=queue, delay=delay, id=f"mail-{next(self._ids)}"
        )
        self.records.append(record)
        return record.id

    # --- reading what was recorded ------------------------------------------------------

    def sent(
        self, what: MailMatcher = None, predicate: Callable[..., bool] | None = None
    ) -> list[RecordedMail]:
        """The mail sent now (not queued) that matches."""
        return [r for r in self.records if not r.queued and _matches(r, what, predicate)]

    def queued(
        self, what: MailMatcher = None, predicate: Callable[..., bool] | None = None
    ) -> list[RecordedMail]:
        """The mail queued that matches."""
        return [r for r in self.records if r.queued and _matches(r, what, predicate)]

    def _labels(self, queued: bool) -> list[str]:
        return [r.label() for r in self.records if r.queued is queued]

    # --- assertions ---------------------------------------------------------------------

    def assert_sent(
        self,
        what: MailMatcher = None,
        predicate: Callable[..., bool] | None = None,
        *,
        count: int | None = None,
    ) -> list[RecordedMail]:
        """Fail unless matching mail was sent (``count`` times, when given); returns it."""
        __tracebackhide__ = True
        matches = self.sent(what, predicate)
        expect_count(
            subject_of(what, predicate, "mail"), matches, count, "sent", self._labels(False)
        )
        return matches

    def assert_not_sent(
        self, what: MailMatcher = None, predicate: Callable[..., bool] | None = None
    ) -> None:
        """Fail when matching mail was sent."""
        __tracebackhide__ = True
        matches = self.sent(what, predicate)
        expect_none(subject_of(what, predicate, "mail"), matches, "sent", self._labels(False))

    def assert_nothing_sent(self) -> None:
        """Fail when any mail was sent (queued mail is checked by assert_nothing_queued)."""
        __tracebackhide__ = True
        expect_none("any mail", self.sent(), "sent", self._labels(False))

    def assert_queued(
        self,
        what: MailMatcher = None,
        predicate: Callable[..., bool] | None = None,
        *,
        count: int | None = None,
        queue: str | None = None,
    ) -> list[RecordedMail]:
        """Fail unless matching mail was queued (on ``queue``, when given); returns it."""
        __tracebackhide__ = True
        matches = self.queued(what, predicate)
        subject = subject_of(what, predicate, "mail")
        if queue is not None:
            matches = [r for r in matches if (r.queue or "default") == queue]
            subject += f" on queue {queue}"
        expect_count(subject, matches, count, "queued", self._labels(True))
        return matches

    def assert_not_queued(
        self, what: MailMatcher = None, predicate: Callable[..., bool] | None = None
    ) -> None:
        """Fail when matching mail was queued."""
        __tracebackhide__ = True
        matches = self.queued(what, predicate)
        expect_none(subject_of(what, predicate, "mail"), matches, "queued", self._labels(True))

    def assert_nothing_queued(self) -> None:
        """Fail when any mail was queued."""
        __tracebackhide__ = True
        expect_none("any mail", self.queued(), "queued", self._labels(True))

    def assert_nothing_outgoing(self) -> None:
        """Fail when any mail was sent or queued."""
        __tracebackhide__ = True
        labels = [r.label() for r in self.records]
        expect_none("any mail", self.records, "sent or queued", labels)

    def __repr__(self) -> str:
        return f"<MailFake {len(self.sent())} sent, {len(self.queued())} queued>"


class _NamedMailFake:
    """``MailFake.mailer(name)``: records into its parent, marked with the name."""

    def __init__(self, parent: MailFake, name: str) -> None:
        self._parent = parent
        self.name = name

    async def send(self, message: Message | Mailable) -> SentMessage:
        return self._parent._send(message, self.name)

    async def queue(
        self, message: Message | Mailable, *, queue: str | None = None, delay: float = 0
    ) -> str:
        return self._parent._queue(message, self.name, queue, delay)

    def mailer(self, name: str) -> Mailer:
        return _NamedMailFake(self._parent, name)
