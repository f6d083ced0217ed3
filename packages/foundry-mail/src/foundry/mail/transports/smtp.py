"""The SMTP transport, on aiosmtplib.

One SMTP session serves a burst: after a message is sent the connection stays open for
``keepalive`` seconds, and the next message reuses it (messages are sent one at a time over
it, in the order they arrive). An idle connection is closed with ``QUIT``; a connection the
server dropped, or one that failed, is opened anew for the next message. ``keepalive=0``
gives one connection per message.

Encryption (``MAIL_ENCRYPTION``): ``ssl`` or ``tls`` is implicit TLS (TLS from the first
byte, port 465 by default); ``starttls`` connects in clear and requires the ``STARTTLS``
upgrade before anything else is said (port 587 by default); ``none`` never encrypts (port
25 by default) — not even when the server offers it, so ``none`` means what it says.
Certificates are always verified: pass ``tls_context`` (an ``ssl.SSLContext`` trusting
your CA) for a private CA, never a context that skips verification.

Failures are split the way a queue needs them: connection refused or lost, timeouts, TLS
handshake failures and 4xx replies raise :class:`TransientMailError` (retry later); 5xx
replies for the sender, the data or every recipient, and rejected logins, raise
:class:`PermanentMailError`. Recipients refused while others were accepted are reported in
``SentMessage.rejected`` (and logged as a warning) instead of failing the message.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import ssl
from typing import Any

import aiosmtplib

from foundry.domain.mail import Message, SentMessage
from foundry.mail.exceptions import MailConfigurationError
from foundry.mail.mime import MimeMail, build_mime
from foundry.mail.transports.smtp_errors import all_refused, classify

__all__ = ["ENCRYPTIONS", "SmtpTransport"]

logger = logging.getLogger("foundry.mail")

ENCRYPTIONS = ("none", "starttls", "ssl", "tls")
DEFAULT_PORTS = {"none": 25, "starttls": 587, "ssl": 465, "tls": 465}
_LOCAL_HOSTNAME: list[str] = []


async def _local_hostname() -> str:
    """This machine's name for EHLO, looked up once per process (it can take a DNS query)."""
    if not _LOCAL_HOSTNAME:
        name = await asyncio.to_thread(socket.getfqdn)
        ok = name and name.isascii() and not any(c.isspace() or ord(c) < 32 for c in name)
        _LOCAL_HOSTNAME.append(name if ok else "localhost")
    return _LOCAL_HOSTNAME[0]


class SmtpTransport:
    """Delivers messages to an SMTP server, reusing one session for bursts.

    Args:
        host: the server (``MAIL_HOST``).
        port: its port (``MAIL_PORT``); default 465 for ``ssl``/``tls``, 587 for
            ``starttls``, 25 for ``none``.
        encryption: ``none``, ``starttls``, ``ssl`` or ``tls`` (``MAIL_ENCRYPTION``).
        username: login name (``MAIL_USERNAME``); no login when None.
        password: its password (``MAIL_PASSWORD``); never logged or shown in errors.
        timeout: seconds each connect and each command may take (``MAIL_TIMEOUT``).
        tls_context: the ``ssl.SSLContext`` verifying the server (for a private CA).
        keepalive: seconds an idle connection is kept for the next message (0: close
            after every message).
        local_hostname: the name given in EHLO (default: this machine's name).
        name: the mailer's name, used in messages.
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int | None = None,
        *,
        encryption: str | None = "none",
        username: str | None = None,
        password: str | None = None,
        timeout: float = 30.0,
        tls_context: ssl.SSLContext | None = None,
        keepalive: float = 5.0,
        local_hostname: str | None = None,
        name: str = "smtp",
    ) -> None:
        mode = (encryption or "none").strip().lower()
        if mode not in ENCRYPTIONS:
            raise MailConfigurationError(
                f'Mailer "{name}": encryption {encryption!r} is not one of '
                f"{', '.join(ENCRYPTIONS)} (MAIL_ENCRYPTION)."
            )
        if timeout <= 0:
            raise MailConfigurationError(f'Mailer "{name}": timeout must be above 0 seconds.')
        self.host = host
        self.port = port or DEFAULT_PORTS[mode]
        self.encryption = mode
        self.username = username or None
        self._password = password
        self.timeout = timeout
        self.keepalive = max(0.0, keepalive)
        self.name = name
        self._tls_context = tls_context
        self._local_hostname = local_hostname
        self._client: aiosmtplib.SMTP | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._lock: asyncio.Lock | None = None
        self._idle: asyncio.TimerHandle | None = None
        self._closing: set[asyncio.Task[None]] = set()
        self.connections_opened = 0
        """How many SMTP sessions this transport has opened (for diagnostics)."""

    def __repr__(self) -> str:  # the password stays out of reprs and logs
        return (
            f"SmtpTransport({self.name!r}, {self.host}:{self.port}, "
            f"encryption={self.encryption!r}, username={self.username!r})"
        )

    @property
    def where(self) -> str:
        return f'SMTP server {self.host}:{self.port} (mailer "{self.name}")'

    # --- sending ------------------------------------------------------------------------

    async def send(self, message: Message) -> SentMessage:
        """Send one message; see the module docstring for how failures are reported."""
        mail = build_mime(message)
        raw = mail.as_bytes()
        async with self._session_lock():
            try:
                return await self._deliver(mail, raw)
            finally:
                if self.keepalive == 0:
                    await self._quit()
                elif self._client is not None:
                    loop = asyncio.get_running_loop()
                    self._idle = loop.call_later(self.keepalive, self._start_close)

    def _session_lock(self) -> asyncio.Lock:
        loop = asyncio.get_running_loop()
        if self._lock is None or self._loop is not loop:
            self._forget_client()  # a client from another event loop cannot be used here
            self._loop, self._lock = loop, asyncio.Lock()
        return self._lock

    async def _deliver(self, mail: MimeMail, raw: bytes) -> SentMessage:
        client, reused = await self._connected()
        try:
            try:
                await client.mail(mail.sender)
            except (aiosmtplib.SMTPServerDisconnected, aiosmtplib.SMTPSenderRefused) as exc:
                closing = getattr(exc, "code", 421) == 421  # 421: the server ends the session
                if not (reused and closing):
                    raise
                # The server closed the kept session (idle timeout, a per-session message
                # limit): nothing was accepted yet, so one new session is safe.
                self._forget_client()
                client, _ = await self._connected()
                await client.mail(mail.sender)
            accepted: list[str] = []
            refused: dict[str, aiosmtplib.SMTPRecipientRefused] = {}
            for recipient in mail.recipients:
                try:
                    await client.rcpt(recipient)
                    accepted.append(recipient)
                except aiosmtplib.SMTPRecipientRefused as exc:
                    refused[recipient] = exc
            if not accepted:
                await self._reset(client)
                raise all_refused(refused, self.where)
            await client.data(raw)
        except aiosmtplib.SMTPResponseException as exc:
            if client.is_connected:
                await self._reset(client)
            else:
                self._forget_client()
            raise classify(exc, self.where) from exc
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
            self._forget_client()
            raise classify(exc, self.where) from exc
        except asyncio.CancelledError:
            self._forget_client()  # cancelled mid-dialogue: the session is out of step
            raise
        if refused:
            logger.warning(
                "Mail %s: %s refused %s; delivered to %s.",
                mail.message_id,
                self.where,
                ", ".join(f"{r} ({e.code} {e.message})" for r, e in refused.items()),
                ", ".join(accepted),
            )
        return SentMessage(mail.message_id, tuple(accepted), tuple(refused))

    # --- the session --------------------------------------------------------------------

    async def _connected(self) -> tuple[aiosmtplib.SMTP, bool]:
        """The open session (reused: True) or a new one."""
        if self._idle is not None:
            self._idle.cancel()
            self._idle = None
        if self._client is not None and self._client.is_connected:
            return self._client, True
        self._forget_client()
        client = aiosmtplib.SMTP(
            hostname=self.host,
            port=self.port,
            username=self.username,
            password=self._password,
            timeout=self.timeout,
            use_tls=self.encryption in ("ssl", "tls"),
            start_tls=self.encryption == "starttls",
            tls_context=self._tls_context,
            local_hostname=self._local_hostname or await _local_hostname(),
        )
        try:
            await client.connect()
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
            client.close()
            raise classify(exc, self.where) from exc
        self.connections_opened += 1
        logger.debug("Opened a session with %s.", self.where)
        self._client = client
        return client, False

    async def _reset(self, client: aiosmtplib.SMTP) -> None:
        """RSET after a refused transaction so the session can carry the next message."""
        try:
            await client.rset()
        except (aiosmtplib.SMTPException, OSError, TimeoutError):
            self._forget_client()

    def _start_close(self) -> None:
        self._idle = None
        task = asyncio.get_running_loop().create_task(self._close_idle())
        self._closing.add(task)
        task.add_done_callback(self._closing.discard)

    async def _close_idle(self) -> None:
        lock = self._lock
        if lock is None:
            return
        async with lock:
            if self._idle is None:  # no message arrived meanwhile
                await self._quit()

    async def _quit(self) -> None:
        client, self._client = self._client, None
        if client is None or not client.is_connected:
            return
        try:
            await client.quit()
        except (aiosmtplib.SMTPException, OSError, TimeoutError):
            client.close()
        logger.debug("Closed the session with %s.", self.where)

    def _forget_client(self) -> None:
        client, self._client = self._client, None
        if self._idle is not None:
            self._idle.cancel()
            self._idle = None
        if client is not None:
            with contextlib.suppress(RuntimeError):  # its event loop may be closed already
                client.close()

    async def aclose(self) -> None:
        """Say QUIT and close the session, if one is open."""
        if self._idle is not None:
            self._idle.cancel()
            self._idle = None
        if self._lock is None or self._loop is not asyncio.get_running_loop():
            self._forget_client()
            return
        async with self._lock:
            await self._quit()
        if self._closing:
            await asyncio.gather(*self._closing, return_exceptions=True)

    def describe(self) -> dict[str, Any]:
        """The settings, for diagnostics (never the password)."""
        return {
            "transport": "smtp",
            "host": self.host,
            "port": self.port,
            "encryption": self.encryption,
            "username": self.username,
            "timeout": self.timeout,
            "keepalive": self.keepalive,
        }
