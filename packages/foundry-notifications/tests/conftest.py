"""Fixtures: apps booted with the kernel on real databases, a real local HTTP server.

SQLite always runs. PostgreSQL runs when ``DATABASE_URL`` is a PostgreSQL URL and MySQL /
MariaDB when ``MYSQL_URL`` is set; each run creates its own ``foundry_test_<random>``
database on those servers and drops it at the end. With ``FOUNDRY_REQUIRE_SERVICES=1`` a
missing URL or an unreachable server fails those tests instead of skipping them.
"""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))  # notifications_support

from notifications_support import APP_TABLES

from foundry.application import Application
from foundry.domain.provider import ServiceProvider
from foundry.infra.provider import InfraServiceProvider
from foundry.notifications.provider import NotificationsServiceProvider
from foundry.testing.running import capture_command
from foundry.testing.servers import ServerDatabases, empty_database

DIALECTS = ("sqlite", "postgresql", "mysql")
SQLITE_URL = "sqlite:///storage/database.sqlite"
CLEARED = (
    "APP_ENV",
    "DATABASE_URL",
    "QUEUE_CONNECTION",
    "FOUNDRY_DONT_DISCOVER",
    "NOTIFICATIONS_WEBHOOK_SECRET",
    "NOTIFICATIONS_SLACK_WEBHOOK_URL",
    "NOTIFICATIONS_PRUNE_DAYS",
    "NOTIFICATIONS_HTTP_TIMEOUT",
    "NOTIFICATIONS_HTTP_TRIES",
    "NOTIFICATIONS_HTTP_BACKOFF",
    "NOTIFICATIONS_HTTP_MAX_WAIT",
    "NOTIFICATIONS_ROUTES",
    "MAIL_MAILER",
    "MAIL_FROM_ADDRESS",
    "BROADCAST_DRIVER",
)


# --- server databases: foundry-testing's ``server_databases`` ---------------------------


@pytest.fixture(params=DIALECTS)
def dialect(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def base(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty app root whose own migrations create ``users`` and ``invoices``."""
    for name in CLEARED:
        monkeypatch.delenv(name, raising=False)
    folder = tmp_path / "app"
    (folder / "database" / "migrations").mkdir(parents=True)
    (folder / "database" / "migrations" / "2026_01_01_000000_create_users.py").write_text(
        APP_TABLES
    )
    return folder


@pytest.fixture
async def db_url(dialect: str, server_databases: ServerDatabases, base: Path) -> str:
    """An empty database of ``dialect`` (SQLite: a file inside the app folder)."""
    if dialect == "sqlite":
        return SQLITE_URL
    url = server_databases.url(dialect)
    await empty_database(url)
    return url


# --- applications -----------------------------------------------------------------------


# Commands run through foundry-testing's ``capture_command`` (``run``, for the test modules).
run = capture_command


class Bind(ServiceProvider):
    """A provider binding given instances (a recording mailer, an in-test queue ...)."""

    name = "test-bindings"
    instances: Mapping[Any, Any] = {}

    def register(self, app: Application) -> None:
        for abstract, instance in self.instances.items():
            app.instance(abstract, instance)


def bind_provider(instances: Mapping[Any, Any]) -> type[ServiceProvider]:
    return type("BindProvider", (Bind,), {"instances": dict(instances)})


@pytest.fixture
async def make_app(
    base: Path, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[Callable[..., Application]]:
    """Build and boot an app (infra + notifications + ``providers``) on ``url``;
    ``bind`` maps contracts to instances registered before anything boots."""
    built: list[Application] = []

    def build(
        url: str = SQLITE_URL,
        *providers: type[ServiceProvider] | ServiceProvider,
        env: Mapping[str, str] | None = None,
        bind: Mapping[Any, Any] | None = None,
        infra: bool = True,
    ) -> Application:
        monkeypatch.setenv("DATABASE_URL", url)
        for key, value in (env or {}).items():
            monkeypatch.setenv(key, value)
        chosen: list[Any] = [InfraServiceProvider] if infra else []
        chosen.append(NotificationsServiceProvider)
        chosen.extend(providers)
        if bind:
            chosen.append(bind_provider(bind))
        app = Application(base, providers=chosen, discover=False).boot()
        built.append(app)
        return app

    yield build
    for app in built:
        await app.terminate()


async def migrated(app: Application) -> Application:
    ran = await run(app, "migrate", format="json")
    assert ran.exit_code == 0, ran.output
    return app


# --- a real HTTP server -----------------------------------------------------------------


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class HttpServer:
    """Records every POST and answers from a per-path script (then 200 ``ok``)."""

    port: int = 0
    requests: list[Received] = field(default_factory=list)
    scripts: dict[str, list[tuple[int, dict[str, str], str]]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def script(self, path: str, responses: Sequence[tuple[int, dict[str, str], str]]) -> None:
        with self.lock:
            self.scripts[path] = list(responses)

    def on(self, path: str) -> list[Received]:
        return [r for r in self.requests if r.path == path]


@pytest.fixture
def http_server() -> Iterator[HttpServer]:
    state = HttpServer()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            with state.lock:
                state.requests.append(
                    Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                )
                script = state.scripts.get(self.path) or []
                status, headers, text = script.pop(0) if script else (200, {}, "ok")
            payload = text.encode()
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
