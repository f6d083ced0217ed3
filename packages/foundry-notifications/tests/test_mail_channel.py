"""The mail channel: through the ``Mailer`` contract, with a recording mailer and with
foundry-mail's real ``array`` transport."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from notifications_support import Alert, InvoicePaid, RecordingMailer, User

from foundry.domain.mail import Address, Mailer, Message
from foundry.notifications import (
    ChannelManager,
    MailMessage,
    Notifiable,
    Notification,
    NotificationFailedError,
)
from foundry.notifications.channels.mail import mail_addresses

ADA = {"id": 1, "name": "Ada", "email": "ada@example.com"}


async def test_mail_message_goes_to_the_notifiables_email_with_the_class_name_as_subject(
    make_app: Any,
) -> None:
    mailer = RecordingMailer()
    app = make_app(infra=False, bind={Mailer: mailer})
    await User(**ADA).notify_now(InvoicePaid(7, "42.00 EUR"), channels=["mail"], app=app)

    [message] = mailer.sent
    assert message.to == (Address("ada@example.com"),)
    assert message.subject == "Invoice Paid"
    assert message.text is not None
    assert "Hello Ada," in message.text
    assert "We received your payment of 42.00 EUR." in message.text
    assert "View invoice: https://shop.example.com/invoices/7" in message.text
    assert message.html is not None
    assert 'href="https://shop.example.com/invoices/7"' in message.html


async def test_a_message_without_recipients_is_addressed_to_the_route_and_one_with_them_is_kept(
    make_app: Any,
) -> None:
    @dataclass
    class Addressed(Notification):
        def via(self, notifiable: Any) -> list[str]:
            return ["mail"]

        def to_mail(self, notifiable: Any) -> Message:
            return Message(subject="Fixed", to=[Address("boss@example.com")], text="x")

    mailer = RecordingMailer()
    app = make_app(infra=False, bind={Mailer: mailer})
    user = User(**ADA)
    await user.notify_now(Alert("disk full", channels=["mail"], level="error"), app=app)
    await user.notify_now(Addressed(), app=app)

    assert [list(m.to) for m in mailer.sent] == [
        [Address("ada@example.com")],
        [Address("boss@example.com")],
    ]
    assert mailer.sent[0].subject == "[error] alert"


async def test_a_notifiable_without_an_address_gets_no_mail_and_that_is_not_a_failure(
    make_app: Any,
) -> None:
    mailer = RecordingMailer()
    app = make_app(infra=False, bind={Mailer: mailer})
    await User(id=2, name="Bob").notify_now(InvoicePaid(1, "1"), channels=["mail"], app=app)
    assert mailer.sent == []


async def test_a_mailable_is_sent_as_it_is(make_app: Any) -> None:
    class Receipt:
        def build(self) -> Message:
            return Message(subject="Receipt", to=[Address("books@example.com")], text="r")

    @dataclass
    class WithMailable(Notification):
        def via(self, notifiable: Any) -> list[str]:
            return ["mail"]

        def to_mail(self, notifiable: Any) -> Receipt:
            return Receipt()

    mailer = RecordingMailer()
    app = make_app(infra=False, bind={Mailer: mailer})
    await User(**ADA).notify_now(WithMailable(), app=app)
    assert [(m.subject, list(m.to)) for m in mailer.sent] == [
        ("Receipt", [Address("books@example.com")])
    ]


async def test_custom_mail_routes_may_name_the_recipient(make_app: Any) -> None:
    class Person(Notifiable):
        def __init__(self, name: str, email: str) -> None:
            self.id, self.name, self.email = 9, name, email

        def route_notification_for_mail(self, notification: Any) -> dict[str, str]:
            return {self.email: self.name}

    mailer = RecordingMailer()
    app = make_app(infra=False, bind={Mailer: mailer})
    await Person("Ada", "ada@example.com").notify_now(
        InvoicePaid(1, "1"), channels=["mail"], app=app
    )
    assert mailer.sent[0].to == (Address("ada@example.com", "Ada"),)


def test_mail_routes_accept_strings_addresses_lists_and_mappings() -> None:
    assert mail_addresses("a@b.c") == (Address("a@b.c"),)
    assert mail_addresses(["a@b.c", Address("d@e.f", "D")]) == (
        Address("a@b.c"),
        Address("d@e.f", "D"),
    )
    assert mail_addresses({"a@b.c": "A"}) == (Address("a@b.c", "A"),)
    assert mail_addresses(None) == ()


def test_mail_message_escapes_text_and_refuses_script_urls() -> None:
    message = (
        MailMessage()
        .subject("Hi")
        .to("ada@example.com")
        .line("<script>alert(1)</script>")
        .action("Go", "https://example.com/?a=1&b=2")
        .error()
        .build()
    )
    assert message.html is not None
    assert "<script>" not in message.html
    assert "&lt;script&gt;" in message.html
    assert 'href="https://example.com/?a=1&amp;b=2"' in message.html
    assert "#e53e3e" in message.html  # the error level colours the button
    assert message.text is not None
    assert message.text.startswith("Whoops!")
    with pytest.raises(ValueError, match="http"):
        MailMessage().action("Click", "javascript:alert(1)")
    with pytest.raises(ValueError, match="level"):
        MailMessage().level("urgent")


async def test_without_a_mailer_the_mail_channel_fails_naming_the_package_and_others_still_run(
    make_app: Any,
) -> None:
    app = make_app(infra=False)
    sent: list[str] = []

    class Recorder:
        name = "recorder"

        async def send(self, notifiable: Any, notification: Any) -> None:
            sent.append(notification.message)

    app.make(ChannelManager).extend("recorder", lambda _: Recorder())
    with pytest.raises(NotificationFailedError) as caught:
        await User(**ADA).notify_now(Alert("x", channels=["mail", "recorder"]), app=app)
    assert [f.channel for f in caught.value.failures] == ["mail"]
    assert "Install foundry-mail" in caught.value.message
    assert sent == ["x"]


async def test_mail_reaches_foundry_mails_array_transport_as_mime(make_app: Any) -> None:
    from foundry.mail.provider import MailServiceProvider

    app = make_app(
        "sqlite://:memory:",
        MailServiceProvider,
        infra=False,
        env={"MAIL_MAILER": "array", "MAIL_FROM_ADDRESS": "shop@example.com"},
    )
    await User(**ADA).notify_now(InvoicePaid(7, "42.00 EUR"), channels=["mail"], app=app)

    stored = app.make(Mailer).transport("array").stored()  # type: ignore[attr-defined]
    assert len(stored) == 1
    head = stored[0].raw.split(b"\r\n\r\n")[0].decode()
    assert "<shop@example.com>" in head.split("\r\n")[0]
    assert "To: ada@example.com" in head
    assert "Subject: Invoice Paid" in head
    assert stored[0].message.text is not None
    assert "42.00 EUR" in stored[0].message.text
