"""What events run: commands through the CommandCaller, callables with injection, jobs."""

from __future__ import annotations

import threading
from dataclasses import dataclass

import pytest
from scheduling_support import Broken, Journal, MemoryDispatcher, Prune

from foundry.application import Application
from foundry.domain.clock import Clock, FrozenClock
from foundry.domain.mail import Mailer
from foundry.domain.queue import Job
from foundry.scheduling.errors import ScheduleError
from foundry.scheduling.outcome import EventStatus
from foundry.scheduling.provider import SchedulingServiceProvider
from foundry.scheduling.runner import ScheduleRunner
from foundry.scheduling.schedule import Schedule


async def run_all(app, schedule: Schedule):
    schedule.validate(app)
    report = await ScheduleRunner(app, schedule).run_due(app.make(Clock).now())
    return report.outcomes


# --- commands ----------------------------------------------------------------------------


async def test_a_command_runs_through_the_command_caller_with_its_parameters(
    app, journal, schedule
):
    schedule.command("test:prune", days=7, force=True)

    [outcome] = await run_all(app, schedule)

    assert outcome.status is EventStatus.SUCCESS
    assert journal.entries == [("test:prune", 7, True)]
    assert outcome.output == "Pruned records older than 7 days."
    assert outcome.summary == "test:prune --days=7 --force"


async def test_a_command_may_be_named_by_its_class(app, journal, schedule):
    schedule.command(Prune, {"days": 2})

    [outcome] = await run_all(app, schedule)

    assert outcome.ok
    assert journal.entries == [("test:prune", 2, False)]


async def test_a_failing_command_reports_its_exit_code_output_and_reason(app, schedule):
    schedule.command(Broken)

    [outcome] = await run_all(app, schedule)

    assert outcome.status is EventStatus.FAILURE
    assert outcome.exit_code == 3
    assert outcome.error == "The disk is full."
    assert outcome.output == "Checking the disk.\nThe disk is full."


async def test_a_parameter_the_command_refuses_fails_the_run_as_a_usage_error(app, schedule):
    schedule.command("test:prune", weeks=2)

    [outcome] = await run_all(app, schedule)

    assert outcome.exit_code == 2
    assert "unknown option --weeks" in outcome.error


def test_an_unknown_command_fails_when_the_schedule_loads(app, schedule):
    schedule.command("test:prnue")

    with pytest.raises(ScheduleError) as caught:
        schedule.validate(app)
    assert caught.value.message == (
        'The schedule cannot run. Scheduled event "test:prnue": no command is named '
        '"test:prnue". Did you mean: test:prune, test:broken?'
    )


def test_arguments_written_into_the_command_name_are_refused(schedule):
    with pytest.raises(ScheduleError, match="give the command's name alone"):
        schedule.command("test:prune --days=3")


def test_commands_need_the_command_executor(tmp_path, schedule):
    bare = Application(base_path=tmp_path, providers=[SchedulingServiceProvider], discover=False)
    bare.boot()
    schedule.command("schedule:list")

    with pytest.raises(ScheduleError) as caught:
        schedule.validate(bare)
    assert "No CommandCaller is bound. Install foundry-command-executor" in caught.value.message


# --- callables ---------------------------------------------------------------------------


def sync_task(journal: Journal, clock: Clock) -> str:
    journal.add(("sync", clock.now().isoformat(), threading.current_thread().name))
    return "synced"


async def async_task(journal: Journal) -> None:
    journal.add("async")


class Report:
    """An invokable class: built by the container, then called with injection."""

    def __init__(self, journal: Journal) -> None:
        self.journal = journal

    async def __call__(self, clock: Clock, days: int = 1) -> str:
        self.journal.add(("report", days))
        return f"report for {days} day(s) at {clock.now():%H:%M}"


async def test_sync_callables_get_their_services_injected_and_run_in_a_worker_thread(
    app, journal, schedule
):
    schedule.call(sync_task)

    [outcome] = await run_all(app, schedule)

    assert outcome.output == "synced"
    [(kind, when, thread)] = journal.entries
    assert (kind, when) == ("sync", "2026-03-02T08:59:30+00:00")
    assert thread != threading.main_thread().name


async def test_async_callables_get_their_services_injected(app, journal, schedule):
    schedule.call(async_task)

    [outcome] = await run_all(app, schedule)

    assert outcome.ok
    assert journal.entries == ["async"]


async def test_an_invokable_class_is_built_by_the_container_and_given_fixed_values(
    app, journal, schedule
):
    schedule.call(Report, days=3)

    [outcome] = await run_all(app, schedule)

    assert outcome.output == "report for 3 day(s) at 08:59"
    assert journal.entries == [("report", 3)]


def test_a_fixed_value_for_a_parameter_the_callable_lacks_fails_at_declaration(schedule):
    with pytest.raises(ScheduleError, match="takes no parameter 'weeks'"):
        schedule.call(Report, weeks=2)


async def test_a_parameter_that_cannot_be_resolved_fails_the_run_naming_it(app, schedule):
    def needs_a_number(count: int) -> None:
        """Nothing can inject an int."""

    schedule.call(needs_a_number)

    [outcome] = await run_all(app, schedule)

    assert outcome.status is EventStatus.FAILURE
    assert "parameter 'count' has no value" in outcome.error


async def test_a_parameter_without_a_type_hint_is_never_guessed(app, schedule):
    schedule.call(lambda journal: journal.add("guessed")).name("untyped")

    [outcome] = await run_all(app, schedule)

    assert outcome.status is EventStatus.FAILURE
    assert "parameter 'journal' has no value" in outcome.error
    assert app.make(Journal).entries == []


async def test_the_reason_a_parameter_cannot_be_injected_is_given(app, schedule):
    def needs_a_number(count: int) -> None:
        """Nothing can inject an int."""

    schedule.call(needs_a_number)

    [outcome] = await run_all(app, schedule)

    assert "parameter 'count' has no value (int is not a service)" in outcome.error
    assert "schedule.call(fn, count=...)" in outcome.error


async def test_a_fixed_value_named_provide_reaches_the_callable(app, journal, schedule):
    def configure(provide: str, journal: Journal) -> None:
        journal.add(("provide", provide))

    schedule.call(configure, provide="yes")

    [outcome] = await run_all(app, schedule)

    assert outcome.ok
    assert journal.entries == [("provide", "yes")]


async def test_an_unbound_contract_fails_the_run_naming_the_package(make_app, schedule):
    app = make_app(mailer=None)

    async def mail(mailer: Mailer) -> None:
        """Needs a mailer nobody bound."""

    schedule.call(mail)

    [outcome] = await run_all(app, schedule)

    assert outcome.status is EventStatus.FAILURE
    assert "No Mailer is bound. Install foundry-mail" in outcome.error


async def test_an_exception_fails_the_run_and_the_next_event_still_runs(app, journal, schedule):
    def explode() -> None:
        raise ValueError("boom")

    schedule.call(explode)
    schedule.call(async_task)

    failed, ran = await run_all(app, schedule)

    assert (failed.status, failed.error, failed.exit_code) == (
        EventStatus.FAILURE,
        "ValueError: boom",
        1,
    )
    assert failed.exception is not None
    assert ran.ok
    assert journal.entries == ["async"]


def test_a_lambda_is_described_by_where_it_was_written(schedule):
    scheduled = schedule.call(lambda: None)
    assert "<lambda>" in scheduled.summary


# --- jobs --------------------------------------------------------------------------------


@dataclass
class SendDigest(Job):
    list_id: int

    async def handle(self, journal: Journal, clock: Clock) -> str:
        journal.add(("digest", self.list_id))
        return f"digest {self.list_id} sent"


async def test_a_job_is_dispatched_through_the_queue_dispatcher_when_one_is_bound(
    make_app, schedule
):
    dispatcher = MemoryDispatcher()
    app = make_app(dispatcher=dispatcher)
    schedule.job(SendDigest(list_id=7), queue="mail")

    [outcome] = await run_all(app, schedule)

    assert outcome.output == "Dispatched SendDigest on queue mail as job job-1."
    [envelope] = dispatcher.queue.envelopes
    assert (envelope.payload, envelope.queue) == ({"list_id": 7}, "mail")
    assert envelope.job.endswith(":SendDigest")
    assert app.make(Journal).entries == []


async def test_without_a_queue_a_job_is_handled_in_process_with_injection(app, journal, schedule):
    schedule.job(SendDigest(list_id=7))

    [outcome] = await run_all(app, schedule)

    assert outcome.output == "digest 7 sent"
    assert journal.entries == [("digest", 7)]


def test_a_job_class_instead_of_an_instance_is_refused(schedule):
    with pytest.raises(ScheduleError, match=r"pass a job instance, e\.g\. schedule\.job\("):
        schedule.job(SendDigest)


def test_jobs_with_different_payloads_have_different_lock_names(schedule):
    first = schedule.job(SendDigest(list_id=1))
    second = schedule.job(SendDigest(list_id=2))
    assert first.mutex_name != second.mutex_name


def test_frozen_clock_is_what_the_runner_reads(app, clock: FrozenClock):
    from datetime import UTC, datetime

    runner = ScheduleRunner(app, Schedule())
    clock.advance(45)
    assert runner.current_minute() == datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
