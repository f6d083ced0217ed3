"""Fixtures: applications booted with the kernel on SQLite (always), PostgreSQL (when
``DATABASE_URL`` names one; a throwaway database per run) and Redis sessions (the local
server), served through httpx.

With ``FOUNDRY_REQUIRE_SERVICES=1`` a missing or unreachable PostgreSQL or Redis fails the
tests that need it instead of skipping them.
"""

from __future__ import annotations

import io
import re
import sys
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from foundry.application import Application, create_app
from foundry.auth_scaffolding.guards import (
    CurrentUser,
    require_abilities,
    require_password_confirmed,
    require_verified,
)
from foundry.auth_scaffolding.provider import AuthServiceProvider
from foundry.domain.application import CommandOutcome, CommandRunner
from foundry.domain.clock import Clock, FrozenClock
from foundry.domain.outputs import PlainOutput
from foundry.domain.provider import ServiceProvider
from foundry.infra.provider import InfraServiceProvider
from foundry.testing.redis import isolated_prefix
from foundry.testing.servers import ServerDatabases, empty_database

sys.path.insert(0, str(Path(__file__).resolve().parent))

CLEARED = (
    "APP_ENV",
    "APP_DEBUG",
    "APP_URL",
    "DATABASE_URL",
    "REDIS_URL",
    "FOUNDRY_DONT_DISCOVER",
    "SESSION_DRIVER",
    "AUTH_SESSION_STORAGE",
    "SESSION_LIFETIME",
    "SESSION_COOKIE",
    "SESSION_SECURE_COOKIE",
    "SESSION_SAME_SITE",
    "SESSION_PREFIX",
    "AUTH_SESSION_LIFETIME",
    "AUTH_REMEMBER_LIFETIME",
    "AUTH_PASSWORD_RESET_LIFETIME",
    "AUTH_EMAIL_VERIFICATION_LIFETIME",
    "AUTH_REQUIRE_EMAIL_VERIFICATION",
    "AUTH_ENABLE_TWO_FACTOR",
    "MAIL_MAILER",
    "MAIL_FROM_ADDRESS",
    "RATE_LIMIT_STORE",
    "RATE_LIMIT_MIDDLEWARE",
)
PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in CLEARED:
        monkeypatch.delenv(name, raising=False)


# --- services: foundry-testing's ``server_databases``, ``redis_url`` and ``redis_prefix`` --


@pytest.fixture(params=["sqlite", "postgresql"])
async def database_url(request: pytest.FixtureRequest, server_databases: ServerDatabases) -> str:
    """SQLite always; PostgreSQL on foundry-testing's throwaway database (emptied per test)."""
    if request.param == "sqlite":
        return "sqlite:///storage/database.sqlite"
    url = server_databases.url("postgresql")
    await empty_database(url)
    return url


@pytest.fixture
def session_prefix() -> Iterator[str]:
    """Session keys of this test alone on the shared Redis, deleted afterwards. Tests of
    the other drivers use it too, so it does not require Redis (``redis_url`` does)."""
    with isolated_prefix() as prefix:
        yield f"{prefix}session:"


# --- applications --------------------------------------------------------------------------


@pytest.fixture
def base(tmp_path: Path) -> Path:
    root = tmp_path / "app"
    root.mkdir()
    return root


class Bindings(ServiceProvider):
    """What a test binds like an application would: a frozen clock, a mailer."""

    name = "test-bindings"

    def __init__(self, clock: Clock | None = None, mailer: Any = None) -> None:
        self.clock = clock
        self.mailer = mailer

    def register(self, app: Any) -> None:
        if self.clock is not None:
            app.instance(Clock, self.clock)
        if self.mailer is not None:
            from foundry.domain.mail import Mailer

            app.instance(Mailer, self.mailer)


class Pages(ServiceProvider):
    """An application's own routes protected by the guards."""

    name = "test-pages"

    def routes(self, app: Any) -> Any:
        from fastapi import APIRouter, Depends

        router = APIRouter()

        @router.get("/me")
        async def me(user: CurrentUser) -> dict[str, str]:
            return {"id": user.auth_identifier, "email": user.email}

        @router.get("/posts", dependencies=[Depends(require_abilities("posts:read"))])
        async def posts() -> dict[str, bool]:
            return {"ok": True}

        @router.get("/verified-only", dependencies=[Depends(require_verified)])
        async def verified_only() -> dict[str, bool]:
            return {"ok": True}

        @router.get("/billing", dependencies=[Depends(require_password_confirmed)])
        async def billing() -> dict[str, bool]:
            return {"ok": True}

        @router.get("/public")
        async def public() -> dict[str, bool]:
            return {"ok": True}

        return [router]


@dataclass
class Site:
    """One running application and an httpx client on it."""

    app: Application
    api: Any
    http: httpx.AsyncClient
    clock: FrozenClock | None

    def csrf(self, html: str) -> str:
        found = re.search(r'name="_token" value="([^"]+)"', html)
        assert found, "the page carries no _token field"
        return found.group(1)

    async def form_token(self, path: str) -> str:
        response = await self.http.get(path)
        assert response.status_code == 200, response.text
        return self.csrf(response.text)

    async def post_form(
        self, path: str, data: dict[str, Any], *, token_from: str | None = None
    ) -> httpx.Response:
        token = await self.form_token(token_from or path)
        return await self.http.post(path, data={**data, "_token": token})

    async def json(self, method: str, path: str, body: Any = None, **kwargs: Any) -> httpx.Response:
        headers = {"accept": "application/json", **kwargs.pop("headers", {})}
        return await self.http.request(method, path, json=body, headers=headers, **kwargs)

    async def register(
        self, email: str = "ada@example.com", password: str = PASSWORD
    ) -> httpx.Response:
        return await self.post_form(
            "/auth/register",
            {
                "name": "Ada",
                "email": email,
                "password": password,
                "password_confirmation": password,
            },
        )

    async def login(
        self, email: str = "ada@example.com", password: str = PASSWORD, **extra: Any
    ) -> httpx.Response:
        return await self.post_form("/auth/login", {"email": email, "password": password, **extra})

    def sent(self) -> list[Any]:
        """Messages the array mailer holds (``with_mail=True`` sites)."""
        from foundry.domain.mail import Mailer

        return list(self.app.make(Mailer).transport("array").messages())

    def link(self, pattern: str) -> str:
        """The last e-mailed link matching ``pattern``."""
        for message in reversed(self.sent()):
            found = re.search(pattern, message.text or "")
            if found:
                return found.group(0)
        raise AssertionError(f"no mail holds a link matching {pattern}")

    def services(self) -> Any:
        from foundry.auth_scaffolding.services import AuthServices

        return self.app.make(AuthServices)


async def migrate(app: Application) -> None:
    outcome = await app.make(CommandRunner).run(
        "migrate", [], output=PlainOutput(io.StringIO(), io.StringIO())
    )
    assert outcome.exit_code == 0, outcome.error


@pytest.fixture
def make_site(base: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Any]:
    """``async with make_site(env={...}) as site:`` — a migrated app, served."""

    @asynccontextmanager
    async def open_site(
        *,
        env: dict[str, str] | None = None,
        database: str = "sqlite:///storage/database.sqlite",
        clock: FrozenClock | None = None,
        mailer: Any = None,
        providers: tuple[Any, ...] = (),
        client: tuple[str, int] = ("198.51.100.7", 40000),
        base_url: str = "http://app.test",
        migrate_first: bool = True,
        with_mail: bool = False,
        **config: Any,
    ) -> AsyncIterator[Site]:
        monkeypatch.setenv("DATABASE_URL", database)
        for key, value in (env or {}).items():
            monkeypatch.setenv(key, value)
        extra: list[Any] = list(providers)
        if with_mail:
            from foundry.mail.provider import MailServiceProvider

            monkeypatch.setenv("MAIL_MAILER", "array")
            monkeypatch.setenv("MAIL_FROM_ADDRESS", "noreply@example.com")
            extra.append(MailServiceProvider)
        app = Application(
            base,
            providers=[
                InfraServiceProvider,
                AuthServiceProvider,
                Bindings(clock, mailer),
                Pages,
                *extra,
            ],
            discover=False,
        )
        app.load()
        for key, value in {"auth.hashing": {}, **config}.items():
            app.config.set(key.replace("__", "."), value)
        api = create_app(application=app)
        async with api.router.lifespan_context(api):
            if migrate_first:
                await migrate(app)
            transport = httpx.ASGITransport(app=api, client=client)
            async with httpx.AsyncClient(transport=transport, base_url=base_url) as http:
                yield Site(app, api, http, clock)

    return open_site


@dataclass
class Ran:
    outcome: CommandOutcome
    stdout: str
    stderr: str


async def run_command(app: Application, name: str, *argv: str, **options: Any) -> Ran:
    out, err = io.StringIO(), io.StringIO()
    outcome = await app.make(CommandRunner).run(
        name, list(argv), output=PlainOutput(stdout=out, stderr=err), **options
    )
    return Ran(outcome, out.getvalue(), err.getvalue())
