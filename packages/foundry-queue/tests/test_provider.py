"""The provider: bindings, configuration, the schedule hook."""

from __future__ import annotations

import pytest

from foundry.domain.queue import Queue, QueueDispatcher
from foundry.queue import QueueConfigurationError
from foundry.queue.connections.sync import SyncQueue
from foundry.queue.manager import QueueManager
from foundry.queue.provider import QueueServiceProvider


async def test_the_provider_binds_the_dispatcher_and_the_default_queue(make_app) -> None:
    app = await make_app("sync", migrate=False)
    dispatcher = app.make(QueueDispatcher)
    assert isinstance(dispatcher, QueueManager)
    assert isinstance(dispatcher, QueueDispatcher)
    assert isinstance(app.make(Queue), SyncQueue)
    assert isinstance(app.make(Queue), Queue)


async def test_every_variable_is_declared(make_app) -> None:
    app = await make_app("sync", migrate=False)
    names = {var.name for var in app.env_vars}
    assert {
        "QUEUE_CONNECTION",
        "QUEUE_DEFAULT",
        "QUEUE_RETRY_AFTER",
        "QUEUE_REDIS_PREFIX",
        "QUEUE_FAILED_PRUNE_HOURS",
        "REDIS_URL",
    } <= names


async def test_an_unknown_connection_is_a_clear_configuration_error(make_app) -> None:
    app = await make_app("sync", env={"QUEUE_CONNECTION": "rabbit"}, migrate=False)
    with pytest.raises(QueueConfigurationError, match="QUEUE_CONNECTION='rabbit'"):
        app.make(QueueDispatcher)


async def test_the_database_connection_needs_a_database(base, monkeypatch) -> None:
    from foundry.application import Application

    monkeypatch.setenv("QUEUE_CONNECTION", "database")
    app = Application(base, providers=[QueueServiceProvider], discover=False).boot()
    with pytest.raises(QueueConfigurationError, match="foundry-infra"):
        app.make(QueueManager).connection()
    await app.terminate()


class Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[str, dict]] = []

    def command(self, name: str, **options):
        self.calls.append((name, options))
        return self

    def daily(self):
        self.calls.append(("daily", {}))
        return self

    def description(self, text: str):
        self.calls.append(("description", {"text": text}))
        return self


async def test_failed_jobs_are_pruned_daily_by_the_schedule(make_app) -> None:
    app = await make_app("sync", env={"QUEUE_FAILED_PRUNE_HOURS": "48"}, migrate=False)
    schedule = Recorder()
    QueueServiceProvider().schedule(app, schedule)
    assert schedule.calls[0] == ("queue:flush", {"hours": 48})
    assert ("daily", {}) in schedule.calls


async def test_the_schedule_hook_tolerates_a_schedule_without_commands(make_app) -> None:
    app = await make_app("sync", migrate=False)
    QueueServiceProvider().schedule(app, object())  # nothing to add to, nothing raised


async def test_the_migration_branch_rolls_back_and_forth(make_app, run) -> None:
    app = await make_app("sync")
    status = (await run(app, "migrate:status", format="json")).data["migrations"]
    assert [(m["revision"], m["branch"], m["ran"]) for m in status] == [
        ("943a42266a5f", "queue", True)
    ]
    assert (await run(app, "migrate:rollback", force=True)).outcome.exit_code == 0
    status = (await run(app, "migrate:status", format="json")).data["migrations"]
    assert not status[0]["ran"]
    assert (await run(app, "migrate", force=True)).outcome.exit_code == 0
