from __future__ import annotations

import asyncio
import io
import os
from collections.abc import Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from foundry.application import Application, create_app
from foundry.domain.application import CommandOutcome, CommandRunner
from foundry.domain.commands import Verbosity
from foundry.domain.database import Database
from foundry.domain.errors import ServiceUnavailableError
from foundry.domain.outputs import PlainOutput
from foundry.domain.provider import ServiceProvider
from foundry.health.provider import HealthServiceProvider

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


@dataclass
class Ran:
    outcome: CommandOutcome
    stdout: str
    stderr: str

    @property
    def data(self) -> Any:
        return self.outcome.result.data


@pytest.fixture
def run():
    async def call(app: Application, name: str, *argv: str, **options: Any) -> Ran:
        out, err = io.StringIO(), io.StringIO()
        verbosity = options.pop("verbosity", Verbosity.NORMAL)
        output = PlainOutput(stdout=out, stderr=err, verbosity=verbosity)
        outcome = await app.make(CommandRunner).run(
            name, list(argv), output=output, verbosity=verbosity, **options
        )
        return Ran(outcome, out.getvalue(), err.getvalue())

    return call


@pytest.fixture
def local_redis(redis_url: str) -> str:
    """The local Redis URL (foundry-testing's ``redis_url``: skipped when Redis is not
    running, a failure under FOUNDRY_REQUIRE_SERVICES=1)."""
    return redis_url


class DictCache:
    """A small dict-backed implementation of the ``Cache`` contract (TTLs ignored: the
    tests never outlive them)."""

    def __init__(self) -> None:
        self.data: dict[str, Any] = {}

    async def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    async def set(self, key: str, value: Any, ttl: Any = None) -> None:
        self.data[key] = value

    async def add(self, key: str, value: Any, ttl: Any = None) -> bool:
        if key in self.data:
            return False
        self.data[key] = value
        return True

    async def forget(self, key: str) -> bool:
        return self.data.pop(key, None) is not None

    async def has(self, key: str) -> bool:
        return key in self.data

    async def pull(self, key: str, default: Any = None) -> Any:
        return self.data.pop(key, default)

    async def increment(self, key: str, amount: int = 1) -> int:
        self.data[key] = int(self.data.get(key, 0)) + amount
        return int(self.data[key])

    async def decrement(self, key: str, amount: int = 1) -> int:
        return await self.increment(key, -amount)

    async def get_many(self, keys: Any) -> dict[str, Any]:
        return {k: self.data.get(k) for k in keys}

    async def set_many(self, values: Mapping[str, Any], ttl: Any = None) -> None:
        self.data.update(values)

    async def remember(self, key: str, ttl: Any, factory: Any) -> Any:
        if key not in self.data:
            value = factory()
            self.data[key] = await value if asyncio.iscoroutine(value) else value
        return self.data[key]

    async def flush(self) -> None:
        self.data.clear()

    def lock(self, name: str, ttl: float, owner: str | None = None) -> DictLock:
        return DictLock(self, name, owner or os.urandom(8).hex())

    def tags(self, *names: str) -> Any:
        return self


class DictLock:
    """The ``Lock`` contract over :class:`DictCache` (one process, one loop)."""

    def __init__(self, cache: DictCache, name: str, owner: str) -> None:
        self.cache, self._name, self._owner = cache, name, owner
        self.key = f"lock:{name}"

    @property
    def name(self) -> str:
        return self._name

    @property
    def owner(self) -> str:
        return self._owner

    async def acquire(self) -> bool:
        return await self.cache.add(self.key, self._owner)

    async def block(self, timeout: float) -> bool:
        deadline = asyncio.get_running_loop().time() + timeout
        while not await self.acquire():
            if asyncio.get_running_loop().time() >= deadline:
                return False
            await asyncio.sleep(0.01)
        return True

    async def release(self) -> bool:
        if self.cache.data.get(self.key) != self._owner:
            return False
        del self.cache.data[self.key]
        return True

    async def force_release(self) -> None:
        self.cache.data.pop(self.key, None)

    async def __aenter__(self) -> DictLock:
        await self.block(10)
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.release()


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
        DictCache=DictCache,
        ListQueue=ListQueue,
    )
