"""Fixtures: a fresh database per dialect, apps booted with the kernel, throwaway packages.

SQLite always runs. PostgreSQL runs when ``DATABASE_URL`` is a PostgreSQL URL and MySQL /
MariaDB when ``MYSQL_URL`` is set; each test run creates its own ``foundry_test_<random>``
database on those servers and drops it at the end, so concurrent runs never collide. With
``FOUNDRY_REQUIRE_SERVICES=1`` a missing URL or an unreachable server fails those tests
instead of skipping them.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import sys
import textwrap
from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import urlsplit, urlunsplit

import pytest
from sqlmodel import SQLModel

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the shared infra_support module

from infra_support import Package

from foundry.application import Application
from foundry.domain.provider import ServiceProvider
from foundry.infra.provider import InfraServiceProvider

REQUIRE_SERVICES = os.environ.get("FOUNDRY_REQUIRE_SERVICES") == "1"
_GIVEN_DATABASE_URL = os.environ.get("DATABASE_URL", "").strip()
_GIVEN_MYSQL_URL = os.environ.get("MYSQL_URL", "").strip()
DIALECTS = ("sqlite", "postgresql", "mysql")
SQLITE_URL = "sqlite:///storage/database.sqlite"


# --- server databases -------------------------------------------------------------------


def given_server_url(kind: str) -> str | None:
    """The URL the environment names for ``kind`` (``postgresql`` or ``mysql``)."""
    if kind == "postgresql":
        scheme = _GIVEN_DATABASE_URL.partition("://")[0].partition("+")[0].lower()
        return _GIVEN_DATABASE_URL if scheme in ("postgres", "postgresql") else None
    return _GIVEN_MYSQL_URL or None


def _with_database(url: str, database: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{database}", parts.query, ""))


async def _admin(kind: str, url: str, statement: str) -> None:
    from sqlalchemy.ext.asyncio import create_async_engine

    from foundry.infra.urls import parse_database_url

    admin = _with_database(url, "postgres" if kind == "postgresql" else "")
    parsed = parse_database_url(admin)
    timeout = {"timeout": 5} if kind == "postgresql" else {"connect_timeout": 5}
    engine = create_async_engine(
        parsed.driver_url, isolation_level="AUTOCOMMIT", connect_args=timeout
    )
    try:
        async with engine.connect() as connection:
            await connection.exec_driver_sql(statement)
    finally:
        await engine.dispose()


def _blocking(kind: str, url: str, statement: str) -> None:
    """Run an admin statement on its own loop in a thread (callers may be inside a loop)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, _admin(kind, url, statement)).result()


class ServerDatabases:
    """Creates one ``foundry_test_<random>`` database per server, on first use."""

    def __init__(self) -> None:
        self.name = f"foundry_test_{secrets.token_hex(4)}"
        self._urls: dict[str, str] = {}
        self._problems: dict[str, str] = {}

    def url(self, kind: str) -> str:
        if kind in self._urls:
            return self._urls[kind]
        problem = self._problems.get(kind)
        if problem is None:
            given = given_server_url(kind)
            variable = "DATABASE_URL (postgresql://...)" if kind == "postgresql" else "MYSQL_URL"
            if given is None:
                problem = f"{kind} tests need {variable}"
            else:
                try:
                    _blocking(kind, given, f"CREATE DATABASE {self.name}")
                except Exception as exc:
                    problem = f"{kind} server is not reachable: {type(exc).__name__}: {exc}"
                else:
                    self._urls[kind] = _with_database(given, self.name)
                    return self._urls[kind]
            self._problems[kind] = problem
        if REQUIRE_SERVICES:
            pytest.fail(f"FOUNDRY_REQUIRE_SERVICES=1 and {problem}")
        pytest.skip(problem)

    def drop(self) -> None:
        for kind in self._urls:
            given = given_server_url(kind)
            assert given is not None
            force = " WITH (FORCE)" if kind == "postgresql" else ""
            _blocking(kind, given, f"DROP DATABASE IF EXISTS {self.name}{force}")


@pytest.fixture(scope="session")
def servers() -> Iterator[ServerDatabases]:
    databases = ServerDatabases()
    yield databases
    databases.drop()


async def wipe_url(url: str, base: Path) -> None:
    from foundry.infra.database import SQLDatabase
    from foundry.infra.schema import wipe

    database = SQLDatabase(url, base_path=base)
    try:
        await wipe(database)
    finally:
        await database.dispose()


@pytest.fixture(params=DIALECTS)
def dialect(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def base(tmp_path: Path) -> Path:
    folder = tmp_path / "app"
    folder.mkdir()
    return folder


@pytest.fixture
async def db_url(dialect: str, servers: ServerDatabases, base: Path) -> str:
    """An empty database of ``dialect`` (SQLite: a file inside the app folder)."""
    if dialect == "sqlite":
        return SQLITE_URL
    url = servers.url(dialect)
    await wipe_url(url, base)
    return url


# --- isolation of the global state tests touch ------------------------------------------


@pytest.fixture(autouse=True)
def isolated_state(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test starts without app modules, test models or stray variables, and leaves
    ``sys.path``, ``sys.modules`` and SQLModel's metadata as it found them."""
    for name in ("DATABASE_URL", "APP_ENV", "DATABASE_POOL_SIZE", "DATABASE_CONNECT_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    saved_path = list(sys.path)
    tables = set(SQLModel.metadata.tables)
    yield
    sys.path[:] = saved_path
    for name in list(sys.modules):
        if name.split(".")[0] in ("app", "database") or name.startswith("pkg_"):
            del sys.modules[name]
    registry = SQLModel._sa_registry
    for key in set(SQLModel.metadata.tables) - tables:
        table = SQLModel.metadata.tables[key]
        for mapper in list(registry.mappers):
            if mapper.local_table is table:
                registry._dispose_cls(mapper.class_)
        SQLModel.metadata.remove(table)


# --- applications -----------------------------------------------------------------------


def stub_provider() -> type[ServiceProvider]:
    """The real stub system when installed, else a minimal Jinja2 renderer for tests."""
    try:
        from foundry.stub_system.provider import StubSystemServiceProvider
    except ImportError:
        return _TestStubProvider
    return StubSystemServiceProvider


class _TestStubRenderer:
    """Test double of ``StubRenderer``: the providers' stub folders, Jinja2, strict."""

    def __init__(self, app: Application) -> None:
        from importlib import resources

        import jinja2

        self._folders = []
        for provider in app.providers:
            reference = type(provider).stubs
            if reference:
                package, _, folder = reference.partition(":")
                self._folders.append(Path(str(resources.files(package).joinpath(folder))))
        self._env = jinja2.Environment(  # noqa: S701 - renders source code
            undefined=jinja2.StrictUndefined,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )

    def _find(self, stub: str) -> Path:
        from foundry.domain.errors import NotFoundError

        for folder in self._folders:
            for path in folder.glob("*.jinja"):
                if path.name.removesuffix(".jinja").rsplit(".", 1)[0] == stub:
                    return path
        raise NotFoundError(f"no stub {stub}")

    def stub_names(self) -> list[str]:
        return sorted(
            p.name.removesuffix(".jinja").rsplit(".", 1)[0]
            for f in self._folders
            for p in f.glob("*.jinja")
        )

    def render(self, stub: str, context: Mapping[str, Any]) -> str:
        return self._env.from_string(self._find(stub).read_text()).render(dict(context))

    def write(self, files: Sequence[Any], *, base_path: Path, dry_run=False, force=False):
        from foundry.domain.errors import ConflictError
        from foundry.domain.stubs import GeneratedFile

        rendered = [(f, self.render(f.stub, f.context)) for f in files]
        existing = [f.path for f, _ in rendered if (base_path / f.path).exists()]
        if existing and not force:
            raise ConflictError(f"{existing} exist")
        out = []
        for planned, text in rendered:
            if not dry_run:
                target = base_path / planned.path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text)
            out.append(GeneratedFile(planned.path, "planned" if dry_run else "created"))
        return out


class _TestStubProvider(ServiceProvider):
    name = "test-stubs"

    def register(self, app: Application) -> None:
        from foundry.domain.stubs import StubRenderer

        app.singleton(StubRenderer, lambda c: _TestStubRenderer(app))


@pytest.fixture
async def make_app(
    base: Path, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[Callable[..., Application]]:
    """Build and boot an app on ``url`` with the infra provider (plus ``providers``)."""
    built: list[Application] = []

    def build(
        url: str,
        *providers: type[ServiceProvider],
        env: Mapping[str, str] | None = None,
        stubs: bool = True,
    ) -> Application:
        monkeypatch.setenv("DATABASE_URL", url)
        for key, value in (env or {}).items():
            monkeypatch.setenv(key, value)
        chosen: list[type[ServiceProvider]] = [InfraServiceProvider, *providers]
        if stubs:
            chosen.append(stub_provider())
        app = Application(base, providers=chosen, discover=False).boot()
        built.append(app)
        return app

    yield build
    for app in built:
        await app.terminate()


# --- throwaway packages with real revision files ----------------------------------------


@pytest.fixture
def make_package(tmp_path: Path) -> Callable[..., Package]:
    """``make_package("auth")``: a package ``pkg_auth_<hex>`` whose provider is named
    ``auth`` (so its branch is ``auth``) and ships ``migrations/``."""
    root = tmp_path / "site-packages"
    root.mkdir(exist_ok=True)
    sys.path.insert(0, str(root))

    def build(branch: str, models: str | None = None) -> Package:
        name = f"pkg_{branch}_{secrets.token_hex(3)}"
        folder = root / name
        (folder / "migrations").mkdir(parents=True)
        (folder / "__init__.py").write_text("")
        if models is not None:
            (folder / "models.py").write_text(textwrap.dedent(models))
        provider = type(
            f"{branch.title()}Provider",
            (ServiceProvider,),
            {
                "name": branch,
                "migrations": f"{name}:migrations",
                "package": f"acme-{branch}",
                "__annotations__": {"migrations": ClassVar[str]},
            },
        )
        return Package(name, branch, folder, provider)

    return build
