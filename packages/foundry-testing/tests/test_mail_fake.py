"""MailFake records what was sent and queued, and its assertions say what happened."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from foundry.domain.mail import Address, Mailer, Message
from foundry.testing import MailFake


@dataclass
class WelcomeMail:
    """A mailable: builds its message when asked."""

    email: str
    built: int = 0

    def build(self) -> Message:
        self.built += 1
        return Message(subject="Welcome", to=[Address(self.email)], text="Hi")


def message(to: str = "ada@example.test", subject: str = "Invoice") -> Message:
    return Message(subject=subject, to=[Address(to)], cc=[Address("Cc@Example.test")], text="x")


async def test_the_fake_implements_the_mailer_contract() -> None:
    fake = MailFake()
    assert isinstance(fake, Mailer)
    assert isinstance(fake.mailer("smtp"), Mailer)


async def test_sent_mail_is_recorded_and_answered() -> None:
    fake = MailFake()
    sent = await fake.send(message())
    assert sent.accepted == ["ada@example.test", "Cc@Example.test"]
    record = fake.assert_sent(Message, count=1)[0]
    assert record.subject == "Invoice"
    assert record.has_to("ADA@example.test")
    assert record.has_cc("cc@example.test")
    assert not record.has_bcc("ada@example.test")
    assert record.id == sent.message_id


async def test_a_mailable_is_matched_by_class_and_built_only_when_read() -> None:
    fake = MailFake()
    mailable = WelcomeMail("ada@example.test")
    await fake.send(mailable)
    fake.assert_sent(WelcomeMail)
    assert mailable.built == 0
    fake.assert_sent(WelcomeMail, lambda m: m.has_to("ada@example.test"))
    assert mailable.built == 1
    fake.assert_not_sent(Message)


async def test_queued_mail_is_kept_apart_from_sent_mail() -> None:
    fake = MailFake()
    job = await fake.mailer("marketing").queue(message(), queue="mail", delay=30)
    assert job.startswith("mail-")
    fake.assert_nothing_sent()
    records = fake.assert_queued(Message, lambda m: m.mailer == "marketing", queue="mail")
    assert records[0].delay == 30
    fake.assert_not_queued(WelcomeMail)
    with pytest.raises(AssertionError):
        fake.assert_nothing_outgoing()


async def test_a_missing_mail_fails_listing_what_was_sent() -> None:
    fake = MailFake()
    await fake.send(message("bob@example.test", "Receipt"))
    with pytest.raises(AssertionError) as failure:
        fake.assert_sent(lambda m: m.has_to("ada@example.test"))
    text = str(failure.value)
    assert "Expected mail matching <lambda> to be sent, but it was not." in text
    assert "1 sent in all:" in text
    assert "Message(subject='Receipt', to=bob@example.test)" in text


async def test_a_wrong_count_names_both_counts() -> None:
    fake = MailFake()
    await fake.send(message())
    await fake.send(message())
    with pytest.raises(AssertionError, match=r"to be sent 1 time, but it was sent 2 times"):
        fake.assert_sent(Message, count=1)


async def test_unexpected_mail_fails_the_negative_assertions() -> None:
    fake = MailFake()
    await fake.mailer("smtp").send(message())
    with pytest.raises(AssertionError, match=r"Expected any mail not to be sent, but it was sent"):
        fake.assert_nothing_sent()
    with pytest.raises(AssertionError, match=r"via smtp"):
        fake.assert_not_sent(Message)
    await fake.queue(message())
    with pytest.raises(AssertionError, match=r"on queue default"):
        fake.assert_nothing_queued()
    with pytest.raises(AssertionError, match=r"on queue mail"):
        fake.assert_queued(Message, queue="mail")
