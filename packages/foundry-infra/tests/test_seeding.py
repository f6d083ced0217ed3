"""db:seed and the seed options of migrate, refresh and fresh; factories."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from infra_support import app_migration, create_table, run, write_module
from sqlmodel import Field, SQLModel, func, select

from foundry.application import Application
from foundry.domain.database import Database
from foundry.infra.factories import Factory

TAG_MODEL = """
from sqlmodel import Field, SQLModel


class Tag(SQLModel, table=True):
    __tablename__ = "tags"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=50, unique=True)
"""

TAG_FACTORY = """
from typing import Any

from foundry.infra import Factory

from app.models.tag import Tag


class TagFactory(Factory[Tag]):
    model = Tag

    def definition(self) -> dict[str, Any]:
        return {"name": f"tag-{self.sequence}"}
"""

SEEDERS = {
    "database/seeders/database_seeder.py": """
        from foundry.infra import Seeder

        from database.seeders.tag_seeder import TagSeeder
        from database.seeders.clock_seeder import ClockSeeder


        class DatabaseSeeder(Seeder):
            async def run(self, session):
                await self.call(session, TagSeeder, ClockSeeder)
        """,
    "database/seeders/tag_seeder.py": """
        from foundry.infra import Seeder

        from database.factories.tag_factory import TagFactory


        class TagSeeder(Seeder):
            async def run(self, session):
                await TagFactory().create_many(session, 3)
        """,
    "database/seeders/clock_seeder.py": """
        from foundry.domain.clock import Clock
        from foundry.infra import Seeder

        from app.models.tag import Tag


        class ClockSeeder(Seeder):
            def __init__(self, clock: Clock) -> None:
                self.clock = clock

            async def run(self, session):
                session.add(Tag(name=f"seeded-{self.clock.now().year}"))
        """,
    "database/seeders/broken_seeder.py": """
        from foundry.infra import Seeder

        from app.models.tag import Tag


        class BrokenSeeder(Seeder):
            async def run(self, session):
                session.add(Tag(name="written-then-lost"))
                await session.flush()
                raise RuntimeError("the seeder broke")
        """,
}


@pytest.fixture
async def app(make_app: Callable[..., Application], db_url: str, base: Path) -> Application:
    application = make_app(db_url)
    name = 'sa.Column("name", sa.String(50), nullable=False, unique=True)'
    app_migration(
        base, "2025_01_01_000000_tags.py", create_table("t1", "tags", branch="app", columns=name)
    )
    write_module(base, "app/models/tag.py", TAG_MODEL)
    write_module(base, "database/factories/tag_factory.py", TAG_FACTORY)
    for path, source in SEEDERS.items():
        write_module(base, path, source)
    return application


async def tag_names(app: Application) -> list[str]:
    import importlib

    tag = importlib.import_module("app.models.tag").Tag
    async with app.make(Database).session() as session:
        return sorted((await session.exec(select(tag.name))).all())


async def test_db_seed_runs_the_database_seeder_and_what_it_calls(app: Application) -> None:
    await run(app, "migrate")
    ran = await run(app, "db:seed", format="json")
    assert ran.exit_code == 0, ran.message
    assert ran.data["seeder"] == "DatabaseSeeder"
    names = await tag_names(app)
    assert {n for n in names if n.startswith("tag-")} == {"tag-1", "tag-2", "tag-3"}
    assert any(n.startswith("seeded-20") for n in names)  # the container built ClockSeeder


async def test_db_seed_class_runs_one_seeder(app: Application) -> None:
    await run(app, "migrate")
    ran = await run(app, "db:seed", "--class", "TagSeeder")
    assert ran.exit_code == 0, ran.message
    assert len(await tag_names(app)) == 3


async def test_a_failing_seeder_saves_nothing(app: Application) -> None:
    await run(app, "migrate")
    ran = await run(app, "db:seed", "--class", "BrokenSeeder")
    assert ran.exit_code == 1
    assert ran.message == (
        "Seeding with BrokenSeeder failed: RuntimeError: the seeder broke. Nothing was saved "
        "(the seeding transaction was rolled back)."
    )
    assert await tag_names(app) == []


async def test_an_unknown_seeder_lists_the_ones_there_are(app: Application) -> None:
    await run(app, "migrate")
    ran = await run(app, "db:seed", "--class", "NoSuchSeeder")
    assert ran.exit_code == 1
    message = ran.message or ""
    assert "No seeder NoSuchSeeder in database/seeders/" in message
    assert "BrokenSeeder, ClockSeeder, DatabaseSeeder, TagSeeder" in message
    assert "foundry make:seeder NoSuchSeeder" in message


@pytest.mark.parametrize("command", ["migrate", "migrate:refresh", "migrate:fresh"])
async def test_seed_option_seeds_after_migrating(app: Application, command: str) -> None:
    if command != "migrate":
        await run(app, "migrate")
    ran = await run(app, command, "--seed", "--seeder", "TagSeeder", format="json")
    assert ran.exit_code == 0, ran.message
    assert ran.data["seeded"]["seeder"] == "TagSeeder"
    assert len(await tag_names(app)) == 3


class Widget(SQLModel):
    id: int | None = Field(default=None)
    name: str
    size: int = 1
    colour: str = "grey"


class WidgetFactory(Factory[Widget]):
    model = Widget

    def definition(self) -> dict[str, Any]:
        return {"name": f"widget-{self.sequence}", "size": lambda: 10}


def test_factories_number_instances_and_apply_overrides_and_states() -> None:
    WidgetFactory.reset_sequence()
    first, second = WidgetFactory().make_many(2)
    assert (first.name, second.name) == ("widget-1", "widget-2")
    assert first.size == 10  # callables are called per instance
    big_red = WidgetFactory().state(colour="red").make(size=99)
    assert (big_red.name, big_red.colour, big_red.size) == ("widget-3", "red", 99)


async def test_factories_create_rows_with_primary_keys(
    make_app: Callable[..., Application], db_url: str, base: Path
) -> None:
    write_module(base, "app/models/tag.py", TAG_MODEL)
    write_module(base, "database/factories/tag_factory.py", TAG_FACTORY)
    app = make_app(db_url)
    import importlib

    tag = importlib.import_module("app.models.tag").Tag
    factory = importlib.import_module("database.factories.tag_factory").TagFactory
    database = app.make(Database)
    async with database.engine.begin() as connection:
        await connection.run_sync(tag.__table__.create)
    async with database.session() as session:
        made = await factory().create_many(session, 4)
        assert all(t.id is not None for t in made)
        one = await factory().create(session, name="chosen")
    async with database.session() as session:
        count = (await session.exec(select(func.count()).select_from(tag))).one()
    assert count == 5
    assert one.name == "chosen"
