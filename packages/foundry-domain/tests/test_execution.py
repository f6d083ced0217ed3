"""``ExecutionResult``, the ``CommandCaller`` contract and ``PermanentJobFailure``."""

from __future__ import annotations

import json
from typing import Any

import pytest

from foundry.domain.application import CommandCaller, CommandOutcome
from foundry.domain.commands import CommandResult, CommandStatus, ExitCode
from foundry.domain.contracts import unbound_message
from foundry.domain.errors import CommandError, CommandFailedError, FoundryError
from foundry.domain.execution import ExecutionResult
from foundry.domain.outputs import OutputLine
from foundry.domain.queue import PermanentJobFailure

LINES = (
    OutputLine("Migrating", "info"),
    OutputLine('{"migrated": 2}', "json"),
    OutputLine("disk nearly full", "error", "stderr"),
)


def outcome(code: int, message: str | None = None) -> CommandOutcome:
    if code == 0:
        result = CommandResult.success(message, data={"migrated": 2})
    else:
        result = CommandResult.failure(message or "failed", exit_code=code)
    return CommandOutcome("migrate", result, code, 12.3456, None if code == 0 else message)


def test_a_result_combines_the_outcome_with_the_captured_lines():
    result = ExecutionResult.from_outcome(outcome(0, "Migrated."), LINES)

    assert result.ok
    assert (result.command, result.exit_code, result.status) == (
        "migrate",
        0,
        CommandStatus.SUCCESS,
    )
    assert result.output == 'Migrating\n{"migrated": 2}\ndisk nearly full'
    assert (result.message, result.data) == ("Migrated.", {"migrated": 2})
    assert result.json_documents() == [{"migrated": 2}]


def test_the_exit_code_is_a_plain_int_whatever_the_runner_handed():
    result = ExecutionResult.from_outcome(outcome(ExitCode.USAGE, "missing --name"), ())

    assert result.exit_code == 2
    assert type(result.exit_code) is int


def test_raise_on_failure_raises_command_failed_error_carrying_the_result():
    failed = ExecutionResult.from_outcome(outcome(3, "Nothing to do here."), LINES)

    with pytest.raises(CommandFailedError) as caught:
        failed.raise_on_failure()

    assert caught.value.result is failed
    assert caught.value.message == (
        'Command "migrate" failed with exit code 3: Nothing to do here.'
    )
    assert caught.value.context == {"command": "migrate", "exit_code": 3}
    assert isinstance(caught.value, CommandError)
    ok = ExecutionResult.from_outcome(outcome(0), ())
    assert ok.raise_on_failure() is ok


def test_a_failure_without_a_reason_still_says_so():
    silent = ExecutionResult("x", 1, "", CommandResult(CommandStatus.FAILURE), 0.0)

    assert CommandFailedError(silent).message.endswith("exit code 1: no reason given")


def test_to_dict_is_json_ready():
    result = ExecutionResult.from_outcome(outcome(0, "Migrated."), LINES)

    body = json.loads(json.dumps(result.to_dict()))

    assert body == {
        "command": "migrate",
        "status": "success",
        "exit_code": 0,
        "message": "Migrated.",
        "data": {"migrated": 2},
        "error": None,
        "output": 'Migrating\n{"migrated": 2}\ndisk nearly full',
        "duration_ms": 12.346,
    }


def test_the_exception_behind_a_failure_is_not_part_of_equality():
    first = ExecutionResult("x", 1, "", CommandResult.failure("no"), 1.0, exception=KeyError())
    second = ExecutionResult("x", 1, "", CommandResult.failure("no"), 1.0, exception=None)

    assert first == second


class Caller:
    async def call(self, name: str, params: Any = None, /, **options: Any) -> ExecutionResult:
        return ExecutionResult.from_outcome(outcome(0), ())

    async def queue_call(self, name: str, params: Any = None, /, **options: Any) -> str:
        return "job-1"


def test_command_caller_is_a_runtime_checkable_contract_of_the_executor_package():
    assert isinstance(Caller(), CommandCaller)
    assert not isinstance(object(), CommandCaller)
    assert unbound_message(CommandCaller) == (
        "No CommandCaller is bound. Install foundry-command-executor or bind "
        "foundry.domain.application.CommandCaller in a provider."
    )


def test_a_permanent_job_failure_is_a_foundry_error_a_job_raises_on_purpose():
    def handle() -> None:
        raise PermanentJobFailure("Order 7 no longer exists; nothing to ship.") from KeyError(7)

    with pytest.raises(FoundryError) as caught:
        handle()
    assert isinstance(caught.value, PermanentJobFailure)
    assert caught.value.code == "PERMANENT_JOB_FAILURE"
    assert isinstance(caught.value.__cause__, KeyError)
