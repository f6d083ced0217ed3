"""TestTransaction: sessions joined to one outer transaction, rolled back at the end."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Field, SQLModel, select

from foundry.infra import SQLDatabase
from foundry.testing import TestSetupError, TestTransaction


class Note(SQLModel, table=True):
    __tablename__ = "testing_transaction_notes"

    id: int | None = Field(default=None, primary_key=True)
    body: str = Field(max_length=50)


@pytest.fixture
async def database(tmp_path: Path) -> AsyncIterator[SQLDatabase]:
    database = SQLDatabase(f"sqlite:///{tmp_path / 'notes.sqlite'}")
    async with database.engine.begin() as connection:
        await connection.run_sync(Note.__table__.create)  # type: ignore[attr-defined]
    yield database
    await database.dispose()


async def bodies(database: SQLDatabase) -> list[str]:
    async with database.session_factory() as session:  # outside the test transaction
        return list((await session.exec(select(Note.body))).all())


async def test_commits_inside_join_the_transaction_and_are_rolled_back(
    database: SQLDatabase,
) -> None:
    transaction = TestTransaction.install(database)
    assert not transaction.started
    async with database.session() as session:  # what a request's DbSession does
        session.add(Note(body="committed by the code under test"))
    own = await transaction.open_session()
    assert [n.body for n in (await own.exec(select(Note))).all()] == [
        "committed by the code under test"
    ]
    await transaction.close()
    assert await bodies(database) == []


async def test_a_failing_block_rolls_back_to_its_savepoint_only(database: SQLDatabase) -> None:
    transaction = TestTransaction.install(database)
    async with database.session() as session:
        session.add(Note(body="kept"))

    async def write_then_fail() -> None:
        async with database.session() as session:
            session.add(Note(body="lost"))
            await session.flush()
            raise RuntimeError("changed my mind")

    with pytest.raises(RuntimeError):
        await write_then_fail()
    own = await transaction.open_session()
    assert [n.body for n in (await own.exec(select(Note))).all()] == ["kept"]
    await transaction.close()


async def test_sessions_after_the_test_are_refused(database: SQLDatabase) -> None:
    transaction = TestTransaction.install(database)
    await transaction.close()
    with pytest.raises(TestSetupError, match=r"has been rolled back"):
        async with database.session():
            pass


async def test_a_database_that_cannot_be_joined_is_reported() -> None:
    class Slotted:
        __slots__ = ("engine",)

        def session(self) -> Any:
            raise AssertionError

    with pytest.raises(TestSetupError, match=r"does not allow replacing its session"):
        TestTransaction.install(Slotted())  # type: ignore[arg-type]
