"""Shared test helpers: a recording handler for a real aiosmtpd server, free ports, and a
queue (with its worker) built on the domain's queue contracts."""

from __future__ import annotations

import asyncio
import email
import json
import socket
import typing
from dataclasses import dataclass, field, fields
from email.message import EmailMessage
from email.policy import default as default_policy
from typing import Any

from aiosmtpd.smtp import AuthResult, LoginPassword

from foundry.domain import payloads
from foundry.domain.provider import ServiceProvider
from foundry.domain.queue import JobEnvelope, PermanentJobFailure, QueueDispatcher

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


@dataclass
class Worked:
    """What the worker did with one job: attempts made, retry delays asked, last error."""

    attempts: int = 0
    delays: list[float] = field(default_factory=list)
    error: BaseException | None = None


class EnvelopeQueue:
    """A ``QueueDispatcher`` that stores jobs the way foundry-queue does, with its worker.

    Built on the domain contracts only (the mail package's tests do not install
    foundry-queue): ``dispatch`` reads ``tries`` / ``backoff`` / ``queue`` off the job (an
    instance's own values over its class's), as foundry-queue's dispatcher does, and
    stores a JSON body shaped like a :class:`~foundry.domain.queue.JobEnvelope`
    (``max_tries``, ``backoff``) whose payload went through :mod:`foundry.domain.payloads`.
    :meth:`run` is one attempt as a worker makes it (import the class, rebuild the job from
    the payload, inject by type); :meth:`work` repeats attempts as the in-process worker
    does: until success, a ``PermanentJobFailure``, or ``max_tries`` attempts, noting the
    backoff of each retry instead of sleeping it.
    """

    def __init__(self) -> None:
        self.rows: list[str] = []

    async def dispatch(
        self, job: Any, *, queue: str | None = None, delay: float = 0, connection: str | None = None
    ) -> str:
        cls = type(job)
        backoff = job.backoff if isinstance(job.backoff, list | tuple) else [job.backoff]
        envelope = JobEnvelope(
            id=str(len(self.rows) + 1),
            job=payloads.reference(cls),
            payload=payloads.encode(job.payload()),
            queue=queue or job.queue or "default",
            max_tries=int(job.tries),
            backoff=tuple(float(b) for b in backoff),
            meta={"name": cls.__qualname__, "delay": delay},
        )
        # Every field of the envelope, as JSON (its datetimes are unset here).
        self.rows.append(json.dumps({f.name: getattr(envelope, f.name) for f in fields(envelope)}))
        return envelope.id

    async def run(self, row: str, container: Any) -> None:
        """One attempt: import the class, rebuild the job, inject by type, handle."""
        stored = json.loads(row)
        cls = payloads.resolve(stored["job"])
        job = cls(**payloads.decode(stored["payload"]))
        hints = typing.get_type_hints(cls.handle)
        services = {p: container.make(t) for p, t in hints.items() if p != "return"}
        await job.handle(**services)

    async def work(self, row: str, container: Any) -> Worked:
        """Attempt the job until it succeeds or fails for good, as a worker would."""
        stored = json.loads(row)
        tries, backoff = stored["max_tries"] or 1, stored["backoff"]
        worked = Worked()
        while True:
            worked.attempts += 1
            try:
                await self.run(row, container)
            except Exception as exc:
                if isinstance(exc, PermanentJobFailure) or worked.attempts >= tries:
                    worked.error = exc
                    return worked
                if backoff:
                    worked.delays.append(backoff[min(worked.attempts, len(backoff)) - 1])
                continue
            return worked


class QueueProvider(ServiceProvider):
    """Binds an :class:`EnvelopeQueue` as the app's ``QueueDispatcher``."""

    name = "envelope-queue"
    provides = (QueueDispatcher,)

    def __init__(self, queue: EnvelopeQueue) -> None:
        self.queue = queue

    def register(self, app: Any) -> None:
        app.instance(QueueDispatcher, self.queue)
