"""Fixtures: the OAuth server booted with the kernel on SQLite (always) and PostgreSQL (when
``DATABASE_URL`` names one; a throwaway database per run), driven through httpx.

The logged-in user comes from :class:`CookieGuard`, a small ``RequestAuthenticator``
reading a ``test_user`` cookie, and :class:`Users`, an in-memory ``UserProvider``: the
server meets them only through the ``auth.authenticators`` tag and the contract, exactly
as it meets foundry-auth-scaffolding's session guard.

With ``FOUNDRY_REQUIRE_SERVICES=1`` a missing or unreachable PostgreSQL fails the tests
that need it instead of skipping them.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import re
import secrets
import sys
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from fastapi import Depends

from foundry.application import Application, create_app
from foundry.domain.application import CommandOutcome, CommandRunner
from foundry.domain.auth import AUTHENTICATORS_TAG, UserProvider
from foundry.domain.clock import Clock, FrozenClock
from foundry.domain.outputs import PlainOutput
from foundry.domain.provider import ServiceProvider
from foundry.infra.provider import InfraServiceProvider
from foundry.oauth_server.guard import require_oauth
from foundry.oauth_server.provider import OAuthServerServiceProvider
from foundry.oauth_server.service import IssuedClient, OAuthServer
from foundry.testing.servers import ServerDatabases, empty_database

sys.path.insert(0, str(Path(__file__).resolve().parent))

ISSUER = "http://oauth.test"
REDIRECT = "https://client.example/callback"
PASSWORD = "correct horse battery staple"
APP_KEY = "base64:" + base64.b64encode(b"k" * 32).decode()
SCOPES = {
    "openid": "Sign you in",
    "profile": "See your name",
    "email": "See your e-mail address",
    "orders:read": "Read your orders",
    "orders:write": "Change your orders",
}
CLEARED = (
    "APP_ENV",
    "APP_DEBUG",
    "APP_URL",
    "APP_KEY",
    "DATABASE_URL",
    "REDIS_URL",
    "FOUNDRY_DONT_DISCOVER",
    "CACHE_DRIVER",
    *(name for name in os.environ if name.startswith("OAUTH_")),
)


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in CLEARED:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def base(tmp_path: Path) -> Path:
    root = tmp_path / "app"
    root.mkdir()
    return root


@pytest.fixture(params=["sqlite", "postgresql"])
async def database_url(request: pytest.FixtureRequest, server_databases: ServerDatabases) -> str:
    """SQLite always; PostgreSQL on foundry-testing's throwaway database (emptied per test)."""
    if request.param == "sqlite":
        return "sqlite:///storage/database.sqlite"
    url = server_databases.url("postgresql")
    await empty_database(url)
    return url


# --- the logged-in user ----------------------------------------------------------------------


@dataclass
class User:
    auth_identifier: str
    email: str
    name: str
    password: str = PASSWORD
    email_verified: bool = True


class Users:
    """An in-memory ``UserProvider``."""

    def __init__(self) -> None:
        self.by_id: dict[str, User] = {}

    def add(self, email: str, name: str) -> User:
        for known in self.by_id.values():
            if known.email == email:
                return known
        user = User(str(secrets.token_hex(8)), email, name)
        self.by_id[user.auth_identifier] = user
        return user

    async def retrieve_by_id(self, identifier: str) -> User | None:
        return self.by_id.get(identifier)

    async def retrieve_by_credentials(self, credentials: Mapping[str, Any]) -> User | None:
        return next((u for u in self.by_id.values() if u.email == credentials.get("email")), None)

    async def validate_credentials(self, user: Any, credentials: Mapping[str, Any]) -> bool:
        return secrets.compare_digest(user.password, str(credentials.get("password", "")))


class CookieGuard:
    """A ``RequestAuthenticator``: the user named by the ``test_user`` cookie."""

    def __init__(self, users: Users) -> None:
        self.users = users

    async def authenticate(self, request: Any) -> User | None:
        found = request.cookies.get("test_user")
        return self.users.by_id.get(found) if found else None


OAuthClaims = Annotated[Any, Depends(require_oauth())]


class TestAuth(ServiceProvider):
    """What an auth package contributes, plus a clock and an app's own protected routes."""

    name = "test-auth"

    def __init__(self, users: Users, clock: Clock | None) -> None:
        self.users = users
        self.clock = clock

    def register(self, app: Any) -> None:
        if self.clock is not None:
            app.instance(Clock, self.clock)
        app.instance(UserProvider, self.users)
        app.instance(CookieGuard, CookieGuard(self.users))
        app.tag([CookieGuard], AUTHENTICATORS_TAG)

    def routes(self, app: Any) -> Any:
        from fastapi import APIRouter, Depends

        router = APIRouter()

        @router.get("/api/me")
        async def me(claims: OAuthClaims) -> dict[str, Any]:
            return {"sub": claims.subject, "scopes": list(claims.scopes)}

        @router.get("/api/orders", dependencies=[Depends(require_oauth("orders:read"))])
        async def orders() -> dict[str, bool]:
            return {"ok": True}

        @router.get("/open")
        async def open_endpoint() -> dict[str, bool]:
            return {"ok": True}

        return [router]


# --- the server -------------------------------------------------------------------------------


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
    return verifier, challenge.rstrip(b"=").decode()


def query_of(location: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


@dataclass
class Ran:
    outcome: CommandOutcome
    stdout: str
    stderr: str


@dataclass
class Server:
    """One running application with the OAuth server, and an httpx client on it."""

    app: Application
    api: Any
    http: httpx.AsyncClient
    users: Users
    clock: FrozenClock | None
    ada: User = field(init=False)

    def __post_init__(self) -> None:
        self.ada = self.users.add("ada@example.com", "Ada Lovelace")

    @property
    def core(self) -> OAuthServer:
        return self.app.make(OAuthServer)

    def login(self, user: User | None = None) -> None:
        self.http.cookies.set("test_user", (user or self.ada).auth_identifier)

    def logout(self) -> None:
        self.http.cookies.delete("test_user")

    async def client(self, **options: Any) -> IssuedClient:
        options.setdefault("redirect_uris", [REDIRECT])
        return await self.core.create_client(options.pop("name", "Shop"), **options)

    async def run(self, name: str, *argv: str, **options: Any) -> Ran:
        out, err = io.StringIO(), io.StringIO()
        outcome = await self.app.make(CommandRunner).run(
            name, list(argv), output=PlainOutput(stdout=out, stderr=err), **options
        )
        return Ran(outcome, out.getvalue(), err.getvalue())

    async def authorize(self, client: IssuedClient, **params: str) -> httpx.Response:
        """GET /oauth/authorize with sensible defaults (PKCE added for public clients)."""
        query = {
            "response_type": "code",
            "client_id": client.client.id,
            "redirect_uri": REDIRECT,
            "scope": "openid profile",
            "state": "xyz",
            **params,
        }
        return await self.http.get("/oauth/authorize", params={k: v for k, v in query.items() if v})

    def form_of(self, page: str) -> dict[str, str]:
        fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page))
        import html

        return {k: html.unescape(v) for k, v in fields.items()}

    async def approve(self, client: IssuedClient, decision: str = "approve", **params: str) -> str:
        """Authorize, consent, and return the redirect Location."""
        page = await self.authorize(client, **params)
        assert page.status_code == 200, page.text
        response = await self.http.post(
            "/oauth/authorize", data={**self.form_of(page.text), "decision": decision}
        )
        assert response.status_code == 302, response.text
        return response.headers["location"]

    async def code(self, client: IssuedClient, **params: str) -> str:
        location = await self.approve(client, **params)
        found = query_of(location)
        assert "code" in found, location
        return found["code"]

    async def token(
        self, data: dict[str, str], client: IssuedClient | None = None, *, basic: bool = True
    ) -> httpx.Response:
        auth = None
        if client is not None and client.secret is not None and basic:
            auth = httpx.BasicAuth(client.client.id, client.secret)
        elif client is not None and client.secret is not None:
            data = {**data, "client_id": client.client.id, "client_secret": client.secret}
        elif client is not None:
            data = {**data, "client_id": client.client.id}
        return await self.http.post("/oauth/token", data=data, auth=auth)

    async def tokens_by_code(self, client: IssuedClient, **params: str) -> dict[str, Any]:
        verifier, challenge = pkce_pair()
        code = await self.code(
            client, code_challenge=challenge, code_challenge_method="S256", **params
        )
        response = await self.token(
            {
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": REDIRECT,
                "code_verifier": verifier,
            },
            client,
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body


@pytest.fixture
def make_server(base: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Any]:
    """``async with make_server(...) as server:`` — migrated, keys made, served."""

    @asynccontextmanager
    async def open_server(
        *,
        storage: str = "database",
        database: str = "sqlite:///storage/database.sqlite",
        env: dict[str, str] | None = None,
        clock: FrozenClock | None = None,
        users: Users | None = None,
        providers: tuple[Any, ...] = (),
        keys: bool = True,
        app_base: Path | None = None,
    ) -> AsyncIterator[Server]:
        settings = {
            "DATABASE_URL": database,
            "OAUTH_STORAGE": storage,
            "OAUTH_ISSUER": ISSUER,
            "APP_KEY": APP_KEY,
            **(env or {}),
        }
        for key, value in settings.items():
            if value is None:
                monkeypatch.delenv(key, raising=False)
            else:
                monkeypatch.setenv(key, value)
        people = users or Users()
        app = Application(
            app_base or base,
            providers=[
                InfraServiceProvider,
                OAuthServerServiceProvider,
                TestAuth(people, clock),
                *providers,
            ],
            discover=False,
        )
        app.load()
        app.config.set("oauth.scopes", SCOPES)
        api = create_app(application=app)
        async with api.router.lifespan_context(api):
            server_http = httpx.AsyncClient(
                transport=httpx.ASGITransport(app=api), base_url=ISSUER, follow_redirects=False
            )
            async with server_http as http:
                server = Server(app, api, http, people, clock)
                if storage == "database":
                    ran = await server.run("migrate")
                    assert ran.outcome.exit_code == 0, ran.outcome.error
                if keys and not server.core.keys.has_signing_key:
                    ran = await server.run("passport:keys")
                    assert ran.outcome.exit_code == 0, ran.outcome.error
                yield server

    return open_server


@pytest.fixture
async def server(make_server: Callable[..., Any], database_url: str) -> AsyncIterator[Server]:
    async with make_server(database=database_url) as running:
        yield running


@pytest.fixture
async def memory_server(make_server: Callable[..., Any]) -> AsyncIterator[Server]:
    async with make_server(storage="memory") as running:
        yield running
