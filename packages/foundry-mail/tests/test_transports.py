"""The log, array and failover transports, and choosing mailers by configuration."""

from __future__ import annotations

import logging

import pytest
from mail_support import Recorder, free_port

from foundry.domain.config import MappingConfig
from foundry.domain.mail import Address, Message, Transport
from foundry.mail import (
    ArrayTransport,
    FailoverTransport,
    LogTransport,
    MailConfig,
    MailManager,
    SmtpTransport,
)
from foundry.mail.exceptions import (
    HeaderInjectionError,
    MailConfigurationError,
    PermanentMailError,
    TransientMailError,
)

MESSAGE = Message(
    subject="Log me",
    to=(Address("ada@example.com"),),
    from_=Address("shop@example.com"),
    bcc=(Address("audit@example.com"),),
    text="Body text\n",
    headers={"X-Trace": "abc"},
)


async def test_the_log_transport_writes_the_full_mime_at_info(caplog):
    caplog.set_level(logging.INFO, logger="foundry.mail")
    sent = await LogTransport().send(MESSAGE)
    [record] = [r for r in caplog.records if r.name == "foundry.mail"]
    assert record.levelno == logging.INFO
    text = record.getMessage()
    assert f"Message-ID: <{sent.message_id}>" in text
    assert "Subject: Log me" in text
    assert "X-Trace: abc" in text
    assert "Body text" in text
    assert "to ada@example.com, audit@example.com" in text  # the envelope names bcc
    assert sent.accepted == ("ada@example.com", "audit@example.com")


async def test_the_log_transport_refuses_what_smtp_would_refuse():
    with pytest.raises(HeaderInjectionError):
        await LogTransport().send(
            Message(subject="a\nb", to=MESSAGE.to, from_=MESSAGE.from_, text="x")
        )


async def test_the_array_transport_keeps_lists_and_clears():
    array = ArrayTransport()
    await array.send(MESSAGE)
    await array.send(Message(subject="Second", to=MESSAGE.to, from_=MESSAGE.from_, text="2"))
    assert [m.subject for m in array.messages()] == ["Log me", "Second"]
    assert b"X-Trace: abc" in array.stored()[0].raw
    assert array.stored()[0].sent.accepted == ("ada@example.com", "audit@example.com")
    assert array.clear() == 2
    assert array.messages() == []
    assert len(array) == 0


async def test_failover_moves_on_when_the_first_server_is_down(smtp_server):
    down = SmtpTransport("127.0.0.1", free_port())
    up = SmtpTransport(smtp_server.host, smtp_server.port)
    failover = FailoverTransport([("primary", down), ("backup", up)])
    sent = await failover.send(MESSAGE)
    await failover.aclose()
    [got] = smtp_server.received
    assert got.parsed()["Message-ID"] == f"<{sent.message_id}>"


async def test_failover_stops_at_a_permanent_refusal(start_server, smtp_server):
    refusing = start_server(
        Recorder(reject=dict.fromkeys(("ada@example.com", "audit@example.com"), "550 5.1.1 No"))
    )
    first = SmtpTransport(refusing.host, refusing.port)
    backup = SmtpTransport(smtp_server.host, smtp_server.port)
    failover = FailoverTransport([("primary", first), ("backup", backup)])
    with pytest.raises(PermanentMailError):
        await failover.send(MESSAGE)
    await failover.aclose()
    assert smtp_server.received == []


async def test_failover_reports_every_failure_when_all_fail():
    failover = FailoverTransport(
        [
            ("one", SmtpTransport("127.0.0.1", free_port())),
            ("two", SmtpTransport("127.0.0.1", free_port())),
        ]
    )
    with pytest.raises(
        TransientMailError, match=r"Every failover mailer failed\. one: .* \| two: "
    ):
        await failover.send(MESSAGE)


def test_failover_needs_transports():
    with pytest.raises(MailConfigurationError, match="MAIL_FAILOVER"):
        FailoverTransport([])


def manager(mail: dict) -> MailManager:
    return MailManager(MailConfig.from_config(MappingConfig({"mail": mail})))


async def test_the_configured_failover_chain_falls_back_to_the_log(caplog):
    caplog.set_level(logging.INFO, logger="foundry.mail")
    mailer = manager(
        {
            "default": "failover",
            "mailers": {"smtp": {"port": free_port()}, "failover": {"mailers": ["smtp", "log"]}},
        }
    )
    sent = await mailer.send(MESSAGE)
    assert any(
        sent.message_id in r.getMessage() for r in caplog.records if r.levelno == logging.INFO
    )
    assert any("Mailer smtp failed" in r.getMessage() for r in caplog.records)


def test_the_default_mailer_is_the_log():
    assert isinstance(MailManager().transport(), LogTransport)


def test_mailers_are_built_once_per_name():
    mailer = manager({"default": "array"})
    assert mailer.transport() is mailer.transport("array")


def test_an_unknown_mailer_lists_the_known_ones():
    with pytest.raises(MailConfigurationError, match="array, failover, log, smtp"):
        manager({}).mailer("sendgrid")


def test_an_unknown_transport_kind_is_a_configuration_error():
    with pytest.raises(MailConfigurationError, match='transport "carrier-pigeon"'):
        manager({"mailers": {"birds": {"transport": "carrier-pigeon"}}}).transport("birds")


def test_a_failover_loop_is_refused():
    mail = {
        "mailers": {
            "a": {"transport": "failover", "mailers": "b"},
            "b": {"transport": "failover", "mailers": "a"},
        }
    }
    with pytest.raises(MailConfigurationError, match="loop"):
        manager(mail).transport("a")


def test_extend_adds_a_transport_kind():
    made: list[dict] = []

    def factory(settings) -> Transport:
        made.append(dict(settings))
        return ArrayTransport()

    mailer = manager({"mailers": {"custom": {"transport": "memory", "bucket": "x"}}})
    mailer.extend("memory", factory)
    assert isinstance(mailer.transport("custom"), ArrayTransport)
    assert made == [{"transport": "memory", "bucket": "x"}]


def test_smtp_settings_come_from_the_config():
    transport = manager(
        {
            "mailers": {
                "smtp": {
                    "host": "mail.example.com",
                    "port": "2525",
                    "encryption": "starttls",
                    "username": "u",
                    "password": "p4ss",
                    "timeout": "7.5",
                    "keepalive": 2,
                }
            }
        }
    ).transport("smtp")
    assert isinstance(transport, SmtpTransport)
    assert transport.describe() == {
        "transport": "smtp",
        "host": "mail.example.com",
        "port": 2525,
        "encryption": "starttls",
        "username": "u",
        "timeout": 7.5,
        "keepalive": 2.0,
    }
    assert "p4ss" not in repr(transport)


def test_a_bad_number_in_smtp_settings_names_the_key():
    with pytest.raises(MailConfigurationError, match="timeout = 'soon' is not a number"):
        manager({"mailers": {"smtp": {"timeout": "soon"}}}).transport("smtp")


async def test_send_fills_the_default_from_address():
    mailer = manager(
        {"default": "array", "from": {"address": "noreply@example.com", "name": "Acme"}}
    )
    await mailer.send(Message(subject="Hi", to=(Address("a@example.com"),), text="x"))
    array = mailer.transport()
    assert isinstance(array, ArrayTransport)
    assert array.messages()[0].from_ == Address("noreply@example.com", "Acme")
