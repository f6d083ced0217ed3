"""SQLDatabase: lazy engine, sessions that commit or roll back, ping, models, dispose."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from infra_support import write_module

from foundry.domain.database import Database
from foundry.domain.errors import (
    ConfigurationError,
    MissingDependencyError,
    ServiceUnavailableError,
)
from foundry.infra import engine as engine_module
from foundry.infra.database import SQLDatabase
from foundry.infra.settings import DatabaseSettings

NOTES = sa.Table(
    "infra_notes",
    sa.MetaData(),
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("body", sa.String(50), nullable=False),
)


@pytest.fixture
async def database(db_url: str, base: Path) -> AsyncIterator[SQLDatabase]:
    db = SQLDatabase(db_url, base_path=base)
    async with db.engine.begin() as connection:
        await connection.run_sync(NOTES.metadata.create_all)
    yield db
    await db.dispose()


async def _bodies(db: SQLDatabase) -> list[str]:
    async with db.engine.connect() as connection:
        result = await connection.execute(sa.select(NOTES.c.body).order_by(NOTES.c.id))
        return [row.body for row in result]


def test_sqldatabase_implements_the_database_contract(tmp_path: Path) -> None:
    db = SQLDatabase("sqlite://:memory:", base_path=tmp_path)
    assert isinstance(db, Database)
    assert db.dialect == "sqlite"


def test_engine_is_built_on_first_use_only(tmp_path: Path) -> None:
    db = SQLDatabase("sqlite:///storage/database.sqlite", base_path=tmp_path)
    assert db._engine is None
    assert not (tmp_path / "storage").exists()
    assert db.engine is db.engine
    assert (tmp_path / "storage").is_dir()


async def test_session_commits_when_the_block_succeeds(database: SQLDatabase) -> None:
    async with database.session() as session:
        await session.exec(NOTES.insert().values(body="kept"))
    assert await _bodies(database) == ["kept"]


async def _insert_then_fail(db: SQLDatabase) -> None:
    async with db.session() as session:
        await session.exec(NOTES.insert().values(body="lost"))
        raise RuntimeError("boom")


async def _insert_duplicate(db: SQLDatabase) -> None:
    async with db.session() as session:
        await session.exec(NOTES.insert().values(body="first"))
        await session.exec(NOTES.insert().values(id=7, body="dup"))
        await session.exec(NOTES.insert().values(id=7, body="dup"))


async def test_session_rolls_back_when_the_block_raises(database: SQLDatabase) -> None:
    with pytest.raises(RuntimeError, match="boom"):
        await _insert_then_fail(database)
    assert await _bodies(database) == []


async def test_a_failing_statement_loses_the_whole_session(database: SQLDatabase) -> None:
    with pytest.raises(sa.exc.IntegrityError):
        await _insert_duplicate(database)
    assert await _bodies(database) == []


async def test_objects_stay_readable_after_commit(database: SQLDatabase) -> None:
    async with database.session() as session:
        await session.exec(NOTES.insert().values(body="x"))
    async with database.session() as session:
        rows = (await session.exec(sa.select(NOTES))).all()
    assert rows[0].body == "x"


async def test_ping_succeeds_on_a_live_database(database: SQLDatabase) -> None:
    await database.ping(5)


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.parametrize("scheme", ["postgresql", "mysql"])
async def test_ping_against_a_closed_port_names_the_url_and_the_reason(
    scheme: str, tmp_path: Path
) -> None:
    db = SQLDatabase(f"{scheme}://app:s3cret@127.0.0.1:{_closed_port()}/app", base_path=tmp_path)
    with pytest.raises(ServiceUnavailableError) as caught:
        await db.ping(2)
    await db.dispose()
    message = caught.value.message
    assert message.startswith(f"The database at {scheme}://app:******@127.0.0.1:")
    assert message.endswith("is not reachable: connection refused")
    assert "s3cret" not in message


@pytest.mark.parametrize("scheme", ["postgresql", "mysql"])
async def test_ping_gives_up_at_its_timeout_when_the_server_never_answers(
    scheme: str, tmp_path: Path
) -> None:
    """A server that accepts the connection and then says nothing must not hang us."""
    silent = await asyncio.start_server(lambda reader, writer: None, "127.0.0.1", 0)
    port = silent.sockets[0].getsockname()[1]
    db = SQLDatabase(f"{scheme}://app@127.0.0.1:{port}/app", base_path=tmp_path)
    try:
        with pytest.raises(ServiceUnavailableError) as caught:
            await db.ping(0.5)
    finally:
        await db.dispose()
        silent.close()
    assert caught.value.message.endswith("is not reachable: no answer within 0.5s")


@pytest.mark.parametrize("dialect", ["postgresql", "mysql"])  # SQLite creates missing files
async def test_ping_reports_an_unknown_database(dialect: str, db_url: str, base: Path) -> None:
    missing = db_url.rsplit("/", 1)[0] + "/foundry_no_such_database"
    db = SQLDatabase(missing, base_path=base)
    with pytest.raises(ServiceUnavailableError) as caught:
        await db.ping(5)
    await db.dispose()
    assert "foundry_no_such_database" in caught.value.message


async def test_sqlite_folder_that_cannot_be_created_is_unreachable(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    db = SQLDatabase("sqlite:///file/inner/db.sqlite", base_path=tmp_path)
    with pytest.raises(ServiceUnavailableError, match="cannot create the folder"):
        await db.ping(1)


async def test_sqlite_connections_use_wal_foreign_keys_and_a_busy_timeout(base: Path) -> None:
    db = SQLDatabase("sqlite:///storage/database.sqlite", base_path=base)
    async with db.engine.connect() as connection:
        journal = (await connection.exec_driver_sql("PRAGMA journal_mode")).scalar()
        foreign_keys = (await connection.exec_driver_sql("PRAGMA foreign_keys")).scalar()
        busy = (await connection.exec_driver_sql("PRAGMA busy_timeout")).scalar()
    await db.dispose()
    assert (journal, foreign_keys, busy) == ("wal", 1, engine_module.SQLITE_BUSY_TIMEOUT_MS)


async def test_sqlite_ddl_is_transactional(base: Path) -> None:
    """The engine emits BEGIN itself, so CREATE TABLE rolls back with the transaction."""
    db = SQLDatabase("sqlite:///storage/database.sqlite", base_path=base)

    async def create_then_fail() -> None:
        async with db.engine.begin() as connection:
            await connection.exec_driver_sql("CREATE TABLE infra_probe (id INTEGER)")
            raise RuntimeError("undo")

    with pytest.raises(RuntimeError):
        await create_then_fail()
    async with db.engine.connect() as connection:
        tables = await connection.run_sync(lambda c: sa.inspect(c).get_table_names())
    await db.dispose()
    assert "infra_probe" not in tables


def test_a_missing_driver_names_the_extra_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = engine_module.importlib.util.find_spec
    monkeypatch.setattr(
        engine_module.importlib.util,
        "find_spec",
        lambda name, *a: None if name in ("asyncpg", "aiomysql") else real(name, *a),
    )
    for url, extra in (
        ("postgresql://u:pw@db/app", "'foundry-infra[postgresql]'"),
        ("mysql://u:pw@db/app", "'foundry-infra[mysql]'"),
    ):
        db = SQLDatabase(url, base_path=tmp_path)
        with pytest.raises(MissingDependencyError) as caught:
            _ = db.engine
        assert caught.value.message.endswith(f"pip install {extra}")
        assert "pw" not in caught.value.message.replace("pip", "")


def test_settings_come_from_configuration() -> None:
    from foundry.domain.config import MappingConfig

    config = MappingConfig(
        {"database": {"url": "mysql://x@h/d", "pool_size": "4", "connect_timeout": 2.5}}
    )
    settings = DatabaseSettings.from_config(config)
    assert (settings.url, settings.pool_size, settings.connect_timeout) == (
        "mysql://x@h/d",
        4,
        2.5,
    )
    assert settings.pool_max_lifetime == 1800


def test_malformed_pool_settings_are_refused() -> None:
    from foundry.domain.config import MappingConfig

    with pytest.raises(ConfigurationError, match=r"database\.pool_size"):
        DatabaseSettings.from_config(MappingConfig({"database": {"pool_size": "lots"}}))
    with pytest.raises(ConfigurationError, match="greater than zero"):
        DatabaseSettings.from_config(MappingConfig({"database": {"connect_timeout": 0}}))


async def test_pool_settings_reach_the_engine(dialect: str, db_url: str, base: Path) -> None:
    settings = DatabaseSettings(url=db_url, pool_size=3, pool_max_lifetime=60)
    db = SQLDatabase(settings, base_path=base)
    pool = db.engine.pool
    assert pool.size() == 3  # type: ignore[attr-defined]
    assert pool._recycle == 60
    await db.dispose()


def test_models_imports_the_app_models_package(base: Path) -> None:
    write_module(
        base,
        "app/models/post.py",
        """
        from sqlmodel import Field, SQLModel

        class InfraPost(SQLModel, table=True):
            __tablename__ = "infra_posts"
            id: int | None = Field(default=None, primary_key=True)
        """,
    )
    write_module(base, "app/models/drafts/note.py", _NOTE_MODEL)
    models = SQLDatabase("sqlite://:memory:", base_path=base).models()
    assert models["InfraPost"].__tablename__ == "infra_posts"
    assert "InfraNote" in models


_NOTE_MODEL = """
from sqlmodel import Field, SQLModel

class InfraNote(SQLModel, table=True):
    __tablename__ = "infra_model_notes"
    id: int | None = Field(default=None, primary_key=True)
"""


def test_a_broken_model_module_is_named(base: Path) -> None:
    write_module(base, "app/models/broken.py", "raise ValueError('bad model')\n")
    with pytest.raises(ConfigurationError, match=r"app\.models\.broken.*bad model"):
        SQLDatabase("sqlite://:memory:", base_path=base).models()


def test_an_app_without_models_has_none_of_its_own(base: Path) -> None:
    models = SQLDatabase("sqlite://:memory:", base_path=base).models()
    assert not any(cls.__module__.startswith("app.") for cls in models.values())


async def test_dispose_closes_the_pool_and_a_new_engine_follows(base: Path) -> None:
    db = SQLDatabase("sqlite:///storage/database.sqlite", base_path=base)
    first = db.engine
    await db.ping(2)
    await db.dispose()
    assert db.engine is not first
    await db.ping(2)
    await db.dispose()
