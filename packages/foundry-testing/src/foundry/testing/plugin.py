"""The pytest plugin (entry point ``pytest11: foundry``): Foundry's test fixtures.

Loaded automatically wherever foundry-testing is installed. It adds no behaviour to a test
that uses none of its fixtures: the application is found, built and migrated only when a
test asks for ``app`` (or a fixture that needs it).

Configuration (``[tool.pytest.ini_options]``):

* ``foundry_base_path`` — the application root, relative to the rootdir (default: the
  nearest folder at or above the rootdir whose pyproject has ``[tool.foundry]``);
* ``foundry_providers`` — ``module:Class`` providers added to every test's application;
* ``foundry_env`` — ``KEY=value`` lines set for the whole session.

Per test (or per module, in a conftest), override the ``foundry_providers`` and
``foundry_env`` fixtures, and mark a test ``@pytest.mark.frozen_clock("2025-06-01T12:00:00+00:00")``
to start ``frozen_clock`` there.

Real services: ``server_databases`` (session) creates a throwaway ``foundry_test_<random>``
database per server named by ``DATABASE_URL`` / ``MYSQL_URL``; ``redis_url`` is the test
Redis and ``redis_prefix`` a key prefix of the test alone; ``redis_server`` a
``redis-server`` of the test's own, to stop and start; ``closed_port`` a local port that
refuses connections. Each skips its test when the service is missing, or fails it under
``FOUNDRY_REQUIRE_SERVICES=1``.

The application root is put on ``sys.path`` when pytest starts, so test modules import
``app.models`` like the application does.
"""

from __future__ import annotations

import os
import sys
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from foundry.testing.errors import TestSetupError
from foundry.testing.harness import Harness
from foundry.testing.project import find_app_root, parse_env_lines, parse_providers
from foundry.testing.session import TestSession

__all__ = [
    "acting_as",
    "app",
    "client",
    "closed_port",
    "db",
    "events",
    "factories",
    "foundry_env",
    "foundry_providers",
    "foundry_session",
    "frozen_clock",
    "http",
    "mail",
    "queue",
    "redis_prefix",
    "redis_server",
    "redis_url",
    "run_command",
    "server_databases",
]

BASE_URL = "http://testserver"

# The server URLs as the run started: tests clear DATABASE_URL for the app under test, and
# that must not hide the servers from ``server_databases`` (a plain dict: nothing imported).
_SERVER_ENVIRONMENT = {k: os.environ[k] for k in ("DATABASE_URL", "MYSQL_URL") if k in os.environ}


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini(
        "foundry_base_path",
        "Foundry: the application root, relative to the rootdir (default: the nearest "
        "pyproject with [tool.foundry] at or above it)",
        default=None,
    )
    parser.addini(
        "foundry_providers",
        "Foundry: module:Class providers added to every test's application",
        type="linelist",
        default=[],
    )
    parser.addini(
        "foundry_env",
        "Foundry: KEY=value environment variables for the whole test session",
        type="linelist",
        default=[],
    )


def pytest_configure(config: pytest.Config) -> None:
    _importable_app(config)
    config.addinivalue_line(
        "markers",
        "frozen_clock(at): start the frozen_clock fixture at this aware datetime "
        "(or ISO 8601 text with an offset)",
    )


def _importable_app(config: pytest.Config) -> None:
    """Put the application root on ``sys.path``, as the kernel does for the app itself, so
    test modules can ``from app.models import Post`` at import time."""
    try:
        root = find_app_root(config.rootpath, config.getini("foundry_base_path") or None)
    except TestSetupError:
        return  # not a Foundry app (or misconfigured: the app fixture will say so)
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))


# --- the session and the application ---------------------------------------------------


@pytest.fixture(scope="session")
def foundry_session(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestSession]:
    """The application root, the kernel and the migrated database, once per session."""
    config = request.config
    base_path = find_app_root(config.rootpath, config.getini("foundry_base_path") or None)
    session = TestSession(
        base_path,
        providers=parse_providers(config.getini("foundry_providers"), "foundry_providers"),
        env=parse_env_lines(config.getini("foundry_env"), "foundry_env"),
        temp_dir=tmp_path_factory.mktemp("foundry"),
    )
    session.start()
    yield session
    session.stop()


@pytest.fixture
def foundry_providers(foundry_session: TestSession) -> list[Any]:
    """Providers added to this test's application (override to add your own)."""
    return list(foundry_session.providers)


@pytest.fixture
def foundry_env() -> dict[str, str]:
    """Variables set for this test only (override to add your own)."""
    return {}


def _frozen_at(node: pytest.Item) -> datetime | None:
    marker = node.get_closest_marker("frozen_clock")
    if marker is None or not marker.args:
        return None
    value = marker.args[0]
    at = datetime.fromisoformat(value) if isinstance(value, str) else value
    if not isinstance(at, datetime) or at.tzinfo is None:
        raise pytest.UsageError(
            f"@pytest.mark.frozen_clock({value!r}) on {node.nodeid}: give an aware datetime "
            "or ISO 8601 text with an offset, e.g. '2025-06-01T12:00:00+00:00'."
        )
    return at


@pytest.fixture
def _foundry_harness(foundry_session: TestSession) -> Harness:
    return Harness(foundry_session.kernel, foundry_session.base_path)


@pytest_asyncio.fixture
async def app(
    request: pytest.FixtureRequest,
    _foundry_harness: Harness,
    foundry_providers: list[Any],
    foundry_env: dict[str, str],
) -> AsyncIterator[Any]:
    """A new, booted application for this test, its database work rolled back after it."""
    harness = _foundry_harness
    frozen_at = _frozen_at(request.node) if isinstance(request.node, pytest.Item) else None
    try:
        yield harness.build(foundry_providers, foundry_env, request.fixturenames, frozen_at)
    finally:
        await harness.close()


@pytest_asyncio.fixture
async def client(app: Any, _foundry_harness: Harness) -> AsyncIterator[Any]:
    """An ``httpx.AsyncClient`` on the application, its lifespan started and stopped."""
    import httpx

    from foundry.testing.lifespan import Lifespan

    asgi = _foundry_harness.kernel.http(app)
    async with Lifespan(asgi):
        transport = httpx.ASGITransport(app=asgi)
        async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as http_client:
            yield http_client


@pytest_asyncio.fixture
async def db(app: Any, _foundry_harness: Harness) -> AsyncIterator[Any]:
    """An ``AsyncSession`` inside the test's transaction (shared with the code under test)."""
    session = await _foundry_harness.require_transaction().open_session()
    try:
        yield session
    finally:
        await session.close()


@pytest.fixture
def factories(app: Any, db: Any, faker: Any) -> Any:
    """Model factories saving through ``db``, filling columns with ``faker``'s data."""
    from foundry.domain.database import Database
    from foundry.testing.factories import Factories

    async def session() -> Any:
        return db

    return Factories(app.make(Database), Path(app.base_path), session, faker)


@pytest.fixture
def acting_as(app: Any, client: Any, _foundry_harness: Harness) -> Callable[..., str]:
    """``acting_as(user, abilities=("*",))``: later ``client`` requests carry a bearer token
    that every token-verifying guard accepts as ``user``; returns the token."""

    def act(user: Any, abilities: Iterable[str] = ("*",)) -> str:
        token = _foundry_harness.verifier().issue(user, abilities)
        client.headers["Authorization"] = f"Bearer {token}"
        return token

    return act


@pytest.fixture
def frozen_clock(app: Any, _foundry_harness: Harness) -> Any:
    """A ``FrozenClock`` bound as the application's ``Clock``."""
    return _foundry_harness.clock()


@pytest.fixture
def mail(app: Any, _foundry_harness: Harness) -> Any:
    """A recording ``Mailer`` (:class:`foundry.testing.MailFake`)."""
    return _foundry_harness.mail()


@pytest.fixture
def queue(app: Any, _foundry_harness: Harness) -> Any:
    """A recording ``QueueDispatcher`` (:class:`foundry.testing.QueueFake`)."""
    return _foundry_harness.queue()


@pytest.fixture
def events(app: Any, _foundry_harness: Harness) -> Any:
    """A recording ``EventDispatcher`` (:class:`foundry.testing.EventFake`)."""
    return _foundry_harness.events()


@pytest.fixture
def http() -> Iterator[Any]:
    """Outbound httpx requests faked and recorded (:class:`foundry.testing.HttpFake`)."""
    from foundry.testing.fakes.http import HttpFake

    fake = HttpFake()
    fake.start()
    try:
        yield fake
    finally:
        fake.stop()


@pytest.fixture
def run_command(app: Any) -> Any:
    """``await run_command(name, *args, **params)`` -> ``ExecutionResult`` with the output."""
    from foundry.testing.running import CommandRunnerHelper

    return CommandRunnerHelper(app)


# --- real services ---------------------------------------------------------------------


@pytest.fixture(scope="session")
def server_databases() -> Iterator[Any]:
    """This run's throwaway databases (:class:`foundry.testing.servers.ServerDatabases`):
    ``server_databases.url("postgresql")`` / ``("mysql")``; dropped at session end."""
    from foundry.testing.servers import ServerDatabases

    databases = ServerDatabases(_SERVER_ENVIRONMENT)
    try:
        yield databases
    finally:
        databases.drop()


@pytest.fixture
def closed_port() -> Iterator[int]:
    """A local port that refuses connections (a server that is down)."""
    from foundry.testing.servers import refused_port

    with refused_port() as port:
        yield port


@pytest.fixture
def redis_url() -> str:
    """The test Redis URL (``FOUNDRY_TEST_REDIS_URL``, default the local server); skips
    the test when it is not reachable, or fails it under ``FOUNDRY_REQUIRE_SERVICES=1``."""
    from foundry.testing.redis import require_redis

    return require_redis()


@pytest.fixture
def redis_prefix(redis_url: str) -> Iterator[str]:
    """A Redis key prefix of this test alone; its keys (only those) are deleted after."""
    from foundry.testing.redis import isolated_prefix

    with isolated_prefix(redis_url) as prefix:
        yield prefix


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[Any]:
    """A started ``redis-server`` of this test alone
    (:class:`foundry.testing.redis.RedisServerProcess`), stopped after it; skips the test
    when the binary is missing, or fails it under ``FOUNDRY_REQUIRE_SERVICES=1``."""
    import shutil

    from foundry.testing.redis import RedisServerProcess
    from foundry.testing.servers import require_service

    if shutil.which("redis-server") is None:
        require_service("redis-server is not installed")
    server = RedisServerProcess(tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.kill()
