"""Fixtures: a fresh database per dialect, apps booted with the kernel, throwaway packages.

SQLite always runs. PostgreSQL runs when ``DATABASE_URL`` is a PostgreSQL URL and MySQL /
MariaDB when ``MYSQL_URL`` is set, on foundry-testing's ``server_databases`` (a throwaway
``foundry_test_<random>`` database per server and run). With ``FOUNDRY_REQUIRE_SERVICES=1``
a missing URL or an unreachable server fails those tests instead of skipping them.
"""

from __future__ import annotations

import secrets
import sys
import textwrap
from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, ClassVar

import pytest
from sqlmodel import SQLModel

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the shared infra_support module

from infra_support import Package

from foundry.application import Application
from foundry.domain.provider import ServiceProvider
from foundry.infra.provider import InfraServiceProvider
from foundry.testing.servers import ServerDatabases, empty_database

DIALECTS = ("sqlite", "postgresql", "mysql")
SQLITE_URL = "sqlite:///storage/database.sqlite"


@pytest.fixture(params=DIALECTS)
def dialect(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def base(tmp_path: Path) -> Path:
    folder = tmp_path / "app"
    folder.mkdir()
    return folder


@pytest.fixture
async def db_url(dialect: str, server_databases: ServerDatabases) -> str:
    """An empty database of ``dialect`` (SQLite: a file inside the app folder; servers:
    foundry-testing's throwaway database of this run, emptied for the test)."""
    if dialect == "sqlite":
        return SQLITE_URL
    url = server_databases.url(dialect)
    await empty_database(url)
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
