"""Queued mail: the job is stored as JSON text, rebuilt later and run like a worker would."""

from __future__ import annotations

import json

import pytest
from mail_support import EnvelopeQueue, QueueProvider, Recorder, free_port

from foundry.domain.errors import ConfigurationError
from foundry.domain.mail import Address, Attachment, Mailer, Message
from foundry.domain.queue import PermanentJobFailure
from foundry.mail import ArrayTransport, MailManager, SendQueuedMail, message_to_dict
from foundry.mail.exceptions import InvalidMessageError, PermanentMailError, TransientMailError

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(64))


def rich_message() -> Message:
    return Message(
        subject="Queued — ünïcode",
        to=(Address("ada@example.com", "Ada"),),
        bcc=(Address("audit@example.com"),),
        text="Plain body\n",
        html='<p>HTML body</p><img src="cid:logo">',
        attachments=(
            Attachment("logo.png", PNG, "image/png", "logo"),
            Attachment("data.bin", bytes(range(256)), "application/octet-stream"),
        ),
        headers={"X-Campaign": "spring  2025", "X-Second": "two"},
        tags=("queued",),
        metadata={"order": "7"},
        priority=2,
    )


async def test_queued_mail_round_trips_through_json_and_a_worker_sends_it(
    boot_app, mail_env, smtp_server
):
    mail_env(
        MAIL_MAILER="smtp",
        MAIL_HOST=smtp_server.host,
        MAIL_PORT=smtp_server.port,
        MAIL_FROM_ADDRESS="shop@example.com",
        MAIL_FROM_NAME="Shop",
    )
    queue = EnvelopeQueue()
    app = boot_app(QueueProvider(queue))
    mailer = app.make(Mailer)

    job_id = await mailer.queue(rich_message(), queue="mail", delay=30)

    assert job_id == "1"
    assert smtp_server.received == []  # nothing is sent until a worker runs the job
    [row] = queue.rows
    stored = json.loads(row)
    assert stored["job"] == "foundry.mail.jobs:SendQueuedMail"
    assert (stored["queue"], stored["meta"]["delay"]) == ("mail", 30)
    assert (stored["max_tries"], stored["backoff"]) == (5, [10, 60, 300, 900])
    assert stored["payload"]["message"]["from"] == {"email": "shop@example.com", "name": "Shop"}

    await queue.run(row, app)

    [got] = smtp_server.received
    assert got.rcpt_tos == ["ada@example.com", "audit@example.com"]
    parsed = got.parsed()
    assert parsed["Subject"] == "Queued — ünïcode"
    assert parsed["X-Campaign"] == "spring  2025"
    assert b"\r\nX-Campaign: spring  2025\r\nX-Second: two\r\n" in got.header_block
    assert parsed["X-Priority"] == "2 (High)"
    assert "Bcc" not in parsed
    files = {a.get_filename(): a.get_content() for a in parsed.iter_attachments()}
    assert files == {"data.bin": bytes(range(256))}
    inline = [p for p in parsed.walk() if p["Content-ID"] == "<logo>"]
    assert inline[0].get_content() == PNG


async def test_a_server_that_is_down_fails_the_job_retryably_and_a_retry_delivers(
    boot_app, mail_env, start_server
):
    port = free_port()
    mail_env(MAIL_MAILER="smtp", MAIL_PORT=port, MAIL_FROM_ADDRESS="shop@example.com")
    queue = EnvelopeQueue()
    app = boot_app(QueueProvider(queue))
    await app.make(Mailer).queue(rich_message())
    [row] = queue.rows

    with pytest.raises(TransientMailError) as caught:
        await queue.run(row, app)
    assert caught.value.retryable is True
    assert not isinstance(caught.value, PermanentJobFailure)  # one failed attempt: retried

    server = start_server(port=port)  # the server is back; the queue retries the same row
    await queue.run(row, app)
    assert [r.rcpt_tos for r in server.received] == [["ada@example.com", "audit@example.com"]]


async def test_a_permanent_refusal_fails_the_job_without_retrying(boot_app, mail_env, start_server):
    refusal = "550 5.1.1 No such user"
    server = start_server(
        Recorder(reject={"ada@example.com": refusal, "audit@example.com": refusal})
    )
    mail_env(
        MAIL_MAILER="smtp",
        MAIL_PORT=server.port,
        MAIL_HOST=server.host,
        MAIL_FROM_ADDRESS="shop@example.com",
    )
    queue = EnvelopeQueue()
    app = boot_app(QueueProvider(queue))
    await app.make(Mailer).queue(rich_message())
    with pytest.raises(PermanentMailError) as caught:
        await queue.run(queue.rows[0], app)
    assert caught.value.retryable is False
    assert isinstance(caught.value, PermanentJobFailure)  # the worker fails it at once


async def test_a_named_mailer_is_kept_in_the_job(boot_app, mail_env):
    mail_env(MAIL_FROM_ADDRESS="shop@example.com")
    queue = EnvelopeQueue()
    app = boot_app(QueueProvider(queue))
    await app.make(Mailer).mailer("array").queue(rich_message())
    assert json.loads(queue.rows[0])["payload"]["mailer"] == "array"
    await queue.run(queue.rows[0], app)
    array = app.make(MailManager).transport("array")
    assert isinstance(array, ArrayTransport)
    assert [m.subject for m in array.messages()] == ["Queued — ünïcode"]


async def test_an_invalid_message_is_refused_when_queued_and_nothing_is_stored(boot_app, mail_env):
    mail_env(MAIL_FROM_ADDRESS="shop@example.com")
    queue = EnvelopeQueue()
    app = boot_app(QueueProvider(queue))
    bad = Message(subject="Hi\r\nBcc: x@example.com", to=(Address("a@example.com"),), text="x")
    with pytest.raises(InvalidMessageError):
        await app.make(Mailer).queue(bad)
    assert queue.rows == []


async def test_queueing_without_a_queue_names_the_package_to_install(boot_app, mail_env):
    mail_env(MAIL_FROM_ADDRESS="shop@example.com")
    app = boot_app()
    with pytest.raises(ConfigurationError, match="Install foundry-queue"):
        await app.make(Mailer).queue(rich_message())


async def test_a_corrupt_payload_fails_the_job_at_once(boot_app, mail_env):
    mail_env(MAIL_FROM_ADDRESS="shop@example.com")
    app = boot_app()
    payload = message_to_dict(rich_message())
    payload["to"] = "not a list"
    job = SendQueuedMail(message=payload)
    with pytest.raises(PermanentJobFailure, match="Queued mail payload: to"):
        await job.handle(app.make(Mailer))


def test_the_job_retries_with_backoff():
    assert SendQueuedMail.tries == 5
    assert SendQueuedMail.backoff == (10, 60, 300, 900)
    job = SendQueuedMail(message={"format": 1}, mailer=None)
    assert job.payload() == {"message": {"format": 1}, "mailer": None}
