"""The database channel and the ``notifications`` table, on SQLite, PostgreSQL and MariaDB,
created by ``foundry migrate`` from this package's own branch."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from conftest import migrated, run
from notifications_support import Alert, InvoicePaid, RecordingMailer, User

from foundry.domain.clock import Clock, FrozenClock
from foundry.domain.database import Database
from foundry.domain.mail import Mailer
from foundry.notifications import (
    DatabaseNotification,
    Notification,
    NotificationFailedError,
    route,
)

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


async def users(app: Any, *names: str) -> list[User]:
    made = [User(name=name, email=f"{name.lower()}@example.com") for name in names]
    async with app.make(Database).session() as session:
        session.add_all(made)
    return made


async def test_rows_are_stored_and_read_through_the_mixin(make_app: Any, db_url: str) -> None:
    mailer = RecordingMailer()
    app = await migrated(make_app(db_url, bind={Mailer: mailer, Clock: FrozenClock(NOW)}))
    ada, bob = await users(app, "Ada", "Bob")

    await ada.notify_now(InvoicePaid(7, "42.00 EUR"), app=app)
    await ada.notify_now(Alert("second", ref=uuid.UUID(int=5)), app=app)
    await bob.notify_now(Alert("for bob"), app=app)

    async with app.make(Database).session() as session:
        mine = await ada.notifications(session)
        assert [n.data.get("message") for n in mine] == ["second", None]
        paid = mine[1]
        assert paid.type == "notifications_support.InvoicePaid"
        assert paid.data == {"invoice_id": 7, "amount": "42.00 EUR"}
        assert (paid.notifiable_type, paid.notifiable_id) == ("users", str(ada.id))
        assert paid.id.version == 7
        assert paid.read_at is None
        assert paid.created_at == NOW
        assert mine[0].data["ref"] == str(uuid.UUID(int=5))
        assert await ada.unread_notification_count(session) == 2
        assert (
            await ada.mark_as_read(session, paid.id, (await bob.notifications(session))[0].id) == 1
        )
    async with app.make(Database).session() as session:
        assert [n.id for n in await ada.read_notifications(session)] == [paid.id]
        assert len(await ada.unread_notifications(session)) == 1
        assert await ada.mark_all_as_read(session) == 1
    async with app.make(Database).session() as session:
        assert await ada.unread_notification_count(session) == 0
        assert await bob.unread_notification_count(session) == 1
        assert len(await bob.notifications(session)) == 1
    assert len(mailer.sent) == 1  # InvoicePaid went by mail too


async def test_the_branch_migrates_up_and_down(make_app: Any, db_url: str) -> None:
    app = await migrated(make_app(db_url))
    status = await run(app, "migrate:status", format="json")
    branches = {m["branch"]: m["ran"] for m in status.data["migrations"]}
    assert branches["notifications"] is True
    database = app.make(Database)

    def columns(connection: Any) -> dict[str, Any]:
        from sqlalchemy import inspect

        inspector = inspect(connection)
        indexes = {i["name"]: i["column_names"] for i in inspector.get_indexes("notifications")}
        return {"columns": [c["name"] for c in inspector.get_columns("notifications")], **indexes}

    async with database.engine.connect() as connection:
        found = await connection.run_sync(columns)
    assert found["columns"] == [
        "id",
        "type",
        "notifiable_type",
        "notifiable_id",
        "data",
        "read_at",
        "created_at",
    ]
    assert found["ix_notifications_notifiable"] == ["notifiable_type", "notifiable_id"]
    assert found["ix_notifications_read_at"] == ["read_at"]

    reset = await run(app, "migrate:reset", force=True, format="json")
    assert reset.exit_code == 0, reset.output

    def tables(connection: Any) -> list[str]:
        from sqlalchemy import inspect

        return list(inspect(connection).get_table_names())

    async with database.engine.connect() as connection:
        assert "notifications" not in await connection.run_sync(tables)


async def test_delivering_the_same_notification_twice_stores_it_once(
    make_app: Any, db_url: str
) -> None:
    app = await migrated(make_app(db_url))
    [ada] = await users(app, "Ada")
    alert = Alert("once")
    alert.id = uuid.UUID("01890000-0000-7000-8000-000000000001")
    await ada.notify_now(alert, app=app)
    await ada.notify_now(alert, app=app)  # a queued retry after the row was committed
    async with app.make(Database).session() as session:
        assert [n.id for n in await ada.notifications(session)] == [alert.id]


async def test_prune_deletes_only_notifications_read_long_enough_ago(
    make_app: Any, db_url: str
) -> None:
    app = await migrated(make_app(db_url, bind={Clock: FrozenClock(NOW)}))
    [ada] = await users(app, "Ada")

    def row(label: str, read_days_ago: float | None, created_days_ago: float) -> Any:
        return DatabaseNotification(
            type="t",
            notifiable_type="users",
            notifiable_id=str(ada.id),
            data={"label": label},
            read_at=None if read_days_ago is None else NOW - timedelta(days=read_days_ago),
            created_at=NOW - timedelta(days=created_days_ago),
        )

    async with app.make(Database).session() as session:
        session.add_all(
            [
                row("read 40 days ago", 40, 50),
                row("read 31 days ago", 31, 31),
                row("read 29 days ago", 29, 60),
                row("unread, 90 days old", None, 90),
            ]
        )

    dry = await run(app, "notifications:prune", dry_run=True, format="json")
    assert dry.exit_code == 0, dry.output
    assert dry.data["would_delete"] == 2
    assert dry.data["deleted"] == 0

    pruned = await run(app, "notifications:prune", format="json")
    assert pruned.exit_code == 0, pruned.output
    assert pruned.data["deleted"] == 2
    assert pruned.data["days"] == 30

    async with app.make(Database).session() as session:
        left = {n.data["label"] for n in await ada.notifications(session)}
    assert left == {"read 29 days ago", "unread, 90 days old"}

    shorter = await run(app, "notifications:prune", "--days", "7", format="json")
    assert shorter.data["deleted"] == 1
    refused = await run(app, "notifications:prune", "--days", "0", format="json")
    assert refused.exit_code == 2


async def test_prune_days_default_comes_from_the_environment(make_app: Any) -> None:
    app = await migrated(
        make_app(bind={Clock: FrozenClock(NOW)}, env={"NOTIFICATIONS_PRUNE_DAYS": "3"})
    )
    ran = await run(app, "notifications:prune", format="json")
    assert ran.exit_code == 0, ran.output
    assert ran.data["days"] == 3
    assert ran.data["before"] == (NOW - timedelta(days=3)).isoformat()


async def test_on_demand_notifications_cannot_use_the_database_channel(make_app: Any) -> None:
    app = await migrated(make_app())
    with pytest.raises(NotificationFailedError) as caught:
        await route("mail", "ops@example.com").notify_now(Alert("x"), app=app)
    assert "on-demand notifications cannot use the database channel" in caught.value.message


async def test_data_json_cannot_hold_is_refused_with_the_method_named(make_app: Any) -> None:
    @dataclass
    class Bad(Notification):
        def via(self, notifiable: Any) -> list[str]:
            return ["database"]

        def to_array(self, notifiable: Any) -> dict[str, Any]:
            return {"when": datetime.now(UTC)}

    app = await migrated(make_app())
    [ada] = await users(app, "Ada")
    with pytest.raises(NotificationFailedError) as caught:
        await ada.notify_now(Bad(), app=app)
    assert "Bad.to_database returned data JSON cannot hold" in caught.value.message
    async with app.make(Database).session() as session:
        assert await ada.notifications(session) == []
