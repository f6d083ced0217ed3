from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from foundry.application import Application, create_app
from foundry.domain.clock import Clock, FrozenClock
from foundry.domain.context import bind_context
from foundry.domain.http import MiddlewareSpec, Priority
from foundry.domain.provider import ServiceProvider
from foundry.ratelimit import forget_limiters
from foundry.ratelimit.provider import RateLimitServiceProvider
from foundry.testing.redis import TcpRelay, redis_address
from foundry.testing.running import CapturedCommand, capture_command

CLEARED = (
    "APP_ENV",
    "APP_DEBUG",
    "APP_NAME",
    "FOUNDRY_DONT_DISCOVER",
    "FOUNDRY_BASE_PATH",
    "REDIS_URL",
    "RATE_LIMIT_STORE",
    "RATE_LIMIT_DEFAULT",
    "RATE_LIMIT_ALGORITHM",
    "RATE_LIMIT_FAIL_MODE",
    "RATE_LIMIT_PREFIX",
    "RATE_LIMIT_REDIS_TIMEOUT",
    "RATE_LIMIT_MIDDLEWARE",
    "RATE_LIMIT_EXCEPT",
    "RATE_LIMIT_MAX_KEYS",
)


# --- environment ------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every test starts from a clean environment and an empty table of code limiters."""
    for name in CLEARED:
        monkeypatch.delenv(name, raising=False)
    forget_limiters()
    yield
    forget_limiters()


@pytest.fixture
def base(tmp_path: Path) -> Path:
    root = tmp_path / "app"
    root.mkdir()
    return root


@pytest.fixture
def prefix(redis_prefix: str) -> str:
    """A key prefix of this test alone (foundry-testing's ``redis_prefix``: its keys are
    deleted afterwards; ``redis_url`` skips, or fails under FOUNDRY_REQUIRE_SERVICES=1)."""
    return redis_prefix


@pytest.fixture
async def redis_client(redis_url: str) -> AsyncIterator[Any]:
    """A plain redis-py client for looking at what the store wrote."""
    from redis.asyncio import Redis

    client = Redis.from_url(redis_url, decode_responses=True)
    yield client
    await client.aclose()


@pytest.fixture
async def silent_port() -> AsyncIterator[int]:
    """A local server that accepts connections and never answers (a hung Redis)."""
    held: list[asyncio.StreamWriter] = []

    async def accept(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)

    server = await asyncio.start_server(accept, "127.0.0.1", 0)
    try:
        yield server.sockets[0].getsockname()[1]
    finally:
        for writer in held:
            writer.close()
        server.close()
        await server.wait_closed()


@pytest.fixture
async def relay(redis_url: str) -> AsyncIterator[TcpRelay]:
    proxy = TcpRelay(redis_address(redis_url))
    await proxy.start()
    yield proxy
    await proxy.stop()


# ``redis_server`` (a ``redis-server`` of the test's own, to stop and start): foundry-testing.


# --- applications ---------------------------------------------------------------------


class Bind(ServiceProvider):
    """Binds a test's clock, like an application would."""

    name = "test-bindings"

    def __init__(self, clock: Clock | None = None) -> None:
        self.clock = clock

    def register(self, app: Any) -> None:
        if self.clock is not None:
            app.instance(Clock, self.clock)


class PretendAuth:
    """Stands in for an auth middleware that runs before the rate limiter: the header
    ``x-test-user`` signs the request in (``bind_context(user_id=...)``)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        user = dict(scope.get("headers") or ()).get(b"x-test-user")
        if user is None:
            await self.app(scope, receive, send)
            return
        with bind_context(user_id=user.decode()):
            await self.app(scope, receive, send)


class PretendTrustedProxy:
    """Stands in for foundry-api's trusted-proxies middleware, which runs earlier and
    rewrites the scope's client for a trusted peer (here: every peer)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        forwarded = dict(scope.get("headers") or ()).get(b"x-forwarded-for")
        if scope["type"] == "http" and forwarded:
            scope = dict(scope, client=(forwarded.decode().split(",")[-1].strip(), 0))
        await self.app(scope, receive, send)


class Pages(ServiceProvider):
    """The application's own routes and, optionally, the earlier middleware."""

    name = "pages"

    def __init__(self, *, routers: Any = None, auth: bool = False, proxy: bool = False) -> None:
        self.routers = routers
        self.auth = auth
        self.proxy = proxy

    def middleware(self, app: Any) -> Any:
        specs = []
        if self.proxy:
            specs.append(MiddlewareSpec(PretendTrustedProxy, {}, Priority.TRUSTED_PROXIES))
        if self.auth:
            specs.append(MiddlewareSpec(PretendAuth, {}, Priority.SESSION))
        return specs

    def routes(self, app: Any) -> Any:
        from fastapi import APIRouter

        router = APIRouter()

        @router.get("/")
        async def home() -> dict[str, str]:
            return {"page": "home"}

        @router.get("/health")
        async def health() -> dict[str, str]:
            return {"status": "ok"}

        @router.get("/health/ready")
        async def ready() -> dict[str, str]:
            return {"status": "ok"}

        return [router, *(self.routers or ())]


@pytest.fixture
def make_app(base: Path, monkeypatch: pytest.MonkeyPatch):
    def build(*providers: Any, env: dict[str, str] | None = None, **config: Any) -> Application:
        for name, value in (env or {}).items():
            monkeypatch.setenv(name, value)
        app = Application(base, providers=[RateLimitServiceProvider, *providers], discover=False)
        app.load()  # bootstrappers bind the configuration first
        for key, value in config.items():
            app.config.set(key.replace("__", "."), value)
        return app.boot()

    return build


@pytest.fixture
def serve():
    """An httpx client over ``create_app()`` of a built application."""

    @asynccontextmanager
    async def open_client(
        app: Application, *, client: tuple[str, int] = ("198.51.100.20", 50000)
    ) -> AsyncIterator[httpx.AsyncClient]:
        api = create_app(application=app)
        async with api.router.lifespan_context(api):
            transport = httpx.ASGITransport(app=api, client=client)
            async with httpx.AsyncClient(transport=transport, base_url="http://app.test") as http:
                yield http

    return open_client


@pytest.fixture
def site(make_app, serve):
    """An application with pages, served."""

    @asynccontextmanager
    async def open_site(*providers: Any, client=("198.51.100.20", 50000), **options: Any):
        pages_options = {k: options.pop(k) for k in ("routers", "auth", "proxy") if k in options}
        app = make_app(Pages(**pages_options), *providers, **options)
        async with serve(app, client=client) as http:
            http.foundry = app
            yield http

    return open_site


@pytest.fixture
def run() -> Callable[..., Awaitable[CapturedCommand]]:
    """``await run(app, name, *argv, **options)``: foundry-testing's ``capture_command``."""
    return capture_command


@pytest.fixture
def frozen() -> FrozenClock:
    return FrozenClock()


@pytest.fixture
def bind():
    return Bind


@pytest.fixture
def pages():
    return Pages
