from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import pytest

from foundry.application import Application, create_app
from foundry.domain.cache import Cache
from foundry.domain.clock import Clock
from foundry.domain.provider import ServiceProvider
from foundry.maintenance.provider import MaintenanceServiceProvider
from foundry.testing.fakes.cache import CacheFake
from foundry.testing.running import CapturedCommand, capture_command

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
    return SimpleNamespace(CacheFake=CacheFake, Bind=Bind, Pages=Pages)


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


@pytest.fixture
def run() -> Callable[..., Awaitable[CapturedCommand]]:
    """``await run(app, name, *argv, **options)``: foundry-testing's ``capture_command``."""
    return capture_command
