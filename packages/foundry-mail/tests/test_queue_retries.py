"""How often queued mail is tried: ``MAIL_QUEUE_TRIES`` / ``MAIL_QUEUE_BACKOFF`` (config
``mail.queue``), a mailable's ``tries`` / ``backoff``, and ``queue(tries=, backoff=)``.

The queue reads a job's retries off its class at dispatch and keeps them in the stored
envelope; :class:`mail_support.EnvelopeQueue` does the same, so these tests check what a
worker would really be given.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from mail_support import EnvelopeQueue, QueueProvider, free_port

from foundry.domain.config import MappingConfig
from foundry.domain.errors import ConfigurationError
from foundry.domain.mail import Address, Mailer, Message
from foundry.mail import Content, Mailable, MailConfig, SendQueuedMail
from foundry.mail.config import DEFAULT_BACKOFF, DEFAULT_TRIES, RetryPolicy
from foundry.mail.exceptions import MailConfigurationError, TransientMailError
from foundry.mail.provider import MailServiceProvider


def message() -> Message:
    return Message(subject="Receipt", to=(Address("ada@example.com"),), text="Thanks.\n")


@dataclass
class PlainReceipt(Mailable):
    """A mailable leaving its retries to the configuration."""

    order: int

    def content(self) -> Content:
        return Content(text="receipt.txt")


@dataclass
class Receipt(PlainReceipt):
    """The same mail asking for its own retries, as Laravel's ``$tries`` / ``$backoff``."""

    tries = 2
    backoff = 45


def retries_of(queue: EnvelopeQueue, index: int = 0) -> tuple[int, list[float]]:
    stored = json.loads(queue.rows[index])
    assert stored["job"] == "foundry.mail.jobs:SendQueuedMail"  # any worker can import it
    assert set(stored["payload"]) == {"message", "mailer"}  # retries are not payload fields
    return stored["max_tries"], stored["backoff"]


@pytest.fixture
def queued(boot_app: Any, mail_env: Any, tmp_path: Any) -> Any:
    """Boot an app with the given variables and a queue; returns (app, queue)."""
    views = tmp_path / "resources/views/mail"
    views.mkdir(parents=True)
    (views / "receipt.txt").write_text("Order {{ order }}\n")

    def boot(**variables: Any) -> tuple[Any, EnvelopeQueue]:
        mail_env(MAIL_FROM_ADDRESS="shop@example.com", **variables)
        queue = EnvelopeQueue()
        return boot_app(QueueProvider(queue)), queue

    return boot


async def test_defaults_are_five_tries_with_the_laravel_like_backoff(queued):
    app, queue = queued()
    await app.make(Mailer).queue(message())
    assert retries_of(queue) == (5, [10, 60, 300, 900])
    assert (DEFAULT_TRIES, DEFAULT_BACKOFF) == (5, (10, 60, 300, 900))


def test_the_declared_variables_feed_mail_queue_with_the_same_defaults():
    declared = {var.name: var for var in MailServiceProvider.env}
    tries, backoff = declared["MAIL_QUEUE_TRIES"], declared["MAIL_QUEUE_BACKOFF"]
    assert (tries.key, tries.kind, tries.default) == ("mail.queue.tries", "int", DEFAULT_TRIES)
    assert (backoff.key, backoff.kind) == ("mail.queue.backoff", "list")
    assert tuple(backoff.default) == DEFAULT_BACKOFF
    assert backoff.parse("10, 60,300") == ["10", "60", "300"]


async def test_environment_values_reach_the_dispatched_job(queued):
    app, queue = queued(MAIL_QUEUE_TRIES="3", MAIL_QUEUE_BACKOFF="5,30")
    await app.make(Mailer).queue(message())
    assert retries_of(queue) == (3, [5, 30])


async def test_config_file_values_reach_the_dispatched_job(queued):
    app, queue = queued()
    app.config.set("mail.queue.tries", 7)  # as config/mail.toml [queue] tries = 7 would
    app.config.set("mail.queue.backoff", [1, 2.5])
    await app.make(Mailer).queue(message())
    assert retries_of(queue) == (7, [1, 2.5])


async def test_a_mailable_overrides_the_config_and_the_call_overrides_both(queued):
    app, queue = queued(MAIL_QUEUE_TRIES="3", MAIL_QUEUE_BACKOFF="5,30")
    mailer = app.make(Mailer)
    await mailer.queue(Receipt(1).to("ada@example.com"))
    await mailer.queue(Receipt(2).to("ada@example.com"), tries=9, backoff=[1, 2, 3])
    await mailer.queue(PlainReceipt(3).to("ada@example.com"))
    await mailer.mailer("array").queue(message(), tries=1)
    await mailer.queue(Receipt(4).to("ada@example.com"), backoff=0)

    assert retries_of(queue, 0) == (2, [45])
    assert retries_of(queue, 1) == (9, [1, 2, 3])
    assert retries_of(queue, 2) == (3, [5, 30])
    assert retries_of(queue, 3) == (1, [5, 30])
    assert retries_of(queue, 4) == (2, [0])


async def test_bad_per_message_values_are_refused_before_anything_is_queued(queued):
    app, queue = queued()
    mailer = app.make(Mailer)
    with pytest.raises(MailConfigurationError, match=r"queue\(tries=...\) is 0"):
        await mailer.queue(message(), tries=0)
    with pytest.raises(MailConfigurationError, match=r"queue\(backoff=...\) holds -1"):
        await mailer.queue(message(), backoff=[10, -1])

    class Broken(PlainReceipt):
        tries = True  # a bool is not a count

    with pytest.raises(MailConfigurationError, match=r"Broken\.tries is True"):
        await mailer.queue(Broken(1).to("ada@example.com"))
    assert queue.rows == []


@pytest.mark.parametrize(
    ("variables", "named", "said"),
    [
        ({"MAIL_QUEUE_TRIES": "0"}, "MAIL_QUEUE_TRIES", "1 or more"),
        ({"MAIL_QUEUE_TRIES": "-2"}, "MAIL_QUEUE_TRIES", "1 or more"),
        ({"MAIL_QUEUE_BACKOFF": "ten"}, "MAIL_QUEUE_BACKOFF", "'ten'"),
        ({"MAIL_QUEUE_BACKOFF": "10,-5"}, "MAIL_QUEUE_BACKOFF", "'-5'"),
        ({"MAIL_QUEUE_BACKOFF": ","}, "MAIL_QUEUE_BACKOFF", "empty"),
    ],
)
def test_bad_values_fail_at_boot_naming_the_variable(boot_app, mail_env, variables, named, said):
    mail_env(**variables)
    with pytest.raises(ConfigurationError) as caught:
        boot_app()  # no mail is sent or queued: the boot itself refuses
    assert named in str(caught.value)
    assert said in str(caught.value)


def test_the_policy_reads_config_text_numbers_and_lists():
    def read(**section: Any) -> RetryPolicy:
        return MailConfig.from_config(MappingConfig({"mail": {"queue": section}})).retries

    assert read() == RetryPolicy(5, (10, 60, 300, 900))
    assert read(tries="4", backoff="1, 2") == RetryPolicy(4, (1, 2))
    assert read(tries=3.0, backoff=30) == RetryPolicy(3, (30,))
    with pytest.raises(MailConfigurationError, match=r"MAIL_QUEUE_BACKOFF \(mail.queue"):
        read(backoff=["1", None])
    with pytest.raises(MailConfigurationError, match=r"MAIL_QUEUE_TRIES \(mail.queue.tries\) is"):
        read(tries="ten")  # text from config/mail.toml, which no variable parsed


async def test_the_retries_ride_on_the_job_not_in_its_payload(queued):
    app, queue = queued()
    await app.make(Mailer).queue(message(), tries=3, backoff=(5, 30))
    stored = json.loads(queue.rows[0])
    assert (stored["max_tries"], stored["backoff"]) == (3, [5.0, 30.0])
    assert stored["job"] == "foundry.mail.jobs:SendQueuedMail"
    assert set(stored["payload"]) == {"message", "mailer"}
    assert (SendQueuedMail.tries, SendQueuedMail.backoff) == (5, (10, 60, 300, 900))


async def test_a_failing_delivery_is_attempted_as_often_as_configured(queued):
    """A real SMTP delivery to a port nobody listens on: every attempt is a transient
    failure, so the worker retries with the configured backoff until tries run out."""
    app, queue = queued(
        MAIL_MAILER="smtp", MAIL_PORT=free_port(), MAIL_QUEUE_TRIES="3", MAIL_QUEUE_BACKOFF="1,2"
    )
    mailer = app.make(Mailer)
    await mailer.queue(message())
    await mailer.queue(Receipt(7).to("ada@example.com"))  # its own: 2 tries, 45 s apart

    configured = await queue.work(queue.rows[0], app)
    own = await queue.work(queue.rows[1], app)

    assert (configured.attempts, configured.delays) == (3, [1, 2])
    assert isinstance(configured.error, TransientMailError)
    assert (own.attempts, own.delays) == (2, [45])
    assert isinstance(own.error, TransientMailError)
