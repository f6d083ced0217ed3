"""Every test runs inside a transaction that is rolled back, commits included.

The inner tests commit through HTTP requests (the route calls ``session.commit()``), add
rows through ``db`` and the factories, and the tests after them find nothing; afterwards
the database itself is checked: migrated, and empty.
"""

from __future__ import annotations

import asyncio
import sqlite3

import pytest
from conftest import run_tests

ROLLBACK_TESTS = """
from sqlmodel import select

from foundry.testing import assert_json_path, assert_status
from app.models.post import Author, Post


async def test_a_request_commits_a_post(client, factories):
    author = await factories.create(Author)
    response = await client.post("/posts", json={"title": "Hello", "author_id": author.id})
    assert_status(response, 201)
    assert_json_path(await client.get("/posts"), "data.items.0.title", "Hello")


async def test_the_post_committed_by_the_request_is_gone(client, db):
    assert_json_path(await client.get("/posts"), "data.items", [])
    assert (await db.exec(select(Author))).all() == []


async def test_rows_added_through_db_are_seen_by_requests(client, db):
    author = Author(name="Ada", email="ada@example.test")
    db.add(author)
    await db.commit()
    db.add(Post(title="From the test", author_id=author.id))
    await db.flush()
    assert_json_path(await client.get("/posts"), "data.items.0.title", "From the test")


async def test_a_failed_commit_in_a_request_leaves_the_test_usable(client, factories):
    response = await client.post("/posts", json={"title": "Orphan", "author_id": 999})
    assert response.status_code == 500
    author = await factories.create(Author)
    created = await client.post("/posts", json={"title": "Fine", "author_id": author.id})
    assert_status(created, 201)
    assert_json_path(await client.get("/posts"), "data.items.0.title", "Fine")


async def test_the_order_of_the_fixtures_does_not_matter(db, client):
    author = Author(name="Grace", email="grace@example.test")
    db.add(author)
    await db.flush()
    created = await client.post("/posts", json={"title": "Ordered", "author_id": author.id})
    assert_status(created, 201)
    assert (await db.exec(select(Post.title))).all() == ["Ordered"]


async def test_and_nothing_is_left_behind(db):
    assert (await db.exec(select(Post))).all() == []
    assert (await db.exec(select(Author))).all() == []
"""


def test_every_test_is_rolled_back_on_sqlite(sample_app: pytest.Pytester) -> None:
    sample_app.makepyfile(test_rollback=ROLLBACK_TESTS)
    result = run_tests(sample_app)
    result.assert_outcomes(passed=6)
    databases = list(sample_app.path.rglob("database.sqlite"))
    assert len(databases) == 1, databases  # one per session, in pytest's temporary folder
    with sqlite3.connect(databases[0]) as connection:
        heads = connection.execute("SELECT version_num FROM alembic_version").fetchall()
        assert ("5a3e1f0c9d21",) in heads  # the app's branch (packages may add theirs)
        assert connection.execute("SELECT count(*) FROM posts").fetchone() == (0,)
        assert connection.execute("SELECT count(*) FROM authors").fetchone() == (0,)


async def _count_rows(url: str) -> tuple[int, int, str]:
    import asyncpg

    connection = await asyncpg.connect(url, timeout=5)
    try:
        posts = await connection.fetchval("SELECT count(*) FROM posts")
        authors = await connection.fetchval("SELECT count(*) FROM authors")
        version = await connection.fetchval(
            "SELECT version_num FROM alembic_version WHERE version_num = '5a3e1f0c9d21'"
        )
    finally:
        await connection.close()
    return posts, authors, version


def test_every_test_is_rolled_back_on_postgresql(
    sample_app: pytest.Pytester, postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", postgres_url)
    sample_app.makepyfile(test_rollback=ROLLBACK_TESTS)
    result = run_tests(sample_app)
    result.assert_outcomes(passed=6)
    assert not list(sample_app.path.rglob("database.sqlite"))  # DATABASE_URL was used
    assert asyncio.run(_count_rows(postgres_url)) == (0, 0, "5a3e1f0c9d21")


def test_a_failing_migration_stops_the_session_with_its_output(
    sample_app: pytest.Pytester,
) -> None:
    broken = sample_app.path / "database/migrations/2025_01_01_000000_create_authors_and_posts.py"
    broken.write_text(broken.read_text().replace('op.create_table(\n        "posts"', "op.bogus("))
    sample_app.makepyfile(test_one="async def test_uses_the_app(app):\n    pass\n")
    result = run_tests(sample_app)
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*Migrating the test database failed*"])


def test_tests_without_app_fixtures_never_touch_the_database(
    sample_app: pytest.Pytester,
) -> None:
    sample_app.makepyfile(test_plain="def test_arithmetic():\n    assert 1 + 1 == 2\n")
    result = run_tests(sample_app)
    result.assert_outcomes(passed=1)
    assert not list(sample_app.path.rglob("database.sqlite"))
