"""``Pipeline.run``: order, stop on error, on_success / on_failure / finally_."""

from __future__ import annotations

import pytest

from foundry.command_pipeline import Pipeline, PipelineError, Step, pipeline
from foundry.domain.commands import CommandStatus
from foundry.domain.errors import CommandNotFoundError, InputError


async def test_steps_run_in_the_order_they_were_added(app, journal, captured):
    result = await (
        Pipeline(app, output=captured.output)
        .then("test:record", label="a")
        .then("test:record", {"label": "b"}, times=2)
        .then(Step("test:record", argv=("c",)))
        .run()
    )

    assert journal.entries == ["a", "b", "b", "c"]
    assert result.ok
    assert result.status is CommandStatus.SUCCESS
    assert [step.status for step in result.steps] == [CommandStatus.SUCCESS] * 3
    assert [step.exit_code for step in result.steps] == [0, 0, 0]
    assert result.steps[1].message == "Recorded b."
    assert result.steps[1].data == {"label": "b"}
    assert captured.stdout.getvalue().splitlines() == ["recorded a", "recorded b", "recorded c"]


async def test_sequential_steps_write_as_they_go_and_are_not_captured(app, captured):
    printed_before: list[str] = []
    result = await (
        Pipeline(app, output=captured.output)
        .then("test:record", label="a")
        .then("test:record", label="b")
        .before_each(lambda step: printed_before.append(captured.stdout.getvalue()))
        .run()
    )

    assert printed_before == ["", "recorded a\n"]  # a's line was out before b started
    assert [step.lines for step in result.steps] == [(), ()]
    assert result.steps[0].output == ""


async def test_the_first_failure_stops_the_chain_and_the_rest_are_skipped(app, journal):
    result = await (
        Pipeline(app)
        .then("test:record", label="a")
        .then("test:fail", label="boom")
        .then("test:record", label="never")
        .run()
    )

    assert journal.entries == ["a", "boom"]
    assert not result.ok
    assert result.status is CommandStatus.FAILURE
    _first, failed, skipped = result.steps
    assert failed.status is CommandStatus.FAILURE
    assert failed.exit_code == 1
    assert failed.error == "boom broke on purpose"
    assert skipped.status is CommandStatus.SKIPPED
    assert skipped.exit_code is None
    assert not skipped.ran
    assert skipped.reason == "not run: test:fail label='boom' failed"
    assert (result.succeeded, result.failed, result.skipped) == (1, 1, 1)
    assert result.first_failure is failed


async def test_without_stop_on_error_every_step_runs(app, journal):
    result = await (
        Pipeline(app, stop_on_error=False)
        .then("test:fail", label="boom")
        .then("test:record", label="after")
        .on_failure("test:record", label="handled")
        .run()
    )

    assert journal.entries == ["boom", "after", "handled"]
    assert not result.ok
    assert (result.succeeded, result.failed, result.skipped) == (2, 1, 0)


async def test_on_success_runs_when_every_step_succeeded_and_on_failure_does_not(app, journal):
    result = await (
        pipeline(app)
        .then("test:record", label="work")
        .on_success("test:record", label="celebrate")
        .on_failure("test:record", label="alert")
        .finally_("test:record", label="cleanup")
        .run()
    )

    assert journal.entries == ["work", "celebrate", "cleanup"]
    assert result.ok
    assert [step.phase for step in result.steps] == ["main", "on_success", "finally"]
    assert [s.step.command for s in result.phase("on_success")] == ["test:record"]


async def test_on_failure_runs_when_a_step_failed_and_on_success_does_not(app, journal):
    result = await (
        Pipeline(app)
        .then("test:fail", label="boom")
        .on_success("test:record", label="celebrate")
        .on_failure("test:record", label="alert")
        .finally_("test:record", label="cleanup")
        .run()
    )

    assert journal.entries == ["boom", "alert", "cleanup"]
    assert not result.ok
    assert [step.phase for step in result.steps] == ["main", "on_failure", "finally"]
    assert result.phase("on_failure")[0].ok


async def test_finally_steps_always_all_run_even_when_one_fails(app, journal):
    result = await (
        Pipeline(app)
        .then("test:record", label="work")
        .finally_("test:fail", label="cleanup-1")
        .finally_("test:record", label="cleanup-2")
        .run()
    )

    assert journal.entries == ["work", "cleanup-1", "cleanup-2"]
    assert not result.ok
    assert result.first_failure is not None
    assert result.first_failure.phase == "finally"


async def test_a_failing_on_success_step_fails_the_pipeline_and_stops_its_phase(app, journal):
    result = await (
        Pipeline(app)
        .then("test:record", label="work")
        .on_success("test:fail", label="notify")
        .on_success("test:record", label="never")
        .finally_("test:record", label="cleanup")
        .run()
    )

    assert journal.entries == ["work", "notify", "cleanup"]
    assert not result.ok
    assert [s.status.value for s in result.steps] == ["success", "failure", "skipped", "success"]


async def test_a_non_zero_exit_code_is_a_failure_with_that_code(app):
    result = await Pipeline(app).then("test:fail", code=3).run()

    assert result.steps[0].exit_code == 3
    assert result.steps[0].status is CommandStatus.FAILURE
    assert result.summary().startswith("Pipeline failed at test:fail code=3 (exit 3): ")


async def test_a_command_reporting_skipped_counts_as_skipped_not_failed(app):
    result = await Pipeline(app).then("test:skip").then("test:record").run()

    assert result.ok
    assert result.steps[0].status is CommandStatus.SKIPPED
    assert result.steps[0].reason == "Nothing to do."
    assert (result.succeeded, result.failed, result.skipped) == (1, 0, 1)


async def test_global_flags_reach_the_step_or_every_step(app, journal):
    await (
        Pipeline(app)
        .then("test:flags", force=True, level=2)
        .then("test:flags", dry_run=True)
        .then(Step.parse("test:flags --force --level 3"))
        .run()
    )
    await Pipeline(app, dry_run=True, force=True).then("test:flags").run()

    assert journal.flags == [
        {"force": True, "dry_run": False, "level": 2},
        {"force": False, "dry_run": True, "level": 0},
        {"force": True, "dry_run": False, "level": 3},
        {"force": True, "dry_run": True, "level": 0},
    ]


async def test_a_bad_parameter_fails_its_step_with_the_usage_error(app, journal):
    result = await Pipeline(app).then("test:record", times="many").then("test:record").run()

    assert result.steps[0].exit_code == 2
    assert type(result.steps[0].exit_code) is int
    assert result.steps[0].error == '--times: "many" is not an integer'
    assert journal.entries == []


async def test_an_unknown_command_fails_the_run_before_anything_ran(app, journal):
    builder = Pipeline(app).then("test:record").then("test:recrod").finally_("test:record")

    with pytest.raises(CommandNotFoundError) as caught:
        await builder.run()

    assert "test:record" in caught.value.message
    assert journal.entries == []


async def test_an_unknown_hook_command_is_also_caught_up_front(app, journal):
    builder = Pipeline(app).then("test:record").on_failure("test:alert")

    with pytest.raises(CommandNotFoundError):
        await builder.run()
    assert journal.entries == []


async def test_a_pipeline_without_steps_is_refused(app):
    with pytest.raises(PipelineError) as caught:
        await Pipeline(app).finally_("test:record").run()

    assert ".then(" in caught.value.message


def test_a_key_given_twice_is_refused_when_building(app):
    with pytest.raises(InputError) as caught:
        Pipeline(app).then("test:record", {"label": "a"}, label="b")

    assert '"label" was given twice' in caught.value.message


def test_a_step_object_with_extra_parameters_is_refused(app):
    with pytest.raises(PipelineError):
        Pipeline(app).then(Step("test:record"), label="x")


async def test_before_and_after_callbacks_see_each_step(app):
    seen: list[str] = []

    async def after(result):
        seen.append(f"after {result.step.command} {result.status.value}")

    await (
        Pipeline(app)
        .before_each(lambda step: seen.append(f"before {step.command}"))
        .after_each(after)
        .then("test:record")
        .then("test:skip")
        .run()
    )

    assert seen == [
        "before test:record",
        "after test:record success",
        "before test:skip",
        "after test:skip skipped",
    ]


async def test_a_pipeline_can_be_run_again(app, journal):
    builder = Pipeline(app).then("test:record", label="x")

    await builder.run()
    await builder.run()

    assert journal.entries == ["x", "x"]
    assert builder.steps() == (Step("test:record", {"label": "x"}),)


async def test_to_dict_is_json_ready(app):
    import json

    result = await Pipeline(app).then("test:record", label="a").then("test:fail").run()

    body = json.loads(json.dumps(result.to_dict()))
    assert body["status"] == "failure"
    assert body["parallel"] is False
    assert (body["total"], body["succeeded"], body["failed"], body["skipped"]) == (2, 1, 1, 0)
    assert body["steps"][0]["command"] == "test:record"
    assert body["steps"][0]["step"] == "test:record label='a'"
    assert body["steps"][0]["data"] == {"label": "a"}
    assert body["steps"][1]["exit_code"] == 1
    assert body["steps"][1]["error"] == "fail broke on purpose"
