"""Queued notifications: dispatched as JSON (never pickled), one job per notifiable and
channel, rebuilt and delivered later like a worker would; with an in-test dispatcher that
stores the payload as JSON text, and with the real foundry-queue."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from conftest import HttpServer, migrated, run
from notifications_support import (
    Alert,
    Invoice,
    InvoiceReady,
    JsonQueue,
    QueuedAlert,
    RecordingMailer,
    RoutedAlert,
    User,
)
from sqlalchemy import text

from foundry.domain.database import Database
from foundry.domain.mail import Address, Mailer
from foundry.domain.queue import QueueDispatcher
from foundry.notifications import (
    DatabaseNotification,
    Notification,
    NotificationConfigurationError,
    NotificationPayloadError,
    ShouldQueue,
    route,
)

AT = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
REF = uuid.UUID("01890000-0000-7000-8000-0000000000cc")


async def saved(app: Any, *objects: Any) -> None:
    async with app.make(Database).session() as session:
        session.add_all(objects)


async def stored(app: Any) -> list[DatabaseNotification]:
    from sqlmodel import select

    async with app.make(Database).session() as session:
        return list((await session.exec(select(DatabaseNotification))).all())


@pytest.fixture
async def queued(make_app: Any, http_server: HttpServer) -> tuple[Any, JsonQueue, User]:
    jobs = JsonQueue()
    app = await migrated(
        make_app(
            bind={QueueDispatcher: jobs, Mailer: RecordingMailer()},
            env={"NOTIFICATIONS_HTTP_TRIES": "1"},
        )
    )
    user = User(name="Ada", email="ada@example.com", slack_webhook_url=http_server.url("/slack"))
    await saved(app, user)
    return app, jobs, user


async def test_a_queued_notification_is_one_json_job_per_channel_delivered_by_the_worker(
    queued: tuple[Any, JsonQueue, User], http_server: HttpServer
) -> None:
    app, jobs, user = queued
    await user.notify(QueuedAlert("disk full", ["database", "slack"], "error", AT, REF), app=app)

    bodies = jobs.jobs()
    assert [b["job"] for b in bodies] == ["notifications_support:QueuedAlert.QueuedJob"] * 2
    assert [b["queue"] for b in bodies] == ["notifications", "notifications"]
    payloads = [b["payload"] for b in bodies]
    assert [p["channels"] for p in payloads] == [["database"], ["slack"]]
    assert payloads[0]["notification"] == "notifications_support:QueuedAlert"
    assert payloads[0]["notifiable"] == {
        "kind": "model",
        "class": "notifications_support:User",
        "key": user.id,
    }
    assert payloads[0]["data"]["at"] == {"$type": "datetime", "value": AT.isoformat()}
    assert payloads[0]["data"]["ref"] == {"$type": "uuid", "value": str(REF)}
    assert payloads[0]["notification_id"] == payloads[1]["notification_id"]
    assert await stored(app) == []  # nothing is delivered at dispatch
    assert http_server.requests == []

    await jobs.work(app)

    [row] = await stored(app)
    assert str(row.id) == payloads[0]["notification_id"]
    assert row.data == {
        "message": "disk full",
        "level": "error",
        "at": AT.isoformat(),
        "ref": str(REF),
    }
    assert [r.json()["text"] for r in http_server.on("/slack")] == ["disk full"]
    assert jobs.failed == []


async def test_the_job_class_carries_the_notifications_tries_and_backoff() -> None:
    job = QueuedAlert.QueuedJob
    assert (job.tries, job.backoff) == (3, (2, 4))
    assert "tries" not in vars(Alert.QueuedJob)  # not declared: the worker's --tries applies
    assert f"{job.__module__}:{job.__qualname__}" == "notifications_support:QueuedAlert.QueuedJob"


async def test_a_failing_channel_is_retried_alone(
    queued: tuple[Any, JsonQueue, User], http_server: HttpServer
) -> None:
    app, jobs, user = queued
    http_server.script("/slack", [(500, {}, "boom"), (500, {}, "boom"), (200, {}, "ok")])
    await user.notify(QueuedAlert("retry me", ["database", "slack"]), app=app)
    await jobs.work(app)

    slack_job = "notifications_support:QueuedAlert.QueuedJob"
    assert jobs.attempts == [
        (slack_job, "ok"),  # database, once
        (slack_job, "NotificationFailedError"),
        (slack_job, "NotificationFailedError"),
        (slack_job, "ok"),
    ]
    assert len(await stored(app)) == 1
    assert len(http_server.on("/slack")) == 3
    assert jobs.failed == []


async def test_a_refused_channel_fails_its_job_at_once(
    queued: tuple[Any, JsonQueue, User], http_server: HttpServer
) -> None:
    app, jobs, user = queued
    http_server.script("/slack", [(404, {}, "no_service")])
    await user.notify(QueuedAlert("x", ["slack"]), app=app)
    await jobs.work(app)
    assert [a[1] for a in jobs.attempts] == ["PermanentJobFailure"]
    assert len(http_server.on("/slack")) == 1
    [(_, error)] = jobs.failed
    assert "HTTP 404 (no_service)" in str(error)


async def test_a_notifiable_deleted_before_delivery_fails_without_retries(
    queued: tuple[Any, JsonQueue, User],
) -> None:
    app, jobs, user = queued
    await user.notify(QueuedAlert("x", ["database"]), app=app)
    async with app.make(Database).session() as session:
        await session.delete(await session.get(User, user.id))
    await jobs.work(app)
    [(_, error)] = jobs.failed
    assert type(error).__name__ == "NotifiableMissingError"
    assert f"User {user.id} no longer exists" in str(error)
    assert len(jobs.attempts) == 1


async def test_models_in_fields_travel_as_references_and_are_loaded_fresh(
    queued: tuple[Any, JsonQueue, User],
) -> None:
    app, jobs, user = queued
    invoice = Invoice(number="F-7", amount="10.00")
    await saved(app, invoice)
    await user.notify(InvoiceReady(invoice, note="thanks"), app=app)
    [body] = jobs.jobs()
    assert body["payload"]["data"]["invoice"] == {
        "$type": "model",
        "class": "notifications_support:Invoice",
        "key": invoice.id,
    }
    async with app.make(Database).session() as session:
        fresh = await session.get(Invoice, invoice.id)
        assert fresh is not None
        fresh.amount = "12.50"
        session.add(fresh)
    await jobs.work(app)
    [row] = await stored(app)
    assert row.data == {"number": "F-7", "amount": "12.50", "note": "thanks"}


async def test_on_demand_routes_are_queued_as_data(make_app: Any, http_server: HttpServer) -> None:
    jobs, mailer = JsonQueue(), RecordingMailer()
    app = make_app(infra=False, bind={QueueDispatcher: jobs, Mailer: mailer})
    await (
        route("mail", "ops@example.com")
        .route("slack", http_server.url("/ops"))
        .notify(QueuedAlert("db down", ["mail", "slack"]), app=app)
    )
    assert [b["payload"]["notifiable"] for b in jobs.jobs()] == [
        {"kind": "routes", "routes": {"mail": "ops@example.com", "slack": http_server.url("/ops")}}
    ] * 2
    await jobs.work(app)
    assert [list(m.to) for m in mailer.sent] == [[Address("ops@example.com")]]
    assert [r.json()["text"] for r in http_server.on("/ops")] == ["db down"]


async def test_what_a_worker_could_not_rebuild_is_refused_at_dispatch_and_nothing_is_queued(
    queued: tuple[Any, JsonQueue, User],
) -> None:
    @dataclass
    class Holding(ShouldQueue, Notification):
        thing: Any

        def via(self, notifiable: Any) -> list[str]:
            return ["database"]

    app, jobs, user = queued
    with pytest.raises(NotificationPayloadError, match="define it at module level"):
        await user.notify(Holding(1), app=app)
    with pytest.raises(NotificationPayloadError, match=r"QueuedAlert.ref holds a builtins.object"):
        await user.notify(QueuedAlert("x", ["database"], ref=object()), app=app)  # type: ignore[arg-type]
    with pytest.raises(NotificationPayloadError, match="save it"):
        await User(name="unsaved").notify(QueuedAlert("x"), app=app)
    assert jobs.bodies == []


async def test_queuing_without_a_dispatcher_names_the_package_to_install(make_app: Any) -> None:
    app = make_app(infra=False)
    with pytest.raises(NotificationConfigurationError, match="Install foundry-queue"):
        await route("mail", "a@b.c").notify(QueuedAlert("x", ["mail"]), app=app)


async def test_notify_now_delivers_a_should_queue_notification_at_once(
    queued: tuple[Any, JsonQueue, User],
) -> None:
    app, jobs, user = queued
    await user.notify_now(QueuedAlert("now", ["database"]), app=app)
    assert jobs.bodies == []
    assert [r.data["message"] for r in await stored(app)] == ["now"]


async def test_per_channel_queues_connections_and_delays(make_app: Any) -> None:
    jobs = JsonQueue()
    app = make_app(infra=False, bind={QueueDispatcher: jobs})
    await (
        route("mail", "a@b.c")
        .route("slack", "http://127.0.0.1:9/x")
        .notify(RoutedAlert("x", ["mail", "slack"]), app=app)
    )
    assert [(b["queue"], b["connection"], b["delay"]) for b in jobs.jobs()] == [
        ("mail-queue", "redis", 60.0),
        (None, "redis", 0.0),
    ]


# --- the real foundry-queue ----------------------------------------------------------------


async def test_with_foundry_queue_jobs_wait_in_the_jobs_table_until_queue_work(
    make_app: Any, http_server: HttpServer
) -> None:
    from foundry.queue.provider import QueueServiceProvider

    app = await migrated(
        make_app(
            "sqlite:///storage/database.sqlite",
            QueueServiceProvider,
            env={"QUEUE_CONNECTION": "database"},
        )
    )
    user = User(name="Ada", slack_webhook_url=http_server.url("/slack"))
    await saved(app, user)
    await user.notify(QueuedAlert("via the real queue", ["database", "slack"], at=AT), app=app)

    async with app.make(Database).engine.connect() as connection:
        bodies = [
            json.loads(row[0])
            for row in await connection.execute(text("SELECT payload FROM jobs ORDER BY id"))
        ]
    assert [b["job"] for b in bodies] == ["notifications_support:QueuedAlert.QueuedJob"] * 2
    assert [(b["queue"], b["max_tries"], b["backoff"]) for b in bodies] == [
        ("notifications", 3, [2.0, 4.0])
    ] * 2
    assert await stored(app) == []

    worked = await run(
        app, "queue:work", "--queue", "notifications", "--stop-when-empty", format="json"
    )
    assert worked.exit_code == 0, worked.output
    [row] = await stored(app)
    assert row.data["message"] == "via the real queue"
    assert row.data["at"] == AT.isoformat()
    assert [r.json()["text"] for r in http_server.on("/slack")] == ["via the real queue"]


async def test_with_foundry_queues_sync_connection_delivery_is_immediate(make_app: Any) -> None:
    from foundry.queue.provider import QueueServiceProvider

    app = await migrated(
        make_app(
            "sqlite:///storage/database.sqlite",
            QueueServiceProvider,
            env={"QUEUE_CONNECTION": "sync"},
        )
    )
    user = User(name="Ada")
    await saved(app, user)
    await user.notify(QueuedAlert("sync", ["database"]), app=app)
    assert [r.data["message"] for r in await stored(app)] == ["sync"]
