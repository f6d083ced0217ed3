"""Fixtures: a fake provider served for real, and a Foundry app booted with the kernel,
infra (SQLite), auth-scaffolding and this package, driven by a browser-like httpx2 client
that follows redirects by hand and keeps cookies.
"""

from __future__ import annotations

import base64
import io
import os
import re
import sys
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

import httpx2
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fake_provider import CLIENT_ID, CLIENT_SECRET, FakeProvider, serve

from foundry.application import Application, create_app
from foundry.auth_scaffolding.guards import CurrentUser
from foundry.auth_scaffolding.provider import AuthServiceProvider
from foundry.domain.application import CommandOutcome, CommandRunner
from foundry.domain.clock import Clock
from foundry.domain.outputs import PlainOutput
from foundry.domain.provider import ServiceProvider
from foundry.infra.provider import InfraServiceProvider
from foundry.oauth.provider import OAuthServiceProvider
from foundry.testing.servers import ServerDatabases, empty_database

APP_URL = "http://app.test"
APP_KEY = "base64:" + base64.b64encode(b"0123456789abcdef0123456789abcdef").decode()
PASSWORD = "correct horse battery staple"
CLEARED = (
    "APP_ENV",
    "APP_URL",
    "APP_KEY",
    "DATABASE_URL",
    "REDIS_URL",
    "CACHE_DRIVER",
    "SESSION_DRIVER",
    "FOUNDRY_DONT_DISCOVER",
)


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("OAUTH_") or name in CLEARED:
            monkeypatch.delenv(name, raising=False)


@pytest.fixture
async def fake() -> AsyncIterator[FakeProvider]:
    """The fake provider, listening on a free loopback port."""
    provider = FakeProvider()
    async with serve(provider.app()) as base_url:
        provider.base_url = base_url
        yield provider


class Pages(ServiceProvider):
    """The app's own page that says who is signed in."""

    name = "test-pages"

    def routes(self, app: Any) -> Any:
        from fastapi import APIRouter

        router = APIRouter()

        @router.get("/me")
        async def me(user: CurrentUser) -> dict[str, Any]:
            return {"id": user.auth_identifier, "email": user.email, "verified": user.is_verified}

        return [router]


class Bindings(ServiceProvider):
    name = "test-bindings"

    def __init__(self, clock: Clock | None) -> None:
        self.clock = clock

    def register(self, app: Any) -> None:
        if self.clock is not None:
            app.instance(Clock, self.clock)


@dataclass
class Browser:
    """A browser: one cookie jar, redirects followed by hand, every hop recorded."""

    http: httpx2.AsyncClient
    hops: list[httpx2.Response] = field(default_factory=list)

    async def get(self, url: str, **kwargs: Any) -> httpx2.Response:
        response = await self.http.get(url, **kwargs)
        self.hops.append(response)
        return response

    async def follow(self, url: str, *, limit: int = 10, **kwargs: Any) -> httpx2.Response:
        """GET ``url`` and each ``Location`` after it, as a browser would."""
        response = await self.get(url, **kwargs)
        for _ in range(limit):
            if response.status_code not in (301, 302, 303, 307, 308):
                return response
            url = urljoin(str(response.url), response.headers["location"])
            response = await self.get(url, **kwargs)
        raise AssertionError(f"more than {limit} redirects")

    async def start(self, provider: str = "acme") -> httpx2.Response:
        """Open the redirect route; returns the app's redirect to the provider."""
        response = await self.get(f"{APP_URL}/auth/oauth/{provider}/redirect")
        assert response.status_code == 302, response.text
        return response

    async def at_provider(self, start: httpx2.Response) -> httpx2.Response:
        """Follow the app's redirect to the provider; returns its redirect back."""
        response = await self.get(start.headers["location"])
        assert response.status_code == 302, response.text
        return response

    async def sign_in(self, provider: str = "acme", **kwargs: Any) -> httpx2.Response:
        """The whole round trip, ending at the page after the callback."""
        start = await self.start(provider)
        back = await self.at_provider(start)
        return await self.follow(back.headers["location"], **kwargs)

    def cookie(self, name: str) -> str | None:
        for cookie in self.http.cookies.jar:
            if cookie.name == name:
                return cookie.value
        return None

    async def me(self) -> httpx2.Response:
        return await self.get(f"{APP_URL}/me", headers={"accept": "application/json"})


@dataclass
class Site:
    app: Application
    api: Any
    browser: Browser
    fake: FakeProvider | None

    def browser_like(self) -> Browser:
        """A second browser (its own cookies) on the same app."""
        return Browser(_client(self.api))

    async def run(self, name: str, *argv: str, **options: Any) -> tuple[CommandOutcome, str]:
        out, err = io.StringIO(), io.StringIO()
        outcome = await self.app.make(CommandRunner).run(
            name, list(argv), output=PlainOutput(stdout=out, stderr=err), **options
        )
        return outcome, out.getvalue() + err.getvalue()

    async def register(self, email: str = "ada@example.com", *, verified: bool = True) -> str:
        """A password account (verified e-mail unless told otherwise); returns its id."""
        from foundry.auth_scaffolding.services import AuthServices

        services = self.app.make(AuthServices)
        hashed = await services.hasher.hash(PASSWORD)
        user = await services.users.create(
            name="Ada", email=email, password_hash=hashed, verified=verified
        )
        return user.auth_identifier

    async def password_login(self, browser: Browser, email: str = "ada@example.com") -> None:
        page = await browser.get(f"{APP_URL}/auth/login")
        token = re.search(r'name="_token" value="([^"]+)"', page.text)
        assert token, page.text
        response = await browser.http.post(
            f"{APP_URL}/auth/login",
            data={"email": email, "password": PASSWORD, "_token": token.group(1)},
        )
        assert response.status_code in (302, 303), response.text

    async def identities(self) -> list[Any]:
        from sqlmodel import select

        from foundry.domain.database import Database
        from foundry.oauth.models import OAuthIdentity

        async with self.app.make(Database).session() as db:
            return list((await db.exec(select(OAuthIdentity))).all())

    async def users(self) -> list[Any]:
        from foundry.auth_scaffolding.users import UserRepository

        return await self.app.make(UserRepository).all()


def _client(api: Any) -> httpx2.AsyncClient:
    transport = httpx2.ASGITransport(app=api, client=("198.51.100.7", 40000))
    return httpx2.AsyncClient(mounts={"http://app.test": transport}, timeout=30)


async def migrate(app: Application) -> None:
    out = io.StringIO()
    outcome = await app.make(CommandRunner).run("migrate", [], output=PlainOutput(out, out))
    assert outcome.exit_code == 0, (outcome.error, out.getvalue())


def provider_env(fake: FakeProvider) -> dict[str, str]:
    """The app's configuration of the fake as an OIDC issuer (``acme``) and as GitHub."""
    return {
        "OAUTH_PROVIDERS": "acme,github",
        "OAUTH_ACME_CLIENT_ID": CLIENT_ID,
        "OAUTH_ACME_CLIENT_SECRET": CLIENT_SECRET,
        "OAUTH_ACME_DISCOVERY_URL": f"{fake.base_url}/.well-known/openid-configuration",
        "OAUTH_GITHUB_CLIENT_ID": CLIENT_ID,
        "OAUTH_GITHUB_CLIENT_SECRET": CLIENT_SECRET,
        "OAUTH_GITHUB_URL": fake.base_url,
        "OAUTH_GITHUB_API_URL": f"{fake.base_url}/api",
    }


@pytest.fixture
def make_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Any]:
    """``async with make_site(fake, env={...}) as site:`` — a migrated app and a browser."""

    @asynccontextmanager
    async def open_site(
        fake: FakeProvider | None,
        *,
        env: dict[str, str] | None = None,
        clock: Clock | None = None,
        providers: tuple[Any, ...] = (),
        config: dict[str, Any] | None = None,
        database: str = "sqlite:///storage/database.sqlite",
    ) -> AsyncIterator[Site]:
        base = tmp_path / "app"
        base.mkdir(exist_ok=True)
        settings = {
            "APP_URL": APP_URL,
            "APP_KEY": APP_KEY,
            "DATABASE_URL": database,
            "SESSION_DRIVER": "database",
            **(provider_env(fake) if fake is not None else {}),
            **(env or {}),
        }
        for key, value in settings.items():
            monkeypatch.setenv(key, value)
        app = Application(
            base,
            providers=[
                InfraServiceProvider,
                AuthServiceProvider,
                OAuthServiceProvider,
                Pages,
                Bindings(clock),
                *providers,
            ],
            discover=False,
        )
        app.load()
        app.config.set("auth.hashing", {})
        for key, value in (config or {}).items():
            app.config.set(key, value)
        api = create_app(application=app)
        async with api.router.lifespan_context(api):
            await migrate(app)
            async with _client(api) as http:
                yield Site(app, api, Browser(http), fake)

    return open_site


# --- server databases: foundry-testing's ``server_databases`` ---------------------------


@pytest.fixture(params=["sqlite", "postgresql", "mysql"])
async def database_url(request: pytest.FixtureRequest, server_databases: ServerDatabases) -> str:
    """SQLite always; PostgreSQL / MariaDB on this run's throwaway database, emptied per test
    (skipped without the server, failed under ``FOUNDRY_REQUIRE_SERVICES=1``)."""
    kind = str(request.param)
    if kind == "sqlite":
        return "sqlite:///storage/database.sqlite"
    url = server_databases.url(kind)
    await empty_database(url)
    return url


def query_of(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
