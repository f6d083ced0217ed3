"""The reference app's account mails, end to end: HTTP, the database queue, a worker, SMTP.

The app is served with `QUEUE_CONNECTION=database` on PostgreSQL and `MAIL_MAILER=smtp`
pointed at a real SMTP server (aiosmtpd) this test starts; a `foundry queue:work` process
delivers. Registering queues the verification mail (it is a row in `jobs`, not a message,
until a worker runs); the worker sends it; its link verifies the address, which queues the
welcome mail, delivered too. A recipient the server refuses for good (550) sends the job to
`failed_jobs` at once. With the SMTP server stopped, a password-reset mail is tried, fails
as a transient error and is released with its backoff (the first of `SendQueuedMail`'s
fixed `(10, 60, 300, 900)` s); the server comes back and the same job delivers it. At the
end every mail dispatched is accounted for: delivered or in `failed_jobs`, none pending,
none twice.
"""

from __future__ import annotations

import contextlib
import email
import re
import threading
from collections.abc import Callable, Iterator
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path
from typing import Any

import httpx
import pytest
from it_support import (
    AppServer,
    Process,
    foundry,
    free_port,
    new_app_key,
    spawn_foundry,
    sql,
    wait_until,
)

AS_JSON = {"accept": "application/json"}
PASSWORD = "correct horse battery staple"
REFUSED = "nobody@refused.example.test"
DELIVERY_BOUND = 60.0  # covers the 10 s backoff of the first retry, with room


class Inbox:
    """A real SMTP server (aiosmtpd, in a thread) that keeps what it accepts and refuses
    every recipient of ``refused.example.test`` for good (550)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.received: list[tuple[list[str], EmailMessage]] = []
        self._lock = threading.Lock()
        self._controller: Any = None

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, _: Any
    ) -> str:
        if address.endswith("@refused.example.test"):
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.original_content, policy=default_policy)
        assert isinstance(message, EmailMessage)
        with self._lock:
            self.received.append((list(envelope.rcpt_tos), message))
        return "250 2.0.0 OK queued"

    def start(self) -> None:
        """Listen (again) on the same port; returns once the server accepts connections."""
        from aiosmtpd.controller import Controller

        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def messages(self, subject: str = "") -> list[EmailMessage]:
        with self._lock:
            return [m for _, m in self.received if str(m["Subject"]).startswith(subject)]

    def wait_for(self, subject: str, *, timeout: float, detail: Callable[[], str]) -> EmailMessage:
        found = wait_until(
            lambda: self.messages(subject),
            timeout=timeout,
            what=f"a mail whose subject starts {subject!r} over SMTP",
            detail=detail,
        )
        assert len(found) == 1, [str(m["Subject"]) for m in found]  # delivered once
        return found[0]


@pytest.fixture
def inbox() -> Iterator[Inbox]:
    server = Inbox(free_port())
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def port() -> int:
    return free_port()


@pytest.fixture
def app_env(postgres_url: str, inbox: Inbox, port: int) -> dict[str, str]:
    return {
        "APP_ENV": "local",
        "APP_NAME": "Catalogue",
        "APP_URL": f"http://127.0.0.1:{port}",  # the links in the mails
        "APP_KEY": new_app_key(),
        "DATABASE_URL": postgres_url,
        "DATABASE_MIGRATE_ON_START": "false",
        "QUEUE_CONNECTION": "database",
        "MAIL_MAILER": "smtp",
        "MAIL_HOST": "127.0.0.1",
        "MAIL_PORT": str(inbox.port),
        "MAIL_ENCRYPTION": "none",
        "MAIL_TIMEOUT": "5",
        "MAIL_FROM_ADDRESS": "shop@example.test",
        "MAIL_FROM_NAME": "The Catalogue",
    }


@pytest.fixture
def server(app_env: dict[str, str], port: int, tmp_path: Path) -> Iterator[AppServer]:
    foundry("migrate", env=app_env)
    served = AppServer(app_env, tmp_path / "server.log", port=port)
    try:
        served.wait_ready()
        yield served
    finally:
        served.stop()


@pytest.fixture
def start_worker(app_env: dict[str, str], tmp_path: Path) -> Iterator[Callable[[], Process]]:
    started: list[Process] = []

    def start() -> Process:
        worker = spawn_foundry(
            "queue:work", "--sleep", "0.2", env=app_env, log=tmp_path / "worker.log"
        )
        started.append(worker)
        worker.wait_for_output("Working database queue", timeout=60)
        return worker

    yield start
    for worker in started:
        worker.stop()


def register(server: AppServer, client: httpx.Client, name: str, address: str) -> None:
    answer = client.post(
        f"{server.url}/auth/register",
        json={
            "name": name,
            "email": address,
            "password": PASSWORD,
            "password_confirmation": PASSWORD,
        },
        headers=AS_JSON,
    )
    assert answer.status_code in (200, 201), answer.text


def count(database_url: str, table: str) -> int:
    return int(sql(database_url, f"SELECT count(*) FROM {table}")[0][0])  # noqa: S608 - ours


def plain(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain",))
    assert body is not None, "no text/plain part"
    return str(body.get_content())


def link_in(message: EmailMessage, server: AppServer, path: str) -> str:
    text = plain(message)
    found = re.search(re.escape(f"{server.url}{path}") + r"[^\s\"'<>)]+", text)
    assert found, text
    return found.group(0)


def test_account_mails_go_through_the_queue_over_smtp_and_none_is_lost(
    server: AppServer,
    inbox: Inbox,
    app_env: dict[str, str],
    start_worker: Callable[[], Process],
) -> None:
    database = app_env["DATABASE_URL"]
    ada = httpx.Client(timeout=30)
    with contextlib.closing(ada):
        register(server, ada, "Ada Lovelace", "ada@example.test")
        # Queued, not sent: a row in `jobs`, nothing over SMTP while no worker runs.
        wait_until(lambda: count(database, "jobs") == 1, timeout=30, what="the mail job queued")
        (payload,) = sql(database, "SELECT payload FROM jobs")[0]
        assert "SendQueuedMail" in payload
        assert "ada@example.test" in payload
        assert inbox.messages() == []

        worker = start_worker()
        verify = inbox.wait_for("Verify your e-mail address", timeout=30, detail=worker.tail)
        assert verify["To"] == "Ada Lovelace <ada@example.test>"
        assert verify["From"] == "The Catalogue <shop@example.test>"
        assert verify.get_body(preferencelist=("html",)) is not None  # text and HTML

        verified = ada.get(link_in(verify, server, "/auth/email/verify/"), headers=AS_JSON)
        assert verified.status_code < 400, verified.text
        assert sql(database, "SELECT email_verified_at IS NOT NULL FROM users") == [("t",)]
        welcome = inbox.wait_for("Welcome to Catalogue", timeout=30, detail=worker.tail)
        assert welcome["To"] == "Ada Lovelace <ada@example.test>"
        assert f"{server.url}/auth/user" in plain(welcome)

    # A recipient refused for good: no retries, the job is kept in failed_jobs.
    with httpx.Client(timeout=30) as nobody:
        register(server, nobody, "Nobody", REFUSED)
    wait_until(
        lambda: count(database, "failed_jobs") == 1,
        timeout=30,
        what="the refused mail's job in failed_jobs",
        detail=worker.tail,
    )
    (exception,) = sql(database, r"SELECT replace(exception, E'\n', ' ') FROM failed_jobs")[0]
    assert "550" in exception
    assert all(REFUSED not in rcpts for rcpts, _ in inbox.received)

    # The SMTP server goes away: the next mail is tried, released for a retry, kept.
    inbox.stop()
    forgot = httpx.post(
        f"{server.url}/auth/password/forgot", json={"email": "ada@example.test"}, headers=AS_JSON
    )
    assert forgot.status_code == 200, forgot.text
    released = wait_until(
        lambda: sql(database, "SELECT id, attempts FROM jobs WHERE reserved_at IS NULL"),
        timeout=30,
        what="the reset mail's job queued",
        detail=worker.tail,
    )
    ((job_id, _),) = released
    wait_until(
        lambda: sql(database, "SELECT attempts FROM jobs WHERE reserved_at IS NULL") == [("1",)],
        timeout=30,
        what="the reset mail's job tried once and released for a retry",
        detail=worker.tail,
    )
    worker.wait_for_output(f"[{job_id}] RELEASED for 10 s: TransientMailError", timeout=30)
    assert count(database, "failed_jobs") == 1  # a transient failure is not a failed job

    inbox.start()  # back on the same port; the same job delivers at its retry
    reset = inbox.wait_for(
        "Reset your Catalogue password", timeout=DELIVERY_BOUND, detail=worker.tail
    )
    assert reset["To"] == "Ada Lovelace <ada@example.test>"
    assert "/auth/password/reset" in plain(reset)
    wait_until(  # delivered by the same job, on its second try
        lambda: re.search(rf"\[{job_id}\] [\d.]+ ms DONE", worker.output()),
        timeout=30,
        what="the worker reporting the released job done",
        detail=worker.tail,
    )

    # Loss accounting: four mails dispatched (verify, welcome, the refused verify, reset);
    # three delivered once each, one in failed_jobs, nothing left in the queue.
    wait_until(lambda: count(database, "jobs") == 0, timeout=30, what="the queue drained")
    delivered = [str(m["Subject"]) for m in inbox.messages()]
    assert len(delivered) == 3, delivered
    assert count(database, "failed_jobs") == 1
    assert len(delivered) + count(database, "failed_jobs") == 4

    assert worker.stop() == 0, worker.tail()  # a graceful stop on SIGTERM
