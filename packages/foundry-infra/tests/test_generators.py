"""make:model, make:migration and make:seeder write code that passes ruff, imports and runs."""

from __future__ import annotations

import importlib
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from infra_support import Package, create_table, run, write_module

from foundry.application import Application

RUFF_RULES = "E,F,W,I,B,UP,SIM,RUF,PT,ASYNC,S,C4,PIE,RET"


def ruff_check(base: Path, files: list[str]) -> None:
    """The project's rule set, run the way a generated app would run it (from its root)."""
    from ruff.__main__ import find_ruff_bin

    command = [find_ruff_bin(), "check", "--isolated", "--select", RUFF_RULES]
    command += ["--target-version", "py311", "--line-length", "100", *files]
    done = subprocess.run(command, cwd=base, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def written(ran: object) -> list[str]:
    return [f["path"] for f in ran.data["files"]]  # type: ignore[attr-defined]


@pytest.fixture
def app(make_app: Callable[..., Application], db_url: str) -> Application:
    return make_app(db_url)


async def test_make_model_writes_model_migration_factory_and_seeder(
    app: Application, base: Path
) -> None:
    ran = await run(app, "make:model", "blog_post", "-m", "-f", "-s", format="json")
    assert ran.exit_code == 0, ran.message
    files = written(ran)
    assert files[0] == "app/models/blog_post.py"
    assert re.fullmatch(
        r"database/migrations/\d{4}_\d\d_\d\d_\d{6}_create_blog_posts_table\.py", files[1]
    )
    assert files[2:] == [
        "database/factories/blog_post_factory.py",
        "database/seeders/blog_post_seeder.py",
    ]
    assert ran.data["model"] == "BlogPost"
    assert ran.data["table"] == "blog_posts"
    ruff_check(base, files)
    model = importlib.import_module("app.models.blog_post").BlogPost
    assert model.__tablename__ == "blog_posts"
    factory = importlib.import_module("database.factories.blog_post_factory").BlogPostFactory
    assert isinstance(factory().make(), model)
    seeder = importlib.import_module("database.seeders.blog_post_seeder").BlogPostSeeder
    assert seeder.__name__ == "BlogPostSeeder"
    migration = (base / files[1]).read_text()
    assert f'revision: str = "{ran.data["revision"]}"' in migration
    assert 'branch_labels: tuple[str, ...] | None = ("app",)' in migration


async def test_generated_model_and_migration_agree_on_every_dialect(app: Application) -> None:
    made = await run(app, "make:model", "Post", "--migration")
    assert made.exit_code == 0, made.message
    migrated = await run(app, "migrate", format="json")
    assert migrated.exit_code == 0, migrated.message
    described = await run(app, "db:table", "posts", format="json")
    assert [c["name"] for c in described.data["columns"]] == ["id", "created_at", "updated_at"]
    drift = await run(app, "make:migration", "check", format="json")
    assert drift.exit_code == 0, drift.message
    assert drift.outcome.result.status.value == "skipped"
    assert "already match" in (drift.message or "")


POST_WITH_COLUMNS = """
from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from foundry.domain.clock import utcnow
from foundry.domain.sql import JSON, UTCDateTime
from sqlmodel import Field, SQLModel


class Post(SQLModel, table=True):
    __tablename__ = "posts"

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    title: str = Field(default="", max_length=200, index=True)
    meta: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    published: bool = False
    public_id: uuid.UUID | None = None
    published_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
"""


async def test_make_migration_autogenerates_what_the_models_add(
    app: Application, base: Path
) -> None:
    await run(app, "make:model", "Post", "--migration")
    await run(app, "migrate")
    write_module(base, "app/models/post.py", POST_WITH_COLUMNS)
    ran = await run(app, "make:migration", "add post details", format="json")
    assert ran.exit_code == 0, ran.message
    (path,) = written(ran)
    assert path.endswith("_add_post_details.py")
    text = (base / path).read_text()
    assert "with op.batch_alter_table('posts', schema=None) as batch_op:" in text
    assert "batch_op.add_column(sa.Column('meta', PORTABLE_JSON" in text
    assert "sa.Column('published_at', UTC_DATETIME, nullable=True)" in text
    assert "branch_labels: tuple[str, ...] | None = None" in text
    ruff_check(base, [path])
    migrated = await run(app, "migrate", format="json")
    assert migrated.exit_code == 0, migrated.message
    assert [s["revision"] for s in migrated.data["steps"]] == [ran.data["revision"]]
    columns = {
        c["name"] for c in (await run(app, "db:table", "posts", format="json")).data["columns"]
    }
    assert {"title", "meta", "published", "public_id", "published_at"} <= columns
    again = await run(app, "make:migration", "nothing new")
    assert again.outcome.result.status.value == "skipped", again.message
    back = await run(app, "migrate:rollback", format="json")
    assert back.exit_code == 0, back.message
    remaining = {
        c["name"] for c in (await run(app, "db:table", "posts", format="json")).data["columns"]
    }
    assert remaining == {"id", "created_at", "updated_at"}


async def test_make_migration_refuses_while_migrations_are_pending(
    app: Application, base: Path
) -> None:
    await run(app, "make:model", "Post", "--migration")
    ran = await run(app, "make:migration", "too_early")
    assert ran.exit_code == 1
    assert "pending" in (ran.message or "")
    assert "foundry migrate first" in (ran.message or "")


async def test_empty_migrations_chain_onto_the_app_branch(app: Application, base: Path) -> None:
    first = await run(app, "make:migration", "first step", "--empty", format="json")
    assert first.exit_code == 0, first.message
    second = await run(app, "make:migration", "second step", "--empty", format="json")
    assert second.data["down_revision"] == first.data["revision"]
    text = (base / written(second)[0]).read_text()
    assert f'down_revision: str | None = "{first.data["revision"]}"' in text
    assert "branch_labels: tuple[str, ...] | None = None" in text
    ruff_check(base, written(first) + written(second))
    migrated = await run(app, "migrate", format="json")
    assert [s["revision"] for s in migrated.data["steps"]] == [
        first.data["revision"],
        second.data["revision"],
    ]


async def test_make_seeder_writes_an_importable_seeder(app: Application, base: Path) -> None:
    ran = await run(app, "make:seeder", "DatabaseSeeder", format="json")
    assert ran.exit_code == 0, ran.message
    assert written(ran) == ["database/seeders/database_seeder.py"]
    ruff_check(base, written(ran))
    module = importlib.import_module("database.seeders.database_seeder")
    assert module.DatabaseSeeder.__mro__[1].__name__ == "Seeder"
    seeded = await run(app, "db:seed", format="json")
    assert seeded.exit_code == 0, seeded.message


async def test_generators_refuse_to_overwrite_without_force(app: Application, base: Path):
    await run(app, "make:model", "Post")
    (base / "app/models/post.py").write_text("# edited by hand\n")
    again = await run(app, "make:model", "Post")
    assert again.exit_code == 1
    assert "already exist" in (again.message or "")
    assert (base / "app/models/post.py").read_text() == "# edited by hand\n"
    forced = await run(app, "make:model", "Post", force=True)
    assert forced.exit_code == 0, forced.message
    assert "class Post(SQLModel, table=True)" in (base / "app/models/post.py").read_text()


async def test_dry_run_plans_and_writes_nothing(app: Application, base: Path) -> None:
    ran = await run(app, "make:model", "Post", "-m", format="json", dry_run=True)
    assert ran.exit_code == 0, ran.message
    assert {f["action"] for f in ran.data["files"]} == {"planned"}
    assert not (base / "app").exists()


@pytest.mark.parametrize("name", ["9lives", "bad name!", "class"])
async def test_bad_names_are_usage_errors(app: Application, name: str) -> None:
    ran = await run(app, "make:model", name)
    assert ran.exit_code == 2
    assert name in (ran.message or "")


async def test_generators_need_a_stub_renderer(
    make_app: Callable[..., Application], db_url: str, base: Path
) -> None:
    app = make_app(db_url, stubs=False)
    ran = await run(app, "make:model", "Post")
    assert ran.exit_code == 1
    assert "No StubRenderer is bound. Install foundry-stub-system" in (ran.message or "")
    assert not (base / "app").exists()


AUTH_MODELS = """
from sqlmodel import Field, SQLModel


class AuthUser(SQLModel, table=True):
    __tablename__ = "users"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=100)
    nickname: str | None = Field(default=None, max_length=50)  # not in its migration yet
"""

APP_POST = """
from sqlmodel import Field, SQLModel


class Post(SQLModel, table=True):
    __tablename__ = "posts"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id")
"""


async def test_autogenerate_leaves_package_tables_alone_and_depends_on_them(
    make_app: Callable[..., Application],
    make_package: Callable[..., Package],
    db_url: str,
    base: Path,
) -> None:
    auth = make_package("auth", models=AUTH_MODELS)
    auth.revision(
        "0001_users.py",
        create_table(
            "a1users",
            "users",
            branch="auth",
            columns='sa.Column("email", sa.String(100), nullable=False)',
        ),
    )
    importlib.import_module(f"{auth.name}.models")
    write_module(base, "app/models/post.py", APP_POST)
    app = make_app(db_url, auth.provider)
    assert (await run(app, "migrate")).exit_code == 0
    ran = await run(app, "make:migration", "create posts", format="json")
    assert ran.exit_code == 0, ran.message
    assert ran.data["depends_on"] == ["a1users"]
    text = (base / written(ran)[0]).read_text()
    assert 'depends_on: tuple[str, ...] | None = ("a1users",)' in text
    assert "op.create_table('posts'" in text
    assert "nickname" not in text  # the auth package's own migrations handle its tables
    ruff_check(base, written(ran))
    migrated = await run(app, "migrate", format="json")
    assert migrated.exit_code == 0, migrated.message
