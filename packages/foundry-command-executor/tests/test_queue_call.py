"""``queue_call``: a ``RunCommand`` job whose payload alone is enough for a worker."""

from __future__ import annotations

import importlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from foundry.command_executor import QUEUE_RESERVED, Executor, RunCommand
from foundry.domain.errors import (
    BindingResolutionError,
    CommandFailedError,
    CommandNotFoundError,
    InputError,
)
from foundry.domain.queue import Job, PermanentJobFailure, QueueDispatcher


@dataclass
class Stored:
    job: str
    payload: str
    queue: str | None
    delay: float
    connection: str | None


@dataclass
class StoringDispatcher:
    """A queue that keeps jobs the way a database or Redis driver would: as text."""

    stored: list[Stored] = field(default_factory=list)

    async def dispatch(
        self,
        job: Any,
        *,
        queue: str | None = None,
        delay: float = 0,
        connection: str | None = None,
    ) -> str:
        assert isinstance(job, Job)
        cls = type(job)
        self.stored.append(
            Stored(
                f"{cls.__module__}:{cls.__qualname__}",
                json.dumps(job.payload()),
                queue,
                delay,
                connection,
            )
        )
        return f"job-{len(self.stored)}"

    def connection(self, name: str | None = None) -> Any:
        raise AssertionError("not used by queue_call")

    async def work_one(self, executor: Executor) -> None:
        """Do what a worker does: rebuild the job from text, then handle it."""
        entry = self.stored.pop(0)
        module, _, qualname = entry.job.partition(":")
        cls = getattr(importlib.import_module(module), qualname)
        job = cls(**json.loads(entry.payload))
        await job.handle(executor)


@pytest.fixture
def queue(app) -> StoringDispatcher:
    dispatcher = StoringDispatcher()
    app.instance(QueueDispatcher, dispatcher)
    return dispatcher


@pytest.fixture
def executor(app) -> Executor:
    return app.make(Executor)


async def test_queue_call_dispatches_a_run_command_job_with_a_json_payload(executor, queue):
    job_id = await executor.queue_call("test:mig", step=2, tag=("a", "b"), force=True)

    assert job_id == "job-1"
    [entry] = queue.stored
    assert entry.job == "foundry.command_executor.job:RunCommand"
    assert json.loads(entry.payload) == {
        "command": "test:migrate",
        "params": {"step": 2, "tag": ["a", "b"]},
        "dry_run": False,
        "force": True,
    }


async def test_a_worker_rebuilds_the_job_from_its_payload_and_runs_the_command(
    executor, queue, journal
):
    await executor.queue_call("test:migrate", {"step": 7}, seed=True, dry_run=True)
    assert journal.entries == []  # queued, not run

    await queue.work_one(executor)

    [entry] = journal.entries
    assert entry["command"] == "test:migrate"
    assert entry["step"] == 7
    assert entry["seed"] is True
    assert entry["dry_run"] is True
    assert entry["force"] is False


async def test_a_failing_queued_command_raises_so_the_queue_retries(executor, queue, journal):
    await executor.queue_call("test:fail", code=4)

    with pytest.raises(CommandFailedError) as caught:
        await queue.work_one(executor)

    assert not isinstance(caught.value, PermanentJobFailure)
    assert caught.value.message == (
        'Command "test:fail" failed with exit code 4: Nothing to do here.'
    )
    assert caught.value.result.output == "about to fail\nit went wrong"
    assert journal.entries == [{"command": "test:fail"}]
    assert RunCommand.tries > 1


async def test_a_queued_run_that_exits_2_fails_at_once_without_retries(executor, queue, journal):
    # A worker that picks the job up after the command's options changed: the parameters
    # that were valid at dispatch are now a usage error, which no retry can fix.
    await executor.queue_call("test:migrate", step=2)
    queue.stored[0].payload = queue.stored[0].payload.replace('"step"', '"stpe"')

    with pytest.raises(PermanentJobFailure) as caught:
        await queue.work_one(executor)

    assert caught.value.message == (
        'Command "test:migrate" failed with exit code 2: unknown option --stpe. A usage '
        "error fails the same way on every attempt, so the job is not retried: fix the "
        "parameters and queue it again."
    )
    assert caught.value.context == {"command": "test:migrate", "exit_code": 2}
    assert isinstance(caught.value.__cause__, CommandFailedError)
    assert caught.value.__cause__.result.exit_code == 2
    assert journal.entries == []


async def test_a_queued_command_that_exits_2_itself_is_not_retried_either(executor, queue):
    await executor.queue_call("test:fail", code=2)

    with pytest.raises(PermanentJobFailure):
        await queue.work_one(executor)


async def test_delivery_options_reach_the_dispatcher(executor, queue):
    await executor.queue_call(
        "test:migrate", on_queue="maintenance", on_connection="redis", delay=30
    )

    [entry] = queue.stored
    assert (entry.queue, entry.connection, entry.delay) == ("maintenance", "redis", 30)
    assert QUEUE_RESERVED == ("dry_run", "force", "on_queue", "on_connection", "delay")


async def test_paths_are_queued_as_strings(executor, queue):
    await executor.queue_call("test:greet", name=Path("docs") / "ada")

    assert json.loads(queue.stored[0].payload)["params"] == {"name": str(Path("docs/ada"))}


async def test_an_unknown_command_is_refused_at_dispatch(executor, queue):
    with pytest.raises(CommandNotFoundError) as caught:
        await executor.queue_call("test:migrat")

    assert "test:migrate" in caught.value.message
    assert queue.stored == []


async def test_an_unknown_parameter_is_refused_at_dispatch_not_on_the_worker(executor, queue):
    with pytest.raises(InputError) as caught:
        await executor.queue_call("test:migrate", stpe=2)

    assert caught.value.message == ('unknown option --stpe for "test:migrate" (nothing was queued)')
    assert queue.stored == []


async def test_a_value_that_is_not_json_is_refused_naming_the_parameter(executor, queue):
    with pytest.raises(InputError) as caught:
        await executor.queue_call("test:greet", name=object())

    assert caught.value.field == "name"
    assert "cannot be queued" in caught.value.message
    assert queue.stored == []


async def test_a_key_given_twice_is_refused(executor, queue):
    with pytest.raises(InputError):
        await executor.queue_call("test:migrate", {"step": 1}, step=2)

    assert queue.stored == []


async def test_without_a_queue_the_error_says_to_install_foundry_queue(executor, journal):
    with pytest.raises(BindingResolutionError) as caught:
        await executor.queue_call("test:migrate")

    assert 'queue_call("test:migrate") needs a queue.' in caught.value.message
    assert "Install foundry-queue" in caught.value.message
    assert "foundry.domain.queue.QueueDispatcher" in caught.value.message
    assert journal.entries == []
