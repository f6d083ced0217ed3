"""db:show, db:table and db:wipe on every dialect."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from infra_support import app_migration, revision_source, run

from foundry.application import Application
from foundry.domain.database import Database

SCHEMA = """
op.create_table(
    "authors",
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("email", sa.String(120), nullable=False, unique=True),
    sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
)
op.create_table(
    "books",
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("author_id", sa.Integer, sa.ForeignKey("authors.id", ondelete="CASCADE"),
              nullable=False),
    sa.Column("title", sa.String(200), nullable=True),
)
op.create_index("ix_books_title", "books", ["title"])
op.execute("CREATE VIEW active_authors AS SELECT id, email FROM authors")
"""

UNDO = """
op.execute("DROP VIEW active_authors")
op.drop_table("books")
op.drop_table("authors")
"""

SERVERS = {"sqlite": "SQLite", "postgresql": "PostgreSQL", "mysql": "MariaDB"}


@pytest.fixture
async def app(make_app: Callable[..., Application], db_url: str, base: Path) -> Application:
    app_migration(
        base,
        "2025_01_01_000000_library.py",
        revision_source("lib1", branch="app", upgrade=SCHEMA, downgrade=UNDO),
    )
    application = make_app(db_url)
    migrated = await run(application, "migrate")
    assert migrated.exit_code == 0, migrated.message
    async with application.make(Database).engine.begin() as connection:
        await connection.exec_driver_sql(
            "INSERT INTO authors (id, email) VALUES (1, 'a@example.test'), (2, 'b@example.test')"
        )
        await connection.exec_driver_sql("INSERT INTO books (author_id, title) VALUES (1, 'One')")
    return application


async def test_db_show_reports_server_size_and_row_counts(app: Application, dialect: str):
    ran = await run(app, "db:show", format="json")
    assert ran.exit_code == 0, ran.message
    info = ran.data
    assert info["dialect"] == dialect
    if dialect == "mysql" and info["server"] == "MySQL":
        pytest.skip("this MySQL-compatible server is MySQL itself, not MariaDB")
    assert info["server"] == SERVERS[dialect]
    assert info["version"][0].isdigit()
    assert info["size_bytes"] > 0
    rows = {t["name"]: t["rows"] for t in info["tables"]}
    assert rows["authors"] == 2
    assert rows["books"] == 1
    assert rows["migrations"] == 1
    assert "active_authors" in info["views"]
    human = await run(app, "db:show")
    assert "authors" in human.stdout
    assert SERVERS[dialect] in human.stdout or "MySQL" in human.stdout


async def test_db_table_describes_columns_indexes_and_foreign_keys(app: Application) -> None:
    ran = await run(app, "db:table", "books", format="json")
    assert ran.exit_code == 0, ran.message
    info = ran.data
    assert info["rows"] == 1
    assert info["primary_key"] == ["id"]
    columns = {c["name"]: c for c in info["columns"]}
    assert list(columns) == ["id", "author_id", "title"]
    assert columns["title"]["nullable"] is True
    assert columns["author_id"]["nullable"] is False
    assert "VARCHAR(200)" in columns["title"]["type"].upper()
    assert any(i["name"] == "ix_books_title" and i["columns"] == ["title"] for i in info["indexes"])
    (fk,) = info["foreign_keys"]
    assert fk["columns"] == ["author_id"]
    assert fk["references"] == "authors"
    assert fk["referenced_columns"] == ["id"]
    assert (fk["on_delete"] or "").upper() == "CASCADE"
    authors = (await run(app, "db:table", "authors", format="json")).data
    assert any(i["unique"] and i["columns"] == ["email"] for i in authors["indexes"])
    active = next(c for c in authors["columns"] if c["name"] == "active")
    assert active["default"] is not None
    human = await run(app, "db:table", "books")
    assert "author_id" in human.stdout
    assert "authors(id)" in human.stdout


async def test_db_table_suggests_the_nearest_table(app: Application) -> None:
    ran = await run(app, "db:table", "book")
    assert ran.exit_code == 1
    assert 'has no table "book". Did you mean: books' in (ran.message or "")


async def test_db_wipe_drops_tables_and_views(app: Application, dialect: str) -> None:
    if dialect == "postgresql":
        async with app.make(Database).engine.begin() as connection:
            await connection.exec_driver_sql("CREATE TYPE mood AS ENUM ('happy', 'sad')")
    ran = await run(app, "db:wipe", format="json")
    assert ran.exit_code == 0, ran.message
    assert set(ran.data["tables"]) >= {"authors", "books", "migrations", "alembic_version"}
    assert ran.data["views"] == ["active_authors"]
    if dialect == "postgresql":
        assert ran.data["types"] == ["mood"]
    shown = await run(app, "db:show", format="json")
    assert shown.data["tables"] == []
    assert shown.data["views"] == []
    again = await run(app, "migrate")
    assert again.exit_code == 0, again.message
