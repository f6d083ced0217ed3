"""before / after / on_success / on_failure: order, injection, and failures in hooks."""

from __future__ import annotations

from scheduling_support import Journal

from foundry.scheduling.event import Event
from foundry.scheduling.outcome import EventOutcome, EventStatus
from foundry.scheduling.runner import ScheduleRunner


async def run(app, schedule):
    schedule.validate(app)
    return (await ScheduleRunner(app, schedule).run_due()).outcomes


async def test_hooks_run_before_and_after_the_task_in_declaration_order(
    app, journal: Journal, schedule, tmp_path
):
    def task(journal: Journal) -> str:
        journal.add("task")
        return "done"

    def after_output_was_written(journal: Journal) -> None:
        journal.add(("file", (tmp_path / "out.log").read_text()))

    (
        schedule.call(task)
        .send_output_to("out.log")
        .before(
            lambda: journal.add("before 1"),
        )
        .after(after_output_was_written)
        .on_success(lambda: journal.add("success"))
        .on_failure(lambda: journal.add("failure"))
        .before(lambda: journal.add("before 2"))
        .after(lambda: journal.add("after 2"))
    )

    [outcome] = await run(app, schedule)

    assert outcome.ok
    assert journal.entries == [
        "before 1",
        "before 2",
        "task",
        ("file", "done\n"),
        "success",
        "after 2",
    ]


async def test_failure_hooks_run_after_a_failed_task_and_get_its_outcome(
    app, journal: Journal, schedule
):
    def fail() -> None:
        raise RuntimeError("out of disk")

    def alert(outcome: EventOutcome, event: Event, journal: Journal) -> None:
        journal.add(("alert", event.display_name, outcome.status.value, outcome.error))

    (
        schedule.call(fail)
        .name("backup")
        .on_success(lambda: journal.add("success"))
        .on_failure(alert)
        .after(lambda: journal.add("after"))
    )

    [outcome] = await run(app, schedule)

    assert outcome.status is EventStatus.FAILURE
    assert journal.entries == [
        ("alert", "backup", "failure", "RuntimeError: out of disk"),
        "after",
    ]


async def test_a_failing_command_triggers_the_failure_hooks(app, journal: Journal, schedule):
    async def alert(outcome: EventOutcome, journal: Journal) -> None:
        journal.add(("alert", outcome.exit_code))

    schedule.command("test:broken").on_failure(alert)

    await run(app, schedule)

    assert journal.entries == ["test:broken", ("alert", 3)]


async def test_a_before_hook_that_raises_keeps_the_task_from_running(
    app, journal: Journal, schedule
):
    def refuse() -> None:
        raise PermissionError("maintenance window")

    (
        schedule.call(lambda: journal.add("task"))
        .name("guarded")
        .before(refuse)
        .on_failure(lambda: journal.add("failure hook"))
    )

    [outcome] = await run(app, schedule)

    assert outcome.status is EventStatus.FAILURE
    assert "before hook" in outcome.error
    assert outcome.error.endswith("refuse failed: PermissionError: maintenance window")
    assert journal.entries == ["failure hook"]


async def test_an_after_hook_that_raises_fails_the_event_and_later_hooks_still_run(
    app, journal: Journal, schedule
):
    def broken_hook() -> None:
        raise ValueError("bad hook")

    (
        schedule.call(lambda: "ok")
        .name("noisy")
        .after(broken_hook)
        .after(lambda: journal.add("later hook"))
    )

    [outcome] = await run(app, schedule)

    assert outcome.status is EventStatus.FAILURE
    assert outcome.exit_code == 1
    assert "broken_hook failed: ValueError: bad hook" in outcome.error
    assert journal.entries == ["later hook"]


async def test_hooks_may_be_async(app, journal: Journal, schedule):
    async def before(journal: Journal) -> None:
        journal.add("async before")

    schedule.call(lambda: None).name("x").before(before)

    await run(app, schedule)

    assert journal.entries == ["async before"]
