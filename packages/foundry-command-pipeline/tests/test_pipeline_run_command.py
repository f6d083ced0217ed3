"""``pipeline:run`` end to end, through the kernel's CommandRunner."""

from __future__ import annotations

import pytest

from foundry.domain.application import CommandRunner


@pytest.fixture
def run(app, captured):
    runner = app.make(CommandRunner)

    async def run_command(*argv: str, **kwargs):
        return await runner.run("pipeline:run", list(argv), output=captured.output, **kwargs)

    return run_command


async def test_steps_run_in_order_and_a_summary_table_is_printed(run, journal, captured):
    outcome = await run("test:record a", "test:record 'b c' --times 2")

    assert outcome.exit_code == 0
    assert journal.entries == ["a", "b c", "b c"]
    printed = captured.stdout.getvalue().splitlines()
    assert printed[:4] == [
        "Running test:record a",
        "recorded a",
        "Running test:record 'b c' --times 2",
        "recorded b c",
    ]
    assert "Pipeline" in printed
    header = next(line for line in printed if line.startswith("Step"))
    assert header.split() == ["Step", "Phase", "Status", "Exit", "Time", "Note"]
    rows = [line for line in printed if line.startswith("test:record")]
    assert rows[0].split()[:5] == ["test:record", "a", "main", "success", "0"]
    assert outcome.result.message is not None
    assert outcome.result.message.startswith("Pipeline succeeded: 2 succeeded, 0 failed, 0 skipped")


async def test_json_format_returns_the_summary_as_data_and_prints_nothing_of_its_own(run, captured):
    outcome = await run("test:record a", "test:skip", format="json")

    assert outcome.exit_code == 0
    data = outcome.result.data
    assert data["status"] == "success"
    assert (data["total"], data["succeeded"], data["failed"], data["skipped"]) == (2, 1, 0, 1)
    assert [s["step"] for s in data["steps"]] == ["test:record a", "test:skip"]
    assert "Running" not in captured.stdout.getvalue()
    assert "Step" not in captured.stdout.getvalue()


async def test_a_failing_step_stops_the_rest_and_exits_1(run, journal, captured):
    outcome = await run("test:record a", "test:fail boom", "test:record never")

    assert outcome.exit_code == 1
    assert journal.entries == ["a", "boom"]
    assert outcome.error is not None
    assert outcome.error.startswith("Pipeline failed at test:fail boom (exit 1): ")
    printed = captured.stdout.getvalue()
    assert "boom broke on purpose" in printed
    assert "not run: test:fail boom failed" in printed


async def test_continue_on_error_runs_every_step(run, journal):
    outcome = await run("test:fail boom", "test:record after", "--continue-on-error")

    assert outcome.exit_code == 1
    assert journal.entries == ["boom", "after"]
    assert outcome.result.data["failed"] == 1
    assert outcome.result.data["succeeded"] == 1


async def test_hooks_from_the_command_line(run, journal):
    failed = await run(
        "test:fail boom",
        "--on-success",
        "test:record yay",
        "--on-failure",
        "test:record alert",
        "--finally",
        "test:record cleanup",
    )

    assert failed.exit_code == 1
    assert journal.entries == ["boom", "alert", "cleanup"]
    phases = [s["phase"] for s in failed.result.data["steps"]]
    assert phases == ["main", "on_failure", "finally"]


async def test_parallel_runs_the_steps_concurrently(run, captured):
    outcome = await run("test:ping", "test:pong", "--parallel", "--concurrency", "2")

    assert outcome.exit_code == 0, outcome.result.data
    assert outcome.result.data["parallel"] is True
    assert outcome.result.data["concurrency"] == 2
    printed = captured.stdout.getvalue()
    assert "Running 2 step(s), 2 at a time" in printed
    assert "Parallel batch (2 at a time)" in printed


async def test_step_flags_and_pipeline_flags_reach_the_steps(run, journal):
    await run("test:flags --force --level 1", "test:flags")
    await run("test:flags", dry_run=True, force=True)

    assert journal.flags == [
        {"force": True, "dry_run": False, "level": 1},
        {"force": False, "dry_run": False, "level": 0},
        {"force": True, "dry_run": True, "level": 0},
    ]


async def test_an_unknown_command_is_a_usage_error_and_nothing_runs(run, journal):
    outcome = await run("test:record a", "test:recrod b")

    assert outcome.exit_code == 2
    assert outcome.error is not None
    assert 'Command "test:recrod" is not defined.' in outcome.error
    assert "Nothing was run." in outcome.error
    assert journal.entries == []


async def test_unbalanced_quotes_are_a_usage_error_and_nothing_runs(run, journal):
    outcome = await run("test:record a", 'test:record "b')

    assert outcome.exit_code == 2
    assert outcome.error is not None
    assert "No closing quotation" in outcome.error
    assert journal.entries == []


async def test_no_steps_is_a_usage_error(run, journal):
    # STEPS is a required list argument: the input parser refuses an empty one, with the
    # message every command gets for a missing argument.
    outcome = await run()

    assert outcome.exit_code == 2
    assert outcome.error == "missing argument STEPS"
    assert journal.entries == []


async def test_a_concurrency_below_one_is_a_usage_error(run, journal):
    outcome = await run("test:record", "--parallel", "--concurrency", "0")

    assert outcome.exit_code == 2
    assert journal.entries == []


async def test_a_bad_parameter_inside_a_step_fails_that_step_with_exit_2(run, journal):
    outcome = await run("test:record a --times many")

    assert outcome.exit_code == 1
    [step] = outcome.result.data["steps"]
    assert step["exit_code"] == 2
    assert step["error"] == '--times: "many" is not an integer'
