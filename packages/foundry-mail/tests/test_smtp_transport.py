"""The SMTP transport against a real server: encryption, login, reuse, failures."""

from __future__ import annotations

import asyncio
import ssl

import pytest
from mail_support import PASSWORD, USER, Recorder, SmtpServer, free_port

from foundry.domain.mail import Address, Message
from foundry.mail.exceptions import (
    HeaderInjectionError,
    MailConfigurationError,
    PermanentMailError,
    TransientMailError,
)
from foundry.mail.transports.smtp import SmtpTransport

SENDER = Address("shop@example.com", "Shop")


def message(*to: str, subject: str = "Hello", **extra) -> Message:
    return Message(
        subject=subject,
        to=tuple(Address(a) for a in (to or ("ada@example.com",))),
        from_=SENDER,
        text="Hello there.\n",
        **extra,
    )


async def test_a_plain_server_receives_the_message_and_the_envelope(smtp_server: SmtpServer):
    transport = SmtpTransport(smtp_server.host, smtp_server.port)
    try:
        sent = await transport.send(message("ada@example.com", subject="Plain"))
    finally:
        await transport.aclose()
    [got] = smtp_server.received
    assert got.mail_from == "shop@example.com"
    assert got.rcpt_tos == ["ada@example.com"]
    assert got.parsed()["Subject"] == "Plain"
    assert got.parsed()["Message-ID"] == f"<{sent.message_id}>"
    assert sent.accepted == ("ada@example.com",)
    assert sent.rejected == ()
    assert not got.tls


async def test_none_encryption_never_upgrades_even_when_offered(start_server, server_tls):
    server = start_server(tls_context=server_tls)  # offers STARTTLS, does not require it
    transport = SmtpTransport(server.host, server.port, encryption="none")
    await transport.send(message())
    await transport.aclose()
    assert server.received[0].tls is False


async def test_starttls_upgrades_before_sending_and_verifies_the_certificate(
    start_server, server_tls, client_tls
):
    server = start_server(tls_context=server_tls, require_starttls=True)
    transport = SmtpTransport(
        server.host, server.port, encryption="starttls", tls_context=client_tls
    )
    await transport.send(message(subject="Secret"))
    await transport.aclose()
    [got] = server.received
    assert got.tls is True
    assert got.parsed()["Subject"] == "Secret"


async def test_starttls_with_an_untrusted_certificate_is_a_retryable_error(
    start_server, server_tls
):
    server = start_server(tls_context=server_tls, require_starttls=True)
    untrusting = ssl.create_default_context()  # the system CAs do not know the test CA
    transport = SmtpTransport(
        server.host, server.port, encryption="starttls", tls_context=untrusting
    )
    with pytest.raises(TransientMailError, match="certificate"):
        await transport.send(message())
    assert server.received == []


async def test_a_server_requiring_starttls_refuses_a_clear_session(start_server, server_tls):
    server = start_server(tls_context=server_tls, require_starttls=True)
    transport = SmtpTransport(server.host, server.port, encryption="none")
    with pytest.raises(PermanentMailError) as caught:
        await transport.send(message())
    assert caught.value.smtp_code == 530
    assert server.received == []


@pytest.mark.parametrize("encryption", ["ssl", "tls"])
async def test_implicit_tls_encrypts_from_the_first_byte(
    start_server, server_tls, client_tls, encryption
):
    server = start_server(ssl_context=server_tls)
    transport = SmtpTransport(
        server.host, server.port, encryption=encryption, tls_context=client_tls
    )
    await transport.send(message(subject="Wrapped"))
    await transport.aclose()
    [got] = server.received
    assert got.tls is True
    assert got.parsed()["Subject"] == "Wrapped"


@pytest.mark.parametrize(("excluded", "used"), [(["LOGIN"], "PLAIN"), (["PLAIN"], "LOGIN")])
async def test_auth_with_the_right_password_sends(
    start_server, server_tls, client_tls, excluded, used
):
    server = start_server(
        tls_context=server_tls,
        require_starttls=True,
        auth=True,
        auth_exclude_mechanism=excluded,
    )
    transport = SmtpTransport(
        server.host,
        server.port,
        encryption="starttls",
        tls_context=client_tls,
        username=USER,
        password=PASSWORD,
    )
    await transport.send(message())
    await transport.aclose()
    assert len(server.received) == 1
    assert server.recorder.auth_mechanisms == [used]


async def test_auth_with_a_wrong_password_fails_permanently_without_the_password(
    start_server, server_tls, client_tls
):
    server = start_server(tls_context=server_tls, require_starttls=True, auth=True)
    transport = SmtpTransport(
        server.host,
        server.port,
        encryption="starttls",
        tls_context=client_tls,
        username=USER,
        password="not-the-password",
    )
    with pytest.raises(PermanentMailError, match="MAIL_PASSWORD") as caught:
        await transport.send(message())
    assert caught.value.smtp_code == 535
    assert "not-the-password" not in str(caught.value)
    assert "not-the-password" not in repr(transport)
    assert server.received == []


async def test_a_server_requiring_auth_refuses_an_anonymous_sender(
    start_server, server_tls, client_tls
):
    server = start_server(tls_context=server_tls, require_starttls=True, auth=True)
    transport = SmtpTransport(
        server.host, server.port, encryption="starttls", tls_context=client_tls
    )
    with pytest.raises(PermanentMailError) as caught:
        await transport.send(message())
    assert caught.value.smtp_code == 530
    assert server.received == []


async def test_a_burst_shares_one_smtp_session(smtp_server: SmtpServer):
    transport = SmtpTransport(smtp_server.host, smtp_server.port, keepalive=30)
    sends = [transport.send(message(f"user{i}@example.com")) for i in range(12)]
    results = await asyncio.gather(*sends)
    await transport.send(message("late@example.com"))
    await transport.aclose()
    assert len(smtp_server.received) == 13
    assert smtp_server.recorder.sessions == 1
    assert transport.connections_opened == 1
    assert len({r.message_id for r in results}) == 12


async def test_keepalive_zero_opens_one_session_per_message(smtp_server: SmtpServer):
    transport = SmtpTransport(smtp_server.host, smtp_server.port, keepalive=0)
    for i in range(3):
        await transport.send(message(f"user{i}@example.com"))
    assert smtp_server.recorder.sessions == 3
    assert transport.connections_opened == 3


async def test_an_idle_session_is_closed_and_the_next_message_opens_a_new_one(
    smtp_server: SmtpServer,
):
    transport = SmtpTransport(smtp_server.host, smtp_server.port, keepalive=0.05)
    await transport.send(message("first@example.com"))
    for _ in range(100):  # wait (bounded) for the idle close to run
        if transport._client is None:
            break
        await asyncio.sleep(0.02)
    assert transport._client is None
    await transport.send(message("second@example.com"))
    await transport.aclose()
    assert smtp_server.recorder.sessions == 2


async def test_a_session_the_server_dropped_is_reopened(smtp_server: SmtpServer):
    transport = SmtpTransport(smtp_server.host, smtp_server.port, keepalive=30)
    await transport.send(message("first@example.com"))
    assert transport._client is not None
    # The server side goes away between two messages (as an idle timeout would do).
    transport._client.transport.abort()
    await asyncio.sleep(0.05)
    await transport.send(message("second@example.com"))
    await transport.aclose()
    assert [r.rcpt_tos for r in smtp_server.received] == [
        ["first@example.com"],
        ["second@example.com"],
    ]
    assert transport.connections_opened == 2


async def test_a_server_that_is_down_raises_a_retryable_error():
    transport = SmtpTransport("127.0.0.1", free_port(), timeout=5)
    with pytest.raises(TransientMailError) as caught:
        await transport.send(message())
    assert caught.value.retryable is True
    assert "127.0.0.1" in caught.value.message


async def test_a_slow_server_is_cut_off_by_the_timeout(start_server):
    server = start_server(Recorder(data_delay=3))
    transport = SmtpTransport(server.host, server.port, timeout=0.3)
    with pytest.raises(TransientMailError, match="MAIL_TIMEOUT"):
        await transport.send(message())
    assert transport._client is None  # the desynchronised session is not reused


async def test_one_refused_recipient_is_reported_and_the_others_receive(start_server):
    server = start_server(Recorder(reject={"ghost@example.com": "550 5.1.1 No such user"}))
    transport = SmtpTransport(server.host, server.port)
    sent = await transport.send(
        message("ada@example.com", "ghost@example.com", cc=(Address("bob@example.com"),))
    )
    await transport.aclose()
    assert sent.accepted == ("ada@example.com", "bob@example.com")
    assert sent.rejected == ("ghost@example.com",)
    assert server.received[0].rcpt_tos == ["ada@example.com", "bob@example.com"]


async def test_every_recipient_refused_for_good_is_permanent_and_the_session_survives(
    start_server,
):
    refusal = "550 5.1.1 No such user"
    server = start_server(Recorder(reject={"a@example.com": refusal, "b@example.com": refusal}))
    transport = SmtpTransport(server.host, server.port, keepalive=30)
    with pytest.raises(PermanentMailError) as caught:
        await transport.send(message("a@example.com", "b@example.com"))
    assert caught.value.retryable is False
    assert caught.value.context["rejected"] == {"a@example.com": 550, "b@example.com": 550}
    await transport.send(message("c@example.com"))
    await transport.aclose()
    assert [r.rcpt_tos for r in server.received] == [["c@example.com"]]
    assert transport.connections_opened == 1


async def test_every_recipient_refused_for_now_is_retryable(start_server):
    server = start_server(Recorder(reject={"a@example.com": "450 4.2.1 Mailbox busy"}))
    transport = SmtpTransport(server.host, server.port)
    with pytest.raises(TransientMailError) as caught:
        await transport.send(message("a@example.com"))
    await transport.aclose()
    assert caught.value.smtp_code == 450
    assert server.received == []


async def test_header_injection_is_refused_before_connecting(smtp_server: SmtpServer):
    transport = SmtpTransport(smtp_server.host, smtp_server.port)
    with pytest.raises(HeaderInjectionError):
        await transport.send(message(subject="Hi\r\nBcc: victim@example.com"))
    with pytest.raises(HeaderInjectionError):
        await transport.send(message(headers={"X-Ref": "1\nBcc: victim@example.com"}))
    assert transport.connections_opened == 0
    assert smtp_server.received == []


def test_an_unknown_encryption_is_a_configuration_error():
    with pytest.raises(MailConfigurationError, match="starttls"):
        SmtpTransport("127.0.0.1", encryption="maybe")


def test_ports_default_by_encryption():
    assert SmtpTransport(encryption="ssl").port == 465
    assert SmtpTransport(encryption="tls").port == 465
    assert SmtpTransport(encryption="starttls").port == 587
    assert SmtpTransport(encryption=None).port == 25
    assert SmtpTransport(port=2525).port == 2525


def test_a_transport_used_from_a_new_event_loop_opens_a_new_session(smtp_server: SmtpServer):
    transport = SmtpTransport(smtp_server.host, smtp_server.port, keepalive=30)
    asyncio.run(transport.send(message("first@example.com")))
    asyncio.run(transport.send(message("second@example.com")))
    asyncio.run(transport.aclose())
    assert [r.rcpt_tos for r in smtp_server.received] == [
        ["first@example.com"],
        ["second@example.com"],
    ]
    assert transport.connections_opened == 2
