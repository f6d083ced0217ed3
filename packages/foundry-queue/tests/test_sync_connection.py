"""The sync connection: jobs run at dispatch, with tries, injection, failed_jobs, events."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from uuid import UUID

import pytest
from conftest import Bindings, MemoryCache
from queue_test_jobs import (
    AlwaysFails,
    Flaky,
    Injected,
    Record,
    Refuses,
    Typed,
    Unique,
    read,
    record_call,
)

from foundry.domain.queue import PermanentJobFailure, QueueDispatcher
from foundry.queue import JobFailed, JobProcessed, JobQueued, QueueConfigurationError, dispatch
from foundry.queue.manager import QueueManager


async def test_a_dispatched_job_runs_at_once_and_returns_its_id(make_app, ledger) -> None:
    app = await make_app("sync")
    job_id = await app.make(QueueDispatcher).dispatch(Record("a", ledger))
    assert len(job_id) == 36
    assert read(ledger) == ["done:a"]


async def test_handle_parameters_are_injected_from_the_container(make_app, ledger) -> None:
    await make_app("sync", env={"QUEUE_DEFAULT": "mail"})
    await dispatch(Injected(ledger))
    assert read(ledger) == ["done:injected:mail"]


async def test_special_values_reach_handle_with_their_types(make_app, ledger) -> None:
    await make_app("sync")
    job = Typed(
        ledger,
        datetime(2026, 1, 1, tzinfo=UTC),
        UUID(int=1),
        Decimal("1.5"),
        (1, 2),
        {"$type": "kept"},
    )
    await dispatch(job)
    assert read(ledger) == ["done:typed:datetime,UUID,Decimal,tuple:kept"]


async def test_a_decorated_function_is_a_job(make_app, ledger) -> None:
    await make_app("sync")
    await record_call.dispatch("f1", ledger)
    await record_call.call(key="f2", ledger=ledger).dispatch()
    assert read(ledger) == ["done:f1:sync", "done:f2:sync"]


async def test_transient_failures_are_retried_up_to_tries(make_app, ledger) -> None:
    await make_app("sync")
    await dispatch(Flaky("x", ledger, failures=2))
    assert read(ledger) == ["try:x", "try:x", "try:x", "done:x"]


async def test_the_last_failure_is_recorded_and_raised(make_app, ledger, run) -> None:
    app = await make_app("sync")
    events: list[object] = []
    manager = app.make(QueueManager)
    original = manager.fire

    async def capture(event: object) -> None:
        events.append(event)
        await original(event)  # type: ignore[arg-type]

    manager.fire = capture  # type: ignore[method-assign]
    with pytest.raises(RuntimeError, match="boom y"):
        await dispatch(AlwaysFails("y", ledger))
    assert read(ledger) == ["try:y", "try:y", "failed-hook:y:RuntimeError"]
    failed = (await run(app, "queue:failed", format="json")).data
    assert [f["job"] for f in failed] == ["AlwaysFails"]
    assert "RuntimeError: boom y" in failed[0]["exception"]
    assert "Traceback" in failed[0]["exception"]
    kinds = [type(e).__name__ for e in events]
    assert kinds[0] == "JobQueued"
    assert kinds[-1] == "JobFailed"
    assert isinstance(events[-1], JobFailed)
    assert events[-1].error == "RuntimeError: boom y"


async def test_a_permanent_failure_is_not_retried(make_app, ledger) -> None:
    await make_app("sync")
    with pytest.raises(PermanentJobFailure):
        await dispatch(Refuses("z", ledger))
    assert read(ledger) == ["try:z"]


async def test_unique_jobs_without_a_cache_are_refused(make_app, ledger) -> None:
    await make_app("sync")
    with pytest.raises(QueueConfigurationError, match="needs a Cache"):
        await dispatch(Unique("u", ledger))
    assert read(ledger) == []


async def test_events_fire_through_the_event_dispatcher(make_app, ledger) -> None:
    from foundry.command_events.provider import CommandEventsServiceProvider
    from foundry.domain.events import EventDispatcher

    app = await make_app("sync", providers=(CommandEventsServiceProvider,))
    seen: list[str] = []
    events = app.make(EventDispatcher)
    for kind in (JobQueued, JobProcessed):
        events.listen(kind, lambda e: seen.append(f"{type(e).__name__}:{e.name}"))
    await dispatch(Record("e", ledger))
    assert seen == ["JobQueued:Record", "JobProcessed:Record"]


async def test_unique_jobs_run_again_once_the_first_finished(make_app, ledger) -> None:
    cache = MemoryCache()
    await make_app("sync", providers=(Bindings(cache),))
    assert await dispatch(Unique("u", ledger))
    assert await dispatch(Unique("u", ledger))  # the first one finished: lock released
    assert read(ledger) == ["done:u", "done:u"]
    assert cache.locks == {}
