"""DbSession: one session per request, committed before the response, rolled back on error."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from fastapi import APIRouter, HTTPException
from sqlmodel import Field, SQLModel, select

from foundry.application import Application
from foundry.application.http import create_app
from foundry.domain.database import Database
from foundry.infra.http import DbSession


def note_model() -> type[SQLModel]:
    class HttpNote(SQLModel, table=True):
        __tablename__ = "infra_http_notes"

        id: int | None = Field(default=None, primary_key=True)
        body: str = Field(max_length=100)

    return HttpNote


@pytest.fixture
async def client(make_app: Callable[..., Application], db_url: str):
    note = note_model()
    app = make_app(db_url)
    database = app.make(Database)
    async with database.engine.begin() as connection:
        await connection.run_sync(note.__table__.create)  # type: ignore[attr-defined]
    router = APIRouter()

    @router.post("/notes")
    async def add(body: str, session: DbSession) -> dict[str, Any]:
        row = note(body=body)
        session.add(row)
        await session.flush()
        return {"id": row.id}

    @router.post("/notes/refused")
    async def refuse(body: str, session: DbSession) -> None:
        session.add(note(body=body))
        await session.flush()
        raise HTTPException(status_code=409, detail="no")

    @router.post("/notes/duplicate")
    async def duplicate(session: DbSession) -> dict[str, str]:
        session.add(note(id=1, body="again"))  # fails only when the commit flushes it
        return {"status": "ok"}

    api = create_app(application=app)
    api.include_router(router)
    transport = httpx.ASGITransport(app=api, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        yield http, database, note


async def bodies(database: Any, note: Any) -> list[str]:
    async with database.session() as session:
        return list((await session.exec(select(note.body).order_by(note.id))).all())


async def test_a_successful_request_commits(client: Any) -> None:
    http, database, note = client
    response = await http.post("/notes", params={"body": "hello"})
    assert response.status_code == 200
    assert response.json() == {"id": 1}
    assert await bodies(database, note) == ["hello"]


async def test_a_failing_request_rolls_back(client: Any) -> None:
    http, database, note = client
    response = await http.post("/notes/refused", params={"body": "lost"})
    assert response.status_code == 409
    assert await bodies(database, note) == []


async def test_a_failing_commit_is_an_error_response_not_a_success(client: Any) -> None:
    http, database, note = client
    assert (await http.post("/notes", params={"body": "first"})).status_code == 200
    response = await http.post("/notes/duplicate")
    assert response.status_code == 500
    assert await bodies(database, note) == ["first"]
