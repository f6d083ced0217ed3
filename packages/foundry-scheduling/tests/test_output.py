"""Output to a file (replaced or appended) and by e-mail through the Mailer contract."""

from __future__ import annotations

import pytest
from scheduling_support import RecordingMailer

from foundry.domain.mail import Address
from foundry.scheduling.errors import ScheduleError
from foundry.scheduling.outcome import EventStatus
from foundry.scheduling.runner import ScheduleRunner
from foundry.scheduling.schedule import Schedule


def say(text: str) -> str:
    return text


def fail() -> None:
    raise RuntimeError("the backup disk is gone")


async def run(app, schedule):
    schedule.validate(app)
    return (await ScheduleRunner(app, schedule).run_due()).outcomes


async def test_send_output_to_replaces_the_file_on_each_run(app, tmp_path, schedule):
    event = schedule.call(say, text="first").send_output_to("storage/logs/report.log")
    await run(app, schedule)
    event.task.parameters["text"] = "second"  # type: ignore[attr-defined]
    await run(app, schedule)

    assert (tmp_path / "storage/logs/report.log").read_text() == "second\n"


async def test_append_output_to_keeps_every_run(app, tmp_path, schedule):
    schedule.command("test:prune", days=3).append_output_to(tmp_path / "prune.log")
    await run(app, schedule)
    await run(app, schedule)

    assert (tmp_path / "prune.log").read_text() == (
        "Pruned records older than 3 days.\nPruned records older than 3 days.\n"
    )


async def test_a_failures_reason_is_part_of_its_output(app, tmp_path, schedule):
    schedule.command("test:broken").send_output_to("broken.log")
    [outcome] = await run(app, schedule)

    assert outcome.status is EventStatus.FAILURE
    assert (tmp_path / "broken.log").read_text() == "Checking the disk.\nThe disk is full.\n"


async def test_an_unwritable_output_file_fails_the_event_with_the_reason(app, tmp_path, schedule):
    (tmp_path / "taken").write_text("a file, not a folder")
    schedule.call(say, text="hi").send_output_to("taken/out.log")

    [outcome] = await run(app, schedule)

    assert outcome.status is EventStatus.FAILURE
    assert outcome.error.startswith("cannot write the output to taken/out.log")


async def test_email_output_to_sends_the_output_through_the_mailer(
    app, mailer: RecordingMailer, schedule
):
    schedule.command("test:prune", days=3).description("Prune records").email_output_to(
        ["ops@example.com", Address("cto@example.com", "CTO")]
    )
    await run(app, schedule)

    [message] = mailer.sent
    assert message.subject == "Scheduled Job Output For [Prune records]"
    assert [a.email for a in message.to] == ["ops@example.com", "cto@example.com"]
    assert message.text == "Pruned records older than 3 days."


async def test_email_output_only_if_output_exists(app, mailer: RecordingMailer, schedule):
    schedule.call(say, text="").email_output_to("ops@example.com", only_if_output=True)
    schedule.call(say, text="").email_output_to("ops@example.com")
    await run(app, schedule)

    [message] = mailer.sent
    assert message.text == "(no output)"


async def test_email_output_on_failure_sends_only_when_the_run_failed(
    app, mailer: RecordingMailer, schedule
):
    schedule.call(say, text="all good").email_output_on_failure("ops@example.com")
    schedule.call(fail).name("backup").email_output_on_failure("ops@example.com")
    await run(app, schedule)

    [message] = mailer.sent
    assert message.subject == "Scheduled Job Output For [backup] (failed)"
    assert message.text == "RuntimeError: the backup disk is gone"


async def test_both_mail_settings_send_one_message_to_everyone(
    app, mailer: RecordingMailer, schedule
):
    schedule.call(fail).name("backup").email_output_to("team@example.com").email_output_on_failure(
        "ops@example.com"
    )
    await run(app, schedule)

    [message] = mailer.sent
    assert sorted(a.email for a in message.to) == ["ops@example.com", "team@example.com"]


async def test_a_mailer_that_fails_fails_the_event_but_not_the_run(app, schedule):
    class DownMailer(RecordingMailer):
        async def send(self, message):
            raise ConnectionError("smtp is down")

    from foundry.domain.mail import Mailer

    app.instance(Mailer, DownMailer())
    schedule.call(say, text="x").email_output_to("ops@example.com")
    schedule.call(say, text="y")

    first, second = await run(app, schedule)

    assert first.status is EventStatus.FAILURE
    assert first.error == "cannot e-mail the output: ConnectionError: smtp is down"
    assert second.ok


def test_emailing_output_without_a_mailer_is_an_error_at_schedule_load(make_app):
    def declare(app, schedule: Schedule) -> None:
        schedule.command("test:prune").email_output_on_failure("ops@example.com")

    app = make_app(mailer=None, hook=declare)

    with pytest.raises(ScheduleError, match=r"No Mailer is bound\. Install foundry-mail"):
        app.make(Schedule)
