"""The provider: Database binding, variables, commands, stubs, lifecycle, health, import cost."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from importlib import resources
from pathlib import Path

import pytest

from foundry.application import Application
from foundry.domain.commands import Command
from foundry.domain.database import Database
from foundry.domain.discovery import load_reference
from foundry.domain.health import HealthStatus
from foundry.infra.database import SQLDatabase
from foundry.infra.provider import InfraServiceProvider

COMMANDS = {
    "migrate",
    "migrate:status",
    "migrate:rollback",
    "migrate:reset",
    "migrate:refresh",
    "migrate:fresh",
    "db:seed",
    "db:show",
    "db:table",
    "db:wipe",
    "make:migration",
    "make:model",
    "make:seeder",
}


def test_every_declared_command_loads_with_its_name() -> None:
    names = set()
    for reference in InfraServiceProvider.commands:
        cls = load_reference(reference)
        assert issubclass(cls, Command)
        assert cls.summary
        names.add(cls.name)
    assert names == COMMANDS


def test_rustforge_aliases_are_kept() -> None:
    aliases = {
        alias
        for reference in InfraServiceProvider.commands
        for alias in load_reference(reference).aliases
    }
    assert {"db:migrate", "db:rollback", "db:refresh", "db:fresh", "seed"} <= aliases


def test_variables_are_declared_with_their_config_keys() -> None:
    declared = {var.name: var for var in InfraServiceProvider.env}
    assert declared["DATABASE_URL"].key == "database.url"
    assert declared["DATABASE_URL"].default == "sqlite:///storage/database.sqlite"
    assert declared["DATABASE_URL"].secret
    assert declared["DATABASE_POOL_SIZE"].key == "database.pool_size"
    assert declared["DATABASE_POOL_MAX_LIFETIME"].key == "database.pool_max_lifetime"
    assert declared["DATABASE_CONNECT_TIMEOUT"].key == "database.connect_timeout"
    assert "DATABASE_POOL_MIN_IDLE" not in declared  # SQLAlchemy has no such setting


def test_the_stub_folder_ships_every_generator_stub() -> None:
    package, _, folder = (InfraServiceProvider.stubs or "").partition(":")
    names = sorted(p.name for p in resources.files(package).joinpath(folder).iterdir())
    assert names == [
        "factory.py.jinja",
        "migration.create.py.jinja",
        "migration.py.jinja",
        "model.py.jinja",
        "seeder.py.jinja",
    ]


def test_listing_commands_imports_no_sqlalchemy() -> None:
    modules = ["foundry.infra", "foundry.infra.provider"] + [
        ref.partition(":")[0] for ref in InfraServiceProvider.commands
    ]
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "heavy = ('sqlalchemy', 'alembic', 'sqlmodel', 'fastapi')\n"
        "print(','.join(m for m in heavy if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""


async def test_database_is_one_lazily_connected_singleton(
    make_app: Callable[..., Application], base: Path
) -> None:
    app = make_app("sqlite:///storage/database.sqlite", env={"DATABASE_POOL_SIZE": "3"})
    database = app.make(Database)
    assert isinstance(database, SQLDatabase)
    assert app.make(Database) is database
    assert database.settings.pool_size == 3
    assert database._engine is None
    assert not (base / "storage").exists()
    await database.ping(2)
    assert database.engine.pool.size() == 3  # type: ignore[attr-defined]


async def test_terminating_the_app_disposes_the_engine(
    make_app: Callable[..., Application],
) -> None:
    app = make_app("sqlite:///storage/database.sqlite")
    database = app.make(Database)
    await database.ping(2)
    assert database._engine is not None
    await app.terminate()
    assert database._engine is None


async def test_default_url_is_sqlite_in_the_storage_folder(base: Path) -> None:
    app = Application(base, providers=[InfraServiceProvider], discover=False).boot()
    database = app.make(Database)
    assert database.url == f"sqlite:///{(base / 'storage' / 'database.sqlite').resolve()}"
    await database.ping(2)
    assert (base / "storage" / "database.sqlite").is_file()
    await app.terminate()


async def test_health_check_reports_reachability(make_app: Callable[..., Application]) -> None:
    good = make_app("sqlite:///storage/database.sqlite")
    (check,) = InfraServiceProvider().health_checks(good)
    assert (check.name, check.critical) == ("database", True)
    result = await check.check()
    assert result.status is HealthStatus.OK


async def test_health_check_fails_when_unreachable(
    make_app: Callable[..., Application],
) -> None:
    bad = make_app("postgresql://app:pw@127.0.0.1:1/app")
    (check,) = InfraServiceProvider().health_checks(bad)
    result = await check.check()
    assert result.status is HealthStatus.FAILED
    assert result.message.endswith("is not reachable: connection refused")
    assert "pw" not in result.message.replace("pip", "")


def test_the_app_branch_is_a_migration_location(base: Path) -> None:
    (base / "database" / "migrations").mkdir(parents=True)
    app = Application(base, providers=[InfraServiceProvider], discover=False)
    (location,) = app.migration_locations
    assert (location.branch, location.path) == ("app", base / "database" / "migrations")


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_is_registered(base: Path, name: str) -> None:
    app = Application(base, providers=[InfraServiceProvider], discover=False)
    assert app.commands.has(name)


async def test_migrate_on_start_applies_migrations_when_the_server_starts_only(
    base: Path, make_app: Callable[..., Application]
) -> None:
    from infra_support import app_migration, create_table
    from sqlalchemy import inspect as inspect_schema

    from foundry.application import create_app

    app_migration(base, "a1_products.py", create_table("a1a1a1a1a1a1", "products", branch="app"))
    url = f"sqlite:///{base / 'start.sqlite'}"
    app = make_app(url, env={"DATABASE_MIGRATE_ON_START": "true"})

    async def tables() -> list[str]:
        async with app.make(Database).engine.connect() as connection:
            return await connection.run_sync(lambda c: inspect_schema(c).get_table_names())

    await app.startup()  # what every console command does: nothing is migrated
    assert "products" not in await tables()
    api = create_app(application=app)
    async with api.router.lifespan_context(api):
        assert "products" in await tables()
