from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from foundry.application import Application, create_app
from foundry.domain.database import Database
from foundry.domain.errors import ServiceUnavailableError
from foundry.domain.provider import ServiceProvider
from foundry.health.provider import HealthServiceProvider
from foundry.testing.fakes.cache import CacheFake
from foundry.testing.running import CapturedCommand, capture_command

CLEARED = (
    "APP_ENV",
    "APP_DEBUG",
    "APP_NAME",
    "FOUNDRY_DONT_DISCOVER",
    "FOUNDRY_BASE_PATH",
    "HEALTH_TIMEOUT",
    "HEALTH_DISK_MIN_FREE",
    "HEALTH_DISK_CRITICAL_FREE",
    "HEALTH_MEMORY_MAX_USED",
    "HEALTH_MEMORY_MAX_RSS",
    "REDIS_URL",
)


@pytest.fixture
def base(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty app root, isolated from the caller's environment."""
    for name in CLEARED:
        monkeypatch.delenv(name, raising=False)
    return tmp_path


@pytest.fixture
async def open_port() -> Any:
    """A local TCP server that accepts connections (and closes them)."""

    async def accept(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.close()

    server = await asyncio.start_server(accept, "127.0.0.1", 0)
    try:
        yield server.sockets[0].getsockname()[1]
    finally:
        server.close()
        await server.wait_closed()


class TcpDatabase:
    """A minimal implementation of the ``Database`` contract whose ``ping`` opens a real
    TCP connection to ``host:port`` (what a driver's first step is)."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port

    @property
    def url(self) -> str:
        return f"postgresql://app:***@{self.host}:{self.port}/app"

    @property
    def dialect(self) -> str:
        return "postgresql"

    @property
    def engine(self) -> Any:
        return None

    @asynccontextmanager
    async def session(self) -> Any:
        raise ServiceUnavailableError("TcpDatabase has no sessions")
        yield

    async def ping(self, timeout: float = 2.0) -> None:
        try:
            _reader, writer = await asyncio.wait_for(
                asyncio.open_connection(self.host, self.port), timeout
            )
        except OSError as exc:
            raise ServiceUnavailableError(
                f"Database at {self.host}:{self.port} is unreachable: {exc.strerror or exc}"
            ) from exc
        writer.close()
        await writer.wait_closed()

    def models(self) -> Mapping[str, type[Any]]:
        return {}

    async def dispose(self) -> None:
        return None


class Binding(ServiceProvider):
    """Binds given instances (a test's Database, Cache, Queue) like a package would."""

    name = "test-bindings"

    def __init__(self, **instances: Any) -> None:
        self.instances = instances

    def register(self, app: Any) -> None:
        for abstract, instance in self.values():
            app.instance(abstract, instance)

    def values(self) -> list[tuple[Any, Any]]:
        from foundry.domain.cache import Cache
        from foundry.domain.queue import Queue

        keys = {"database": Database, "cache": Cache, "queue": Queue}
        return [(keys[name], value) for name, value in self.instances.items()]


class Contributing(ServiceProvider):
    """A package contributing its own checks through ``health_checks``."""

    def __init__(self, *checks: Any, name: str = "contrib", package: str | None = None) -> None:
        self.checks = checks
        self.name = name  # type: ignore[misc]
        self.package = package

    def health_checks(self, app: Any) -> Any:
        return self.checks


@pytest.fixture
def make_app(base: Path):
    def build(*providers: Any) -> Application:
        app = Application(base, providers=[HealthServiceProvider, *providers], discover=False)
        return app.boot()

    return build


@pytest.fixture
def client(base: Path):
    @asynccontextmanager
    async def open_client(*providers: Any) -> Any:
        api = create_app(base, providers=[HealthServiceProvider, *providers], discover=False)
        async with api.router.lifespan_context(api):
            transport = httpx.ASGITransport(app=api)
            async with httpx.AsyncClient(transport=transport, base_url="http://app") as http:
                yield http

    return open_client


@pytest.fixture
def run() -> Callable[..., Awaitable[CapturedCommand]]:
    """``await run(app, name, *argv, **options)``: foundry-testing's ``capture_command``."""
    return capture_command


@pytest.fixture
def local_redis(redis_url: str) -> str:
    """The local Redis URL (foundry-testing's ``redis_url``: skipped when Redis is not
    running, a failure under FOUNDRY_REQUIRE_SERVICES=1)."""
    return redis_url


class ListQueue:
    """A list-backed implementation of the ``Queue`` contract."""

    def __init__(self) -> None:
        self.jobs: dict[str, list[Any]] = {}

    async def push(self, envelope: Any, *, delay: float = 0) -> str:
        self.jobs.setdefault(envelope.queue, []).append(envelope)
        return str(envelope.id)

    async def size(self, queue: str = "default") -> int:
        return len(self.jobs.get(queue, []))

    async def clear(self, queue: str = "default") -> int:
        return len(self.jobs.pop(queue, []))


@pytest.fixture
def kit() -> Any:
    """The test implementations above, for the test modules."""
    from types import SimpleNamespace

    return SimpleNamespace(
        TcpDatabase=TcpDatabase,
        Binding=Binding,
        Contributing=Contributing,
        CacheFake=CacheFake,
        ListQueue=ListQueue,
    )
