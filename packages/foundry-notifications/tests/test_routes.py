"""``/notifications`` for the authenticated user, resolved through a ``RequestAuthenticator``
tagged ``auth.authenticators`` (as the auth package binds its guards)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from conftest import migrated
from notifications_support import User

from foundry.domain.application import Application
from foundry.domain.auth import AUTHENTICATORS_TAG
from foundry.domain.database import Database
from foundry.domain.provider import ServiceProvider
from foundry.notifications import DatabaseNotification

START = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


class HeaderAuthenticator:
    """Authenticates ``X-User: <id>`` by loading the user (a stand-in session guard)."""

    def __init__(self, app: Application) -> None:
        self.app = app

    async def authenticate(self, request: Any) -> User | None:
        raw = request.headers.get("x-user")
        if not raw:
            return None
        async with self.app.make(Database).session() as session:
            return await session.get(User, int(raw))


class AuthProvider(ServiceProvider):
    name = "test-auth"

    def register(self, app: Application) -> None:
        app.singleton(HeaderAuthenticator, lambda c: HeaderAuthenticator(app))
        app.tag([HeaderAuthenticator], AUTHENTICATORS_TAG)


async def seed(app: Any) -> tuple[User, User, list[DatabaseNotification]]:
    ada, bob = User(name="Ada"), User(name="Bob")
    async with app.make(Database).session() as session:
        session.add_all([ada, bob])
    rows = []
    for index, (owner, read) in enumerate(
        [(ada, False), (ada, True), (ada, False), (bob, False), (ada, False)]
    ):
        rows.append(
            DatabaseNotification(
                type="app.notifications.Thing",
                notifiable_type="users",
                notifiable_id=str(owner.id),
                data={"n": index},
                read_at=START if read else None,
                created_at=START + timedelta(minutes=index),
            )
        )
    async with app.make(Database).session() as session:
        session.add_all(rows)
    return ada, bob, rows


@pytest.fixture
async def api(make_app: Any) -> AsyncIterator[tuple[Any, httpx.AsyncClient]]:
    from foundry.application import create_app

    app = await migrated(make_app("sqlite:///storage/database.sqlite", AuthProvider))
    transport = httpx.ASGITransport(app=create_app(application=app))
    async with httpx.AsyncClient(transport=transport, base_url="http://app") as client:
        yield app, client


async def test_without_a_user_every_route_is_401(api: tuple[Any, httpx.AsyncClient]) -> None:
    _, client = api
    for method, path in [
        ("GET", "/notifications"),
        ("POST", "/notifications/read-all"),
        ("POST", "/notifications/0189/read"),
        ("DELETE", "/notifications/0189"),
    ]:
        response = await client.request(method, path)
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "UNAUTHENTICATED"


async def test_the_list_is_the_users_own_newest_first_paginated(
    api: tuple[Any, httpx.AsyncClient],
) -> None:
    app, client = api
    ada, _, _ = await seed(app)
    me = {"X-User": str(ada.id)}

    everything = (await client.get("/notifications", headers=me)).json()
    assert [n["data"]["n"] for n in everything["data"]] == [4, 2, 1, 0]
    assert everything["meta"] == {
        "page": 1,
        "per_page": 15,
        "total": 4,
        "last_page": 1,
        "unread_count": 3,
    }
    first = everything["data"][0]
    assert set(first) == {"id", "type", "data", "read_at", "created_at"}
    assert first["created_at"] == (START + timedelta(minutes=4)).isoformat()

    page2 = (await client.get("/notifications?per_page=3&page=2", headers=me)).json()
    assert [n["data"]["n"] for n in page2["data"]] == [0]
    assert page2["meta"]["last_page"] == 2

    unread = (await client.get("/notifications?unread=1", headers=me)).json()
    assert [n["data"]["n"] for n in unread["data"]] == [4, 2, 0]
    assert unread["meta"]["total"] == 3


async def test_bad_query_values_are_a_422_naming_each_field(
    api: tuple[Any, httpx.AsyncClient],
) -> None:
    app, client = api
    ada, _, _ = await seed(app)
    response = await client.get(
        "/notifications?per_page=500&page=0&unread=maybe", headers={"X-User": str(ada.id)}
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert set(error["fields"]) == {"per_page", "page", "unread"}


async def test_marking_one_read_only_works_on_the_users_own(
    api: tuple[Any, httpx.AsyncClient],
) -> None:
    app, client = api
    ada, bob, rows = await seed(app)
    mine, bobs = rows[0], rows[3]

    response = await client.post(f"/notifications/{mine.id}/read", headers={"X-User": str(ada.id)})
    assert response.status_code == 200
    assert response.json()["data"]["read_at"] is not None

    other = await client.post(f"/notifications/{bobs.id}/read", headers={"X-User": str(ada.id)})
    assert other.status_code == 404
    assert other.json()["error"]["code"] == "NOT_FOUND"
    nonsense = await client.post("/notifications/not-a-uuid/read", headers={"X-User": str(ada.id)})
    assert nonsense.status_code == 404

    async with app.make(Database).session() as session:
        assert await bob.unread_notification_count(session) == 1
        assert await ada.unread_notification_count(session) == 2


async def test_read_all_marks_only_the_users_own(api: tuple[Any, httpx.AsyncClient]) -> None:
    app, client = api
    ada, bob, _ = await seed(app)
    response = await client.post("/notifications/read-all", headers={"X-User": str(ada.id)})
    assert response.json() == {"data": {"updated": 3}}
    async with app.make(Database).session() as session:
        assert await ada.unread_notification_count(session) == 0
        assert await bob.unread_notification_count(session) == 1


async def test_deleting_another_users_notification_is_a_404_and_deletes_nothing(
    api: tuple[Any, httpx.AsyncClient],
) -> None:
    app, client = api
    ada, bob, rows = await seed(app)
    assert (
        await client.delete(f"/notifications/{rows[3].id}", headers={"X-User": str(ada.id)})
    ).status_code == 404
    assert (
        await client.delete(f"/notifications/{rows[0].id}", headers={"X-User": str(ada.id)})
    ).status_code == 204
    assert (
        await client.delete(f"/notifications/{rows[0].id}", headers={"X-User": str(ada.id)})
    ).status_code == 404
    async with app.make(Database).session() as session:
        assert len(await ada.notifications(session)) == 3
        assert len(await bob.notifications(session)) == 1


async def test_the_routes_can_be_turned_off(make_app: Any) -> None:
    from foundry.application import create_app

    app = make_app(
        "sqlite:///storage/database.sqlite", AuthProvider, env={"NOTIFICATIONS_ROUTES": "false"}
    )
    transport = httpx.ASGITransport(app=create_app(application=app))
    async with httpx.AsyncClient(transport=transport, base_url="http://app") as client:
        assert (await client.get("/notifications")).status_code == 404
