"""QueueFake records jobs, asserts on them, and runs them the way a worker would."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from foundry.application import Application
from foundry.domain.clock import Clock, FrozenClock
from foundry.domain.errors import ConfigurationError, FoundryError
from foundry.domain.mail import Mailer
from foundry.domain.queue import Job, JobEnvelope, QueueDispatcher
from foundry.testing import QueueFake

RAN: list[Any] = []


@dataclass
class SendInvoice(Job):
    order_id: int
    due: datetime = field(default_factory=lambda: datetime(2026, 1, 1, tzinfo=UTC))
    queue = "billing"

    async def handle(self, clock: Clock) -> None:
        RAN.append((self.order_id, clock.now()))


@dataclass
class Chained(Job):
    step: int

    async def handle(self, queue: QueueDispatcher) -> None:
        RAN.append(self.step)
        if self.step < 3:
            await queue.dispatch(Chained(self.step + 1))


@dataclass
class HoldsAnObject(Job):
    thing: Any


@dataclass
class Untyped(Job):
    def handle(self, service) -> None:  # type: ignore[no-untyped-def]
        RAN.append(service)


@dataclass
class NeedsMailer(Job):
    async def handle(self, mailer: Mailer) -> None:
        RAN.append(mailer)


def cleanup_report() -> None:
    RAN.append("report")


@pytest.fixture
def fake(tmp_path: Path) -> QueueFake:
    RAN.clear()
    app = Application(tmp_path, discover=False)
    app.instance(Clock, FrozenClock(datetime(2026, 5, 1, tzinfo=UTC)))
    queue = QueueFake(app)
    app.instance(QueueDispatcher, queue)
    return queue


async def test_dispatched_jobs_are_recorded_with_their_queue(fake: QueueFake) -> None:
    assert isinstance(fake, QueueDispatcher)
    job_id = await fake.dispatch(SendInvoice(7), delay=60)
    await fake.dispatch(SendInvoice(8), queue="urgent", connection="redis")
    [first] = fake.assert_pushed(SendInvoice, lambda job: job.order_id == 7, count=1)
    assert (first.id, first.queue, first.delay) == (job_id, "billing", 60)
    fake.assert_pushed_on("urgent", SendInvoice, count=1)
    fake.assert_pushed("SendInvoice", count=2)
    fake.assert_pushed(f"{__name__}:SendInvoice", count=2)
    fake.assert_not_pushed(Chained)


async def test_run_pushed_rebuilds_jobs_from_their_payload(fake: QueueFake) -> None:
    original = SendInvoice(7)
    await fake.dispatch(original)
    ran = await fake.run_pushed()
    assert [job.job for job in ran] == [original]
    assert [(7, datetime(2026, 5, 1, tzinfo=UTC))] == RAN  # Clock from the container
    assert await fake.run_pushed() == []  # each job runs once


async def test_jobs_dispatched_while_running_run_too(fake: QueueFake) -> None:
    await fake.dispatch(Chained(1))
    ran = await fake.run_pushed()
    assert RAN == [1, 2, 3]
    assert [job.payload for job in ran] == [{"step": 1}, {"step": 2}, {"step": 3}]


async def test_run_pushed_can_run_one_kind_only(fake: QueueFake) -> None:
    await fake.dispatch(Chained(3))
    await fake.dispatch(SendInvoice(1))
    await fake.run_pushed(SendInvoice)
    assert [(1, datetime(2026, 5, 1, tzinfo=UTC))] == RAN


async def test_module_level_functions_can_be_dispatched(fake: QueueFake) -> None:
    await fake.dispatch(cleanup_report)
    fake.assert_pushed(cleanup_report)
    await fake.run_pushed()
    assert RAN == ["report"]


async def test_envelopes_pushed_on_a_connection_are_recorded(fake: QueueFake) -> None:
    connection = fake.connection("database")
    envelope = JobEnvelope(id="e1", job=f"{__name__}:SendInvoice", payload={"order_id": 3})
    assert await connection.push(envelope) == "e1"
    assert await connection.size() == 1
    fake.assert_pushed(SendInvoice, lambda job: job.order_id == 3)
    await fake.run_pushed()
    assert RAN[0][0] == 3
    assert await connection.size() == 0


async def test_payloads_a_queue_cannot_store_are_refused_at_dispatch(fake: QueueFake) -> None:
    with pytest.raises(FoundryError, match=r"HoldsAnObject payload.thing is <object .*pass an id"):
        await fake.dispatch(HoldsAnObject(object()))
    fake.assert_nothing_pushed()


async def test_non_jobs_and_local_functions_are_refused(fake: QueueFake) -> None:
    def local() -> None:
        pass

    with pytest.raises(TypeError, match=r"dispatch an instance of a Job dataclass"):
        await fake.dispatch(local)
    with pytest.raises(TypeError):
        await fake.dispatch({"not": "a job"})


async def test_a_handler_service_that_is_not_bound_is_reported_with_its_package(
    fake: QueueFake,
) -> None:
    await fake.dispatch(NeedsMailer())
    with pytest.raises(ConfigurationError, match=r'parameter "mailer" .*No Mailer is bound'):
        await fake.run_pushed()
    assert RAN == []


async def test_a_handler_parameter_without_a_type_is_reported(fake: QueueFake) -> None:
    await fake.dispatch(Untyped())
    with pytest.raises(ConfigurationError, match=r"parameter 'service' of its handler has no type"):
        await fake.run_pushed()


async def test_a_missing_job_fails_listing_what_was_pushed(fake: QueueFake) -> None:
    await fake.dispatch(SendInvoice(7))
    with pytest.raises(AssertionError) as failure:
        fake.assert_pushed(Chained)
    text = str(failure.value)
    assert text.startswith("Expected Chained to be pushed, but it was not.\n1 pushed in all:")
    assert "SendInvoice(order_id=7" in text
    assert "on queue billing" in text


async def test_the_negative_assertions_fail_when_jobs_were_pushed(fake: QueueFake) -> None:
    await fake.dispatch(SendInvoice(7))
    with pytest.raises(AssertionError, match=r"not to be pushed, but it was pushed 1 time"):
        fake.assert_not_pushed(SendInvoice)
    with pytest.raises(AssertionError, match=r"Expected any job not to be pushed"):
        fake.assert_nothing_pushed()
    with pytest.raises(AssertionError, match=r"SendInvoice on queue default to be pushed"):
        fake.assert_pushed_on("default", SendInvoice)
