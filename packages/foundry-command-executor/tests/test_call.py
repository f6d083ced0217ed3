"""``Executor.call`` / ``call_sync``: captured output, exit codes, validation, global flags."""

from __future__ import annotations

import pytest

from foundry.command_executor import CALL_RESERVED, CallInEventLoopError, Executor
from foundry.domain.commands import CommandStatus, Verbosity
from foundry.domain.errors import CommandError, CommandFailedError
from foundry.domain.execution import ExecutionResult


@pytest.fixture
def executor(app):
    executor = app.make(Executor)
    yield executor
    executor.close()


async def test_call_captures_everything_the_command_wrote_as_plain_text(executor):
    result = await executor.call("test:migrate", step=2)

    assert isinstance(result, ExecutionResult)
    assert result.ok
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        "Migrating 2 step(s)",
        "careful",
        "Migration     Status",
        "------------  ------",
        "create_users  ran",
        "add_index",
    ]
    assert "\x1b[" not in result.output
    assert [line.kind for line in result.lines[:2]] == ["info", "warning"]
    assert result.message == "Migrated."
    assert result.status is CommandStatus.SUCCESS
    assert result.error is None
    assert result.duration_ms >= 0


async def test_call_returns_the_command_result_data(executor):
    result = await executor.call("test:migrate", step=3, seed=True, tag=["a", "b"])

    assert result.data == {
        "step": 3,
        "seed": True,
        "tag": ["a", "b"],
        "force": False,
        "dry_run": False,
        "format": "human",
    }


async def test_params_mapping_and_keywords_combine(executor):
    result = await executor.call("test:migrate", {"step": 4}, seed=True)

    assert result.data["step"] == 4
    assert result.data["seed"] is True


async def test_aliases_run_the_canonical_command(executor, journal):
    result = await executor.call("test:mig")

    assert result.command == "test:migrate"
    assert journal.entries[0]["command"] == "test:migrate"


async def test_force_keyword_is_the_global_force_flag(executor):
    result = await executor.call("test:migrate", force=True)

    assert result.ok
    assert result.data["force"] is True


async def test_dry_run_keyword_is_the_global_dry_run_flag(executor):
    result = await executor.call("test:migrate", dry_run=True)

    assert result.data["dry_run"] is True
    assert result.data["force"] is False


async def test_format_json_sets_ctx_format_and_records_one_json_line(executor):
    result = await executor.call("test:migrate", format="json", step=5)

    assert result.data["format"] == "json"
    [document] = result.json_documents()
    assert document["step"] == 5
    json_lines = [line for line in result.lines if line.kind == "json"]
    assert json_lines[0].text.startswith("{")
    assert "\n" not in json_lines[0].text


async def test_name_is_positional_only_so_a_command_argument_may_be_called_name(executor):
    result = await executor.call("test:greet", name="Ada")

    assert result.ok
    assert result.output == "Hello, Ada!"


async def test_a_command_option_named_like_a_reserved_keyword_goes_in_the_mapping(executor):
    result = await executor.call("test:greet", {"format": "shout"}, name="Ada")

    assert result.output == "HELLO, ADA!"
    assert result.data == {"global_format": "human"}


async def test_reserved_keyword_names_are_documented(executor):
    assert CALL_RESERVED == ("dry_run", "force", "format", "verbosity")


async def test_a_failing_result_comes_back_with_its_exit_code_and_output(executor):
    result = await executor.call("test:fail", code=3)

    assert not result.ok
    assert result.exit_code == 3
    assert result.error == "Nothing to do here."
    assert result.status is CommandStatus.FAILURE
    assert result.output == "about to fail\nit went wrong"
    assert [line.stream for line in result.lines] == ["stdout", "stderr"]


async def test_a_raising_command_exits_1_with_its_message_and_exception(executor):
    result = await executor.call("test:fail", **{"raise": True})

    assert result.exit_code == 1
    assert result.error == "The disk is full: free space on /var and run again."
    assert isinstance(result.exception, CommandError)


async def test_unknown_option_is_a_usage_error_with_the_cli_message(executor, journal):
    result = await executor.call("test:migrate", stpe=2)

    assert result.exit_code == 2
    assert type(result.exit_code) is int
    assert result.error == "unknown option --stpe"
    assert result.data["fields"] == {"stpe": ["unknown option --stpe"]}
    assert journal.entries == []


async def test_badly_typed_value_is_a_usage_error_with_the_cli_message(executor, journal):
    result = await executor.call("test:migrate", step="many")

    assert result.exit_code == 2
    assert result.error == '--step: "many" is not an integer'
    assert journal.entries == []


async def test_missing_argument_is_a_usage_error(executor):
    result = await executor.call("test:greet")

    assert result.exit_code == 2
    assert result.error == "missing argument NAME"


async def test_unknown_command_is_a_usage_error_with_suggestions(executor):
    result = await executor.call("test:migrat")

    assert result.exit_code == 2
    assert result.error is not None
    assert 'Command "test:migrat" is not defined.' in result.error
    assert "test:migrate" in result.error


async def test_calls_are_never_interactive_so_prompted_options_must_be_given(executor):
    missing = await executor.call("test:secret")
    given = await executor.call("test:secret", token="abc")

    assert missing.exit_code == 2
    assert missing.error == "missing --token"
    assert given.output == "token has 3 characters"


async def test_a_key_given_twice_is_refused_before_anything_runs(executor, journal):
    result = await executor.call("test:migrate", {"step": 1}, step=2)

    assert result.exit_code == 2
    assert result.error is not None
    assert '"step" was given twice' in result.error
    assert journal.entries == []


async def test_an_impossible_global_format_is_refused_with_the_way_out(executor, journal):
    result = await executor.call("test:migrate", format="csv")  # type: ignore[arg-type]

    assert result.exit_code == 2
    assert result.error is not None
    assert "not one of human, json" in result.error
    assert 'call("test:migrate", {"format": "csv"})' in result.error
    assert journal.entries == []


async def test_an_impossible_verbosity_is_refused(executor):
    result = await executor.call("test:migrate", verbosity=9)

    assert result.exit_code == 2
    assert result.error is not None
    assert "verbosity=9" in result.error


async def test_verbosity_decides_which_lines_are_captured(executor):
    quiet = await executor.call("test:fail", verbosity=Verbosity.QUIET)
    normal = await executor.call("test:migrate")
    debug = await executor.call("test:migrate", verbosity=Verbosity.DEBUG)

    assert quiet.output == "it went wrong"
    assert "verbose detail" not in normal.output
    assert "verbose detail" in debug.output
    assert "debug detail" in debug.output


async def test_progress_bars_and_spinners_are_silent(executor):
    result = await executor.call("test:busy")

    assert result.ok
    assert result.output == "done"


async def test_concurrent_calls_keep_their_output_apart(executor):
    import asyncio

    first, second = await asyncio.gather(
        executor.call("test:greet", name="Ada"), executor.call("test:greet", name="Grace")
    )

    assert first.output == "Hello, Ada!"
    assert second.output == "Hello, Grace!"


async def test_raise_on_failure_raises_with_the_result_attached(executor):
    result = await executor.call("test:fail")

    with pytest.raises(CommandFailedError) as caught:
        result.raise_on_failure()
    assert caught.value.result is result
    assert caught.value.message == (
        'Command "test:fail" failed with exit code 1: Nothing to do here.'
    )
    ok = await executor.call("test:greet", name="Ada")
    assert ok.raise_on_failure() is ok


async def test_to_dict_is_json_ready(executor):
    import json

    result = await executor.call("test:greet", name="Ada")

    body = json.loads(json.dumps(result.to_dict()))
    assert body["command"] == "test:greet"
    assert body["status"] == "success"
    assert body["exit_code"] == 0
    assert body["output"] == "Hello, Ada!"
    assert body["message"] == "Hello, Ada!"


def test_call_sync_runs_from_synchronous_code(executor, journal):
    result = executor.call_sync("test:migrate", step=2, force=True)

    assert result.ok
    assert result.data["step"] == 2
    assert result.data["force"] is True
    assert journal.entries[0]["step"] == 2


def test_call_sync_reports_failures_like_call(executor):
    result = executor.call_sync("test:migrate", step="x")

    assert result.exit_code == 2
    assert result.error == '--step: "x" is not an integer'


async def test_call_sync_inside_a_running_loop_is_refused_with_the_fix(executor, journal):
    with pytest.raises(CallInEventLoopError) as caught:
        executor.call_sync("test:migrate")

    assert "await executor.call(" in caught.value.message
    assert isinstance(caught.value, RuntimeError)
    assert journal.entries == []


def test_call_sync_reuses_one_event_loop_until_closed(executor, journal):
    executor.call_sync("test:loop")
    executor.call_sync("test:loop")
    executor.close()
    executor.call_sync("test:loop")

    first, second, third = journal.entries
    assert first["loop"] is second["loop"]
    assert third["loop"] is not first["loop"]
    assert first["loop"].is_closed()


def test_call_sync_from_several_threads_takes_turns(executor, journal):
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda n: executor.call_sync("test:migrate", step=n), range(8)))

    assert [r.data["step"] for r in results] == list(range(8))
    assert all(r.ok for r in results)
    assert sorted(e["step"] for e in journal.entries) == list(range(8))


async def test_close_without_a_sync_loop_does_nothing_even_inside_a_loop(executor):
    executor.close()


async def test_call_sync_works_from_a_worker_thread_of_async_code(executor):
    import asyncio

    result = await asyncio.to_thread(executor.call_sync, "test:greet", name="Ada")

    assert result.output == "Hello, Ada!"
    with pytest.raises(CallInEventLoopError):
        executor.close()  # its loop exists now, and this thread is running another one
