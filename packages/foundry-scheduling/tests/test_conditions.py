"""when / skip / environments: decided at run time; a skipped event says why."""

from __future__ import annotations

from scheduling_support import Journal

from foundry.domain.clock import Clock
from foundry.scheduling.outcome import EventStatus
from foundry.scheduling.runner import ScheduleRunner


async def record(journal: Journal) -> None:
    journal.add("ran")


async def run(app, schedule):
    schedule.validate(app)
    return await ScheduleRunner(app, schedule).run_due(app.make(Clock).now())


async def test_when_runs_the_event_only_if_the_condition_is_true(app, journal, schedule):
    schedule.call(record).when(lambda: True)
    schedule.call(record).when(lambda: False)
    schedule.call(record).when(True)

    report = await run(app, schedule)

    assert [o.status for o in report.outcomes] == [
        EventStatus.SUCCESS,
        EventStatus.SKIPPED,
        EventStatus.SUCCESS,
    ]
    assert report.outcomes[1].reason == "a when() condition is false"
    assert journal.entries == ["ran", "ran"]


async def test_skip_keeps_the_event_from_running_when_the_condition_is_true(app, journal, schedule):
    schedule.call(record).skip(lambda: True)
    schedule.call(record).skip(False)

    report = await run(app, schedule)

    assert report.outcomes[0].reason == "a skip() condition is true"
    assert report.outcomes[1].ok
    assert journal.entries == ["ran"]


async def test_conditions_may_be_async_and_get_services_injected(app, journal, schedule):
    async def only_early(clock: Clock) -> bool:
        return clock.now().hour < 12

    async def has_run(journal: Journal) -> bool:
        return bool(journal.entries)

    schedule.call(record).when(only_early)
    schedule.call(record).skip(has_run)

    report = await run(app, schedule)

    assert [o.status for o in report.outcomes] == [EventStatus.SUCCESS, EventStatus.SKIPPED]


async def test_every_condition_must_agree(app, journal, schedule):
    schedule.call(record).when(True).when(lambda: False)

    report = await run(app, schedule)

    assert report.outcomes[0].status is EventStatus.SKIPPED
    assert journal.entries == []


async def test_a_condition_that_raises_fails_the_event_without_running_it(app, journal, schedule):
    def broken() -> bool:
        raise RuntimeError("no database")

    schedule.call(record).when(broken)

    report = await run(app, schedule)

    [outcome] = report.outcomes
    assert outcome.status is EventStatus.FAILURE
    assert outcome.error == "a condition raised RuntimeError: no database"
    assert journal.entries == []


async def test_environments_limit_the_event_to_the_named_app_envs(make_app, schedule):
    schedule.call(record).environments("production")
    schedule.call(record).environments("staging", "testing")
    schedule.call(record).environments(["production", "staging"])

    production = make_app(env="production")
    report = await run(production, schedule)
    assert [o.status for o in report.outcomes] == [
        EventStatus.SUCCESS,
        EventStatus.SKIPPED,
        EventStatus.SUCCESS,
    ]
    assert report.outcomes[1].reason == (
        "the environment is production, it runs in staging, testing"
    )

    testing = make_app(env="testing")
    report = await run(testing, schedule)
    assert [o.status for o in report.outcomes] == [
        EventStatus.SKIPPED,
        EventStatus.SUCCESS,
        EventStatus.SKIPPED,
    ]


async def test_events_not_due_this_minute_are_not_reported_at_all(app, clock, schedule):
    schedule.call(record).hourly()
    clock.advance(30)  # 09:00:00
    assert len((await run(app, schedule)).outcomes) == 1
    clock.advance(60)  # 09:01
    assert (await run(app, schedule)).outcomes == ()
