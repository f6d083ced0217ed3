"""Migrations across package branches and the app's own, with Laravel's batches.

Two throwaway packages (``auth`` and ``cache``) ship real revision files in their own
branches; the app's ``database/migrations`` holds the ``app`` branch, whose first revision
``depends_on`` the auth branch (its posts reference users).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from infra_support import Package, app_migration, create_table, revision_source, run

from foundry.application import Application
from foundry.domain.database import Database
from foundry.infra.errors import MigrationError

USERS = 'sa.Column("email", sa.String(100), nullable=False)'
TOKENS = 'sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False)'
POSTS = 'sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False)'
COMMENTS = 'sa.Column("post_id", sa.Integer, sa.ForeignKey("posts.id"), nullable=False)'


@pytest.fixture
def project(make_package: Callable[..., Package], base: Path) -> tuple[Package, Package]:
    auth = make_package("auth")
    auth.revision("0001_users.py", create_table("a1users", "users", branch="auth", columns=USERS))
    auth.revision(
        "0002_tokens.py", create_table("a2tokens", "tokens", down="a1users", columns=TOKENS)
    )
    cache = make_package("cache")
    cache.revision("0001_cache.py", create_table("c1cache", "cache_entries", branch="cache"))
    app_migration(
        base,
        "2025_01_01_000001_create_posts.py",
        create_table("p1posts", "posts", branch="app", depends_on=("a1users",), columns=POSTS),
    )
    app_migration(
        base,
        "2025_01_01_000002_create_comments.py",
        create_table("p2comments", "comments", down="p1posts", columns=COMMENTS),
    )
    return auth, cache


@pytest.fixture
def app(make_app: Callable[..., Application], db_url: str, project: tuple[Package, Package]):
    auth, cache = project
    return make_app(db_url, auth.provider, cache.provider)


async def tables(app: Application) -> set[str]:
    ran = await run(app, "db:show", format="json")
    assert ran.exit_code == 0, ran.message
    return {t["name"] for t in ran.data["tables"]}


async def status(app: Application) -> dict[str, tuple[bool, int | None]]:
    ran = await run(app, "migrate:status", format="json")
    assert ran.exit_code == 0, ran.message
    return {m["revision"]: (m["ran"], m["batch"]) for m in ran.data["migrations"]}


async def versions(app: Application) -> set[str]:
    database = app.make(Database)
    async with database.engine.connect() as connection:
        result = await connection.exec_driver_sql("SELECT version_num FROM alembic_version")
        return {row[0] for row in result}


async def logged(app: Application) -> dict[str, int]:
    database = app.make(Database)
    async with database.engine.connect() as connection:
        result = await connection.exec_driver_sql("SELECT revision, batch FROM migrations")
        return {row[0]: row[1] for row in result}


def revisions(ran: Any, key: str = "steps") -> list[str]:
    return [step["revision"] for step in ran.data[key]]


ALL = {"a1users", "a2tokens", "c1cache", "p1posts", "p2comments"}


async def test_migrate_runs_every_branch_as_one_batch(app: Application) -> None:
    ran = await run(app, "migrate", format="json")
    assert ran.exit_code == 0, ran.message
    order = revisions(ran)
    assert set(order) == ALL
    assert ran.data["batch"] == 1
    assert order.index("a1users") < order.index("p1posts")  # depends_on across branches
    assert order.index("p1posts") < order.index("p2comments")
    assert {"users", "tokens", "cache_entries", "posts", "comments"} <= await tables(app)
    assert await versions(app) == {"a2tokens", "c1cache", "p2comments"}
    assert await logged(app) == dict.fromkeys(ALL, 1)
    assert ran.message == "Migrated 5 migrations (batch 1)."


async def test_migrate_with_nothing_pending_changes_nothing(app: Application) -> None:
    await run(app, "migrate")
    again = await run(app, "migrate", format="json")
    assert again.exit_code == 0
    assert again.message == "Nothing to migrate."
    assert await logged(app) == dict.fromkeys(ALL, 1)


async def test_status_lists_every_revision_with_ran_and_batch(app: Application) -> None:
    before = await run(app, "migrate:status", format="json")
    assert before.data["pending"] == 5
    assert before.data["ran"] == 0
    await run(app, "migrate")
    after = await status(app)
    assert after == dict.fromkeys(ALL, (True, 1))
    human = await run(app, "migrate:status")
    assert "Ran?" in human.stdout
    assert "p2comments" in human.stdout
    described = next(
        m
        for m in (await run(app, "migrate:status", format="json")).data["migrations"]
        if m["revision"] == "p1posts"
    )
    assert described["branch"] == "app"
    assert described["file"] == "database/migrations/2025_01_01_000001_create_posts.py"
    assert described["description"] == "create posts"


async def test_rollback_undoes_only_the_last_batch_newest_first(app: Application, base: Path):
    await run(app, "migrate")
    app_migration(
        base,
        "2025_01_01_000003_create_tags.py",
        create_table("p3tags", "tags", down="p2comments"),
    )
    second = await run(app, "migrate", format="json")
    assert revisions(second) == ["p3tags"]
    assert second.data["batch"] == 2
    back = await run(app, "migrate:rollback", format="json")
    assert back.exit_code == 0
    assert revisions(back) == ["p3tags"]
    assert "tags" not in await tables(app)
    state = await status(app)
    assert state["p3tags"] == (False, None)
    assert state["p2comments"] == (True, 1)
    first = await run(app, "migrate:rollback", format="json")
    order = revisions(first)
    assert set(order) == ALL
    assert order.index("p2comments") < order.index("p1posts") < order.index("a1users")
    assert order.index("a2tokens") < order.index("a1users")
    nothing = await run(app, "migrate:rollback")
    assert nothing.message == "Nothing to roll back."


async def test_rollback_step_undoes_the_last_n_migrations(app: Application) -> None:
    ran = await run(app, "migrate", format="json")
    applied = revisions(ran)
    back = await run(app, "migrate:rollback", "--step", "2", format="json")
    assert revisions(back) == list(reversed(applied[-2:]))
    state = await status(app)
    assert {rev for rev, (done, _) in state.items() if not done} == set(applied[-2:])
    bad = await run(app, "migrate:rollback", "--step", "0")
    assert bad.exit_code == 2
    assert "--step must be 1 or more" in (bad.message or "")


async def test_reset_rolls_back_everything(app: Application) -> None:
    await run(app, "migrate")
    reset = await run(app, "migrate:reset", format="json")
    assert set(revisions(reset)) == ALL
    assert not {"users", "tokens", "posts"} & await tables(app)
    assert await versions(app) == set()
    assert await logged(app) == {}


async def test_refresh_rolls_back_and_migrates_again(app: Application) -> None:
    await run(app, "migrate")
    refreshed = await run(app, "migrate:refresh", format="json")
    assert refreshed.exit_code == 0, refreshed.message
    assert set(revisions(refreshed, "rolled_back")) == ALL
    assert set(revisions(refreshed, "migrated")) == ALL
    assert await logged(app) == dict.fromkeys(ALL, 1)


async def test_fresh_drops_every_table_then_migrates(app: Application) -> None:
    await run(app, "migrate")
    database = app.make(Database)
    async with database.engine.begin() as connection:
        await connection.exec_driver_sql("CREATE TABLE stray (id INTEGER PRIMARY KEY)")
    fresh = await run(app, "migrate:fresh", format="json")
    assert fresh.exit_code == 0, fresh.message
    assert "stray" in fresh.data["dropped"]["tables"]
    assert "stray" not in await tables(app)
    assert await logged(app) == dict.fromkeys(ALL, 1)


async def test_pretend_prints_the_sql_and_changes_nothing(app: Application) -> None:
    ran = await run(app, "migrate", "--pretend")
    assert ran.exit_code == 0, ran.message
    assert "CREATE TABLE users" in ran.stdout
    assert "CREATE TABLE posts" in ran.stdout
    assert ran.message == "5 migrations would run (nothing was changed)."
    assert not {"users", "posts"} & await tables(app)
    dry = await run(app, "migrate", format="json", dry_run=True)
    assert dry.data["pending"]
    assert "CREATE TABLE" in dry.data["sql"]
    assert "users" not in await tables(app)


async def test_pretend_after_a_partial_migrate_shows_only_pending(app: Application, base: Path):
    await run(app, "migrate")
    app_migration(
        base,
        "2025_01_01_000003_create_tags.py",
        create_table("p3tags", "tags", down="p2comments"),
    )
    ran = await run(app, "migrate", "--pretend", format="json")
    assert ran.data["pending"] == ["p3tags"]
    assert "CREATE TABLE tags" in ran.data["sql"]
    assert "CREATE TABLE users" not in ran.data["sql"]


BROKEN = """
op.create_table("half", sa.Column("id", sa.Integer, primary_key=True))
op.execute("INSERT INTO no_such_table (id) VALUES (1)")
"""


async def test_a_failing_migration_reports_the_revision_and_the_state(
    app: Application, base: Path, dialect: str
) -> None:
    await run(app, "migrate")
    app_migration(
        base, "2025_01_01_000003_create_tags.py", create_table("p3tags", "tags", down="p2comments")
    )
    app_migration(
        base,
        "2025_01_01_000004_broken.py",
        revision_source("p4broken", down="p3tags", upgrade=BROKEN, doc="half done"),
    )
    failed = await run(app, "migrate", format="json")
    assert failed.exit_code == 1
    message = failed.message or ""
    assert "\n" not in message
    assert message.startswith("Migration p4broken (app: half done, database/migrations/")
    assert "no_such_table" in message
    assert "The migration before it was applied (batch 2) and stays so." in message
    present = await tables(app)
    assert "tags" in present
    state = await status(app)
    assert state["p3tags"] == (True, 2)
    assert state["p4broken"] == (False, None)
    assert "p4broken" not in await logged(app)
    assert "p4broken" not in await versions(app)
    if dialect == "mysql":
        assert "MySQL and MariaDB commit each DDL statement at once" in message
        assert "half" in present  # DDL is not transactional there: said so, not hidden
    else:
        assert "It was rolled back: the database holds none of its changes." in message
        assert "half" not in present


async def test_a_failing_rollback_keeps_the_migration_applied(
    app: Application, base: Path, dialect: str
) -> None:
    await run(app, "migrate")
    app_migration(
        base,
        "2025_01_01_000003_undroppable.py",
        revision_source(
            "p3undroppable",
            down="p2comments",
            upgrade='op.create_table("keep", sa.Column("id", sa.Integer, primary_key=True))',
            downgrade='op.drop_table("keep")\nop.drop_table("no_such_table")',
        ),
    )
    await run(app, "migrate")
    failed = await run(app, "migrate:rollback")
    assert failed.exit_code == 1
    assert (failed.message or "").startswith("Rolling back p3undroppable (app:")
    assert (await status(app))["p3undroppable"] == (True, 2)
    assert "p3undroppable" in await versions(app)
    if dialect != "mysql":
        assert "keep" in await tables(app)


async def test_unreachable_database_fails_in_one_line_and_writes_nothing(
    make_app: Callable[..., Application], project: tuple[Package, Package], base: Path
) -> None:
    auth, cache = project
    app = make_app("postgresql://app:pw@127.0.0.1:1/app", auth.provider, cache.provider)
    for command in ("migrate", "migrate:status", "migrate:rollback", "db:show"):
        ran = await run(app, command)
        assert ran.exit_code == 1, command
        assert ran.message == (
            "The database at postgresql://app:******@127.0.0.1:1/app is not reachable: "
            "connection refused"
        )


async def test_unwritable_sqlite_location_creates_nothing(
    make_app: Callable[..., Application], project: tuple[Package, Package], base: Path
) -> None:
    (base / "blocked").write_text("a file where the folder should be")
    auth, cache = project
    app = make_app("sqlite:///blocked/db/database.sqlite", auth.provider, cache.provider)
    ran = await run(app, "migrate")
    assert ran.exit_code == 1
    assert "is not reachable: cannot create the folder" in (ran.message or "")
    assert (base / "blocked").is_file()


async def test_log_is_rebuilt_from_alembic_version(app: Application) -> None:
    await run(app, "migrate")
    database = app.make(Database)
    async with database.engine.begin() as connection:
        await connection.exec_driver_sql("DELETE FROM migrations WHERE revision = 'p2comments'")
    assert (await status(app))["p2comments"] == (True, None)
    back = await run(app, "migrate:rollback", format="json")
    assert revisions(back) == ["p2comments"]  # adopted into a batch of its own, the newest
    assert "comments" not in await tables(app)


async def test_a_revision_missing_from_every_folder_is_named(app: Application, base: Path):
    await run(app, "migrate")
    (base / "database/migrations/2025_01_01_000002_create_comments.py").unlink()
    ran = await run(app, "migrate")
    assert ran.exit_code == 1
    assert "p2comments" in (ran.message or "")
    assert "no migration folder contains it" in (ran.message or "")


@pytest.mark.parametrize(
    ("source", "fragment"),
    [
        (create_table("x1", "xs"), 'must declare branch_labels = ("app",)'),
        (create_table("x1", "xs", branch="other"), 'must declare branch_labels = ("app",)'),
        (
            create_table("x1", "xs", down="a1users", branch=None),
            'add depends_on = ("a1users",)',
        ),
    ],
)
async def test_branch_rules_are_checked_with_the_fix(
    make_app: Callable[..., Application],
    project: tuple[Package, Package],
    base: Path,
    source: str,
    fragment: str,
) -> None:
    folder = base / "database" / "migrations"
    for old in folder.glob("*.py"):
        old.unlink()
    app_migration(base, "2025_02_01_000000_x.py", source)
    auth, cache = project
    app = make_app("sqlite:///storage/database.sqlite", auth.provider, cache.provider)
    ran = await run(app, "migrate")
    assert ran.exit_code == 1
    assert fragment in (ran.message or "")
    assert "2025_02_01_000000_x.py" in (ran.message or "") or "x1" in (ran.message or "")


@pytest.mark.parametrize(
    ("command", "argv"),
    [
        ("migrate", ()),
        ("migrate:rollback", ()),
        ("migrate:reset", ()),
        ("migrate:refresh", ()),
        ("migrate:fresh", ()),
        ("db:wipe", ()),
        ("db:seed", ()),
    ],
)
async def test_destructive_commands_refuse_production_without_force(
    make_app: Callable[..., Application],
    project: tuple[Package, Package],
    command: str,
    argv: tuple[str, ...],
) -> None:
    auth, cache = project
    app = make_app(
        "sqlite:///storage/database.sqlite",
        auth.provider,
        cache.provider,
        env={"APP_ENV": "production", "APP_KEY": "k" * 32},
    )
    ran = await run(app, command, *argv)
    assert ran.exit_code == 1
    assert (ran.message or "").startswith(f"Refusing to run {command} in production")
    assert "--force" in (ran.message or "")
    assert not (app.base_path / "storage" / "database.sqlite").exists()


async def test_production_runs_with_force_and_pretends_without(
    make_app: Callable[..., Application], project: tuple[Package, Package]
) -> None:
    auth, cache = project
    app = make_app(
        "sqlite:///storage/database.sqlite",
        auth.provider,
        cache.provider,
        env={"APP_ENV": "production", "APP_KEY": "k" * 32},
    )
    pretend = await run(app, "migrate", "--pretend")
    assert pretend.exit_code == 0, pretend.message
    forced = await run(app, "migrate", force=True)
    assert forced.exit_code == 0, forced.message
    assert forced.message == "Migrated 5 migrations (batch 1)."


@pytest.mark.parametrize("dialect", ["postgresql", "mysql"])
async def test_a_second_migrating_process_waits_for_the_lock_then_gives_up(
    app: Application, dialect: str, db_url: str
) -> None:
    """Two deploys at once: while one holds the migration lock the other changes nothing."""
    from foundry.infra.database import SQLDatabase
    from foundry.infra.migrations.locking import PG_LOCK_KEY
    from foundry.infra.migrations.migrator import Migrator

    other = SQLDatabase(db_url, base_path=app.base_path)
    database = app.make(Database)
    async with other.engine.connect() as holder:
        if dialect == "postgresql":
            await holder.exec_driver_sql(f"SELECT pg_advisory_lock({PG_LOCK_KEY})")
        else:
            name = (await holder.exec_driver_sql("SELECT DATABASE()")).scalar()
            await holder.exec_driver_sql(f"SELECT GET_LOCK('foundry_migrations:{name}', 0)")
        await holder.commit()
        migrator = Migrator(database, app.migration_locations, lock_timeout=0.2)
        with pytest.raises(MigrationError, match="holds the migration lock"):
            await migrator.migrate()
    await other.dispose()
    assert not {"users", "posts"} & await tables(app)
    ran = await run(app, "migrate")
    assert ran.exit_code == 0, ran.message


@pytest.mark.skipif(sys.platform == "win32", reason="fcntl locks are POSIX")
@pytest.mark.parametrize("dialect", ["sqlite"])
async def test_sqlite_waits_for_the_lock_file_beside_the_database_then_gives_up(
    app: Application, dialect: str
) -> None:
    """SQLite has no server lock: another process's flock on the lock file beside the
    database file holds migrations back, and rollback too; nothing is changed."""
    import fcntl

    from foundry.infra.database import SQLDatabase
    from foundry.infra.migrations.locking import sqlite_lock_path
    from foundry.infra.migrations.migrator import Migrator

    database = app.make(Database)
    assert isinstance(database, SQLDatabase)
    path = database.parsed_url.sqlite_path
    assert path is not None
    lock = sqlite_lock_path(path)
    assert lock == path.parent / "database.sqlite-migrate.lock"
    lock.parent.mkdir(parents=True, exist_ok=True)
    migrator = Migrator(database, app.migration_locations, lock_timeout=0.2)
    with lock.open("w") as holder:
        fcntl.flock(holder, fcntl.LOCK_EX)
        with pytest.raises(MigrationError, match="holds the migration lock"):
            await migrator.migrate()
        with pytest.raises(MigrationError, match="holds the migration lock"):
            await migrator.rollback()
        assert await migrator.status()  # reading needs no lock
    assert not {"users", "posts"} & await tables(app)
    assert len((await migrator.migrate()).steps) == 5
