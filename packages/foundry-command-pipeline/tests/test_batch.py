"""``Pipeline.batch``: concurrent runs, bounded, summarised."""

from __future__ import annotations

import json

import pytest

from foundry.command_pipeline import Pipeline, PipelineError, Step
from foundry.domain.commands import CommandStatus, Verbosity
from foundry.domain.errors import CommandNotFoundError, InputError


async def test_batch_commands_overlap(app):
    # test:ping waits for test:pong's signal and test:pong for test:ping's: they can only
    # both succeed when they run at the same time.
    result = await Pipeline(app).batch(["test:ping", "test:pong"], concurrency=2)

    assert result.ok, result.to_dict()
    assert [step.exit_code for step in result.steps] == [0, 0]


async def test_batch_never_runs_more_than_the_concurrency_at_once(app, gauge):
    result = await Pipeline(app).batch(["test:gate"] * 6, concurrency=2)

    assert result.ok
    assert gauge.peak == 2


async def test_batch_without_a_bound_starts_everything_together(app, gauge):
    await Pipeline(app).batch(["test:gate"] * 5, concurrency=10)

    assert gauge.peak == 5


async def test_batch_summary_counts_and_per_command_results(app, journal):
    result = await Pipeline(app, stop_on_error=False).batch(
        ["test:record", ("test:fail", {"code": 3}), "test:skip", Step("test:record", argv=("x",))],
        concurrency=4,
    )

    assert not result.ok
    assert result.status is CommandStatus.FAILURE
    assert (result.succeeded, result.failed, result.skipped) == (2, 1, 1)
    assert [step.step.command for step in result.steps] == [
        "test:record",
        "test:fail",
        "test:skip",
        "test:record",
    ]
    assert [step.exit_code for step in result.steps] == [0, 3, 0, 0]
    assert all(step.duration_ms >= 0 for step in result.steps)
    assert sorted(journal.entries) == ["fail", "record", "skip", "x"]
    body = json.loads(json.dumps(result.to_dict()))
    assert body["parallel"] is True
    assert body["concurrency"] == 4
    assert (body["succeeded"], body["failed"], body["skipped"], body["total"]) == (2, 1, 1, 4)
    assert [s["exit_code"] for s in body["steps"]] == [0, 3, 0, 0]


async def test_with_stop_on_error_a_failure_keeps_waiting_commands_from_starting(app, journal):
    result = await Pipeline(app).batch(
        ["test:fail", "test:record", ("test:record", {"label": "b"})], concurrency=1
    )

    assert journal.entries == ["fail"]
    assert [step.status.value for step in result.steps] == ["failure", "skipped", "skipped"]
    assert result.steps[1].reason == "not started: test:fail failed"
    assert (result.succeeded, result.failed, result.skipped) == (0, 1, 2)


async def test_batch_runs_the_hooks_after_the_commands(app, journal):
    result = await (
        Pipeline(app, stop_on_error=False)
        .on_failure("test:record", label="alert")
        .on_success("test:record", label="celebrate")
        .finally_("test:record", label="cleanup")
        .batch(["test:record", "test:fail"], concurrency=2)
    )

    assert journal.entries[-2:] == ["alert", "cleanup"]
    assert [step.phase for step in result.steps] == ["main", "main", "on_failure", "finally"]


async def test_batch_checks_every_command_before_running_any(app, journal):
    with pytest.raises(CommandNotFoundError):
        await Pipeline(app).batch(["test:record", "test:nope"])

    assert journal.entries == []


@pytest.mark.parametrize("concurrency", [0, -1, 1.5, True])
async def test_a_concurrency_below_one_or_not_whole_is_refused(app, concurrency):
    with pytest.raises(PipelineError) as caught:
        await Pipeline(app).batch(["test:record"], concurrency=concurrency)

    assert "concurrency" in caught.value.message


async def test_an_empty_batch_is_refused(app):
    with pytest.raises(PipelineError):
        await Pipeline(app).batch([])


async def test_batch_refuses_a_pipeline_that_already_has_chained_steps(app, journal):
    with pytest.raises(PipelineError) as caught:
        await Pipeline(app).then("test:record").batch(["test:record"])

    assert "then()" in caught.value.message
    assert journal.entries == []


async def test_something_that_is_not_a_step_is_refused(app):
    with pytest.raises(InputError):
        await Pipeline(app).batch([("test:record", "not a mapping")])  # type: ignore[list-item]


async def test_each_concurrent_step_s_output_is_written_in_one_piece_when_it_finishes(
    app, captured
):
    # "a" starts first but pauses longer, so "b" finishes first. Written as they went, the
    # lines would read a 1, b 1, b 2, a 2.
    result = await Pipeline(app, output=captured.output).batch(
        [Step.parse("test:chatty a --pauses 5"), Step.parse("test:chatty b")], concurrency=2
    )

    assert result.ok
    assert captured.stdout.getvalue().splitlines() == ["b 1", "b 2", "a 1", "a 2"]


async def test_a_concurrent_step_s_captured_lines_are_on_its_result(app, captured):
    result = await Pipeline(app, output=captured.output).batch(
        [Step.parse("test:chatty a --complain"), Step.parse("test:chatty b")], concurrency=2
    )

    first, second = result.steps
    assert first.output == "a 1\na complains\na 2"
    assert [(line.kind, line.stream) for line in first.lines] == [
        ("info", "stdout"),
        ("error", "stderr"),
        ("line", "stdout"),
    ]
    assert second.output == "b 1\nb 2"
    assert captured.stderr.getvalue() == "a complains\n"
    assert "complains" not in captured.stdout.getvalue()


async def test_grouped_output_keeps_the_pipeline_s_verbosity(app, captured):
    captured.verbosity = Verbosity.QUIET
    result = await Pipeline(app, output=captured.output, verbosity=Verbosity.QUIET).batch(
        [Step.parse("test:chatty a --complain")]
    )

    assert result.steps[0].output == "a complains"
    assert captured.stdout.getvalue() == ""
    assert captured.stderr.getvalue() == "a complains\n"


async def test_without_an_output_a_batch_writes_to_the_application_s_console(app, capsys):
    await Pipeline(app).batch([Step.parse("test:chatty a"), Step.parse("test:chatty b")])

    assert capsys.readouterr().out.splitlines() == ["a 1", "a 2", "b 1", "b 2"]


async def test_the_hooks_of_a_batch_write_as_they_go(app, captured):
    result = await (
        Pipeline(app, output=captured.output)
        .finally_("test:record", label="cleanup")
        .batch(["test:record"])
    )

    assert captured.stdout.getvalue().splitlines() == ["recorded record", "recorded cleanup"]
    assert result.steps[0].output == "recorded record"
    assert result.steps[1].lines == ()
