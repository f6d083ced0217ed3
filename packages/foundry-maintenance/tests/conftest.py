from __future__ import annotations

import asyncio
import io
import os
from collections.abc import Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import pytest

from foundry.application import Application, create_app
from foundry.domain.application import CommandOutcome, CommandRunner
from foundry.domain.cache import Cache
from foundry.domain.clock import Clock
from foundry.domain.outputs import PlainOutput
from foundry.domain.provider import ServiceProvider
from foundry.maintenance.provider import MaintenanceServiceProvider

CLEARED = (
    "APP_ENV",
    "APP_DEBUG",
    "APP_NAME",
    "APP_URL",
    "APP_KEY",
    "FOUNDRY_DONT_DISCOVER",
    "FOUNDRY_BASE_PATH",
    "MAINTENANCE_CACHE_TTL",
    "MAINTENANCE_EXCEPT",
)


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


class DictCache:
    """A small dict-backed implementation of the ``Cache`` contract, standing in for
    foundry-cache (not a dependency of this package). It records the TTL of each write
    and counts reads, so tests can see what the maintenance code asked of the store."""

    def __init__(self) -> None:
        self.data: dict[str, Any] = {}
        self.ttls: dict[str, Any] = {}
        self.reads: dict[str, int] = {}
        self.failing = False

    def _check(self) -> None:
        if self.failing:
            raise ConnectionRefusedError(111, "Connection refused")

    async def get(self, key: str, default: Any = None) -> Any:
        self._check()
        self.reads[key] = self.reads.get(key, 0) + 1
        return self.data.get(key, default)

    async def set(self, key: str, value: Any, ttl: Any = None) -> None:
        self._check()
        self.data[key] = value
        self.ttls[key] = ttl

    async def add(self, key: str, value: Any, ttl: Any = None) -> bool:
        if key in self.data:
            return False
        await self.set(key, value, ttl)
        return True

    async def forget(self, key: str) -> bool:
        self._check()
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
        for key, value in values.items():
            await self.set(key, value, ttl)

    async def remember(self, key: str, ttl: Any, factory: Any) -> Any:
        if key not in self.data:
            value = factory()
            await self.set(key, await value if asyncio.iscoroutine(value) else value, ttl)
        return self.data[key]

    async def flush(self) -> None:
        self.data.clear()

    def lock(self, name: str, ttl: float, owner: str | None = None) -> DictLock:
        return DictLock(self, name, owner or os.urandom(8).hex())

    def tags(self, *names: str) -> DictCache:
        return self


class Bind(ServiceProvider):
    """Binds a test's cache and/or clock, like foundry-cache would bind its store."""

    name = "test-bindings"

    def __init__(self, cache: Any = None, clock: Any = None) -> None:
        self.cache, self.clock = cache, clock

    def register(self, app: Any) -> None:
        if self.cache is not None:
            app.instance(Cache, self.cache)
        if self.clock is not None:
            app.instance(Clock, self.clock)


class Pages(ServiceProvider):
    """The application's own routes, including health routes as foundry-health mounts
    them."""

    name = "pages"

    def routes(self, app: Any) -> Any:
        from fastapi import APIRouter

        router = APIRouter()

        @router.get("/")
        async def home() -> dict[str, str]:
            return {"page": "home"}

        @router.get("/api/orders")
        async def orders() -> dict[str, list[str]]:
            return {"orders": []}

        @router.get("/webhooks/stripe")
        async def webhook() -> dict[str, bool]:
            return {"received": True}

        @router.get("/health")
        async def health() -> dict[str, str]:
            return {"status": "ok"}

        @router.get("/health/ready")
        async def ready() -> dict[str, str]:
            return {"status": "ok"}

        return [router]


@pytest.fixture
def base(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty app root, isolated from the caller's environment."""
    for name in CLEARED:
        monkeypatch.delenv(name, raising=False)
    root = tmp_path / "app"
    root.mkdir()
    return root


@pytest.fixture
def kit() -> Any:
    return SimpleNamespace(DictCache=DictCache, Bind=Bind, Pages=Pages)


@pytest.fixture
def make_app(base: Path):
    def build(*providers: Any, root: Path | None = None) -> Application:
        app = Application(
            root or base, providers=[MaintenanceServiceProvider, *providers], discover=False
        )
        return app.boot()

    return build


@pytest.fixture
def serve(base: Path):
    """An httpx client over ``create_app()`` of an application (built by ``make_app``)."""

    @asynccontextmanager
    async def open_client(
        app: Application, *, client: tuple[str, int] = ("198.51.100.20", 50000), https=False
    ) -> Any:
        api = create_app(application=app)
        async with api.router.lifespan_context(api):
            transport = httpx.ASGITransport(app=api, client=client)
            scheme = "https" if https else "http"
            async with httpx.AsyncClient(
                transport=transport, base_url=f"{scheme}://app.test"
            ) as http:
                yield http

    return open_client


@pytest.fixture
def site(make_app, serve):
    """An application with pages, served."""

    @asynccontextmanager
    async def open_site(*providers: Any, **options: Any) -> Any:
        app = make_app(Pages, *providers)
        async with serve(app, **options) as http:
            http.foundry = app
            yield http

    return open_site


@dataclass
class Ran:
    outcome: CommandOutcome
    stdout: str
    stderr: str

    @property
    def data(self) -> Any:
        return self.outcome.result.data

    @property
    def message(self) -> str | None:
        return self.outcome.result.message


@pytest.fixture
def run():
    async def call(app: Application, name: str, *argv: str, **options: Any) -> Ran:
        out, err = io.StringIO(), io.StringIO()
        outcome = await app.make(CommandRunner).run(
            name, list(argv), output=PlainOutput(stdout=out, stderr=err), **options
        )
        return Ran(outcome, out.getvalue(), err.getvalue())

    return call
