"""Shared test helpers: a recording handler for a real aiosmtpd server, free ports."""

from __future__ import annotations

import asyncio
import email
import socket
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import default as default_policy
from typing import Any

from aiosmtpd.smtp import AuthResult, LoginPassword

USER = "mailer"
PASSWORD = "correct horse battery staple"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Received:
    """One message as the server got it."""

    mail_from: str
    rcpt_tos: list[str]
    raw: bytes
    peer: Any
    tls: bool

    def parsed(self) -> EmailMessage:
        message = email.message_from_bytes(self.raw, policy=default_policy)
        assert isinstance(message, EmailMessage)
        return message

    @property
    def header_block(self) -> bytes:
        return self.raw.split(b"\r\n\r\n", 1)[0]


@dataclass
class Recorder:
    """The server's handler: records envelopes and bytes, refuses what it is told to."""

    reject: dict[str, str] = field(default_factory=dict)
    data_delay: float = 0.0
    received: list[Received] = field(default_factory=list)
    auth_mechanisms: list[str] = field(default_factory=list)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.reject:
            return self.reject[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.data_delay:
            await asyncio.sleep(self.data_delay)
        self.received.append(
            Received(
                envelope.mail_from,
                list(envelope.rcpt_tos),
                envelope.original_content,
                session.peer,
                session.ssl is not None
                or server.transport.get_extra_info("ssl_object") is not None,
            )
        )
        return "250 2.0.0 OK queued"

    def authenticate(self, server, session, envelope, mechanism, auth_data):
        self.auth_mechanisms.append(mechanism)
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login == USER.encode()
            and auth_data.password == PASSWORD.encode()
        )
        return AuthResult(success=ok, handled=False)

    @property
    def sessions(self) -> int:
        """How many distinct SMTP sessions delivered messages."""
        return len({r.peer for r in self.received})


@dataclass
class SmtpServer:
    host: str
    port: int
    recorder: Recorder

    @property
    def received(self) -> list[Received]:
        return self.recorder.received
