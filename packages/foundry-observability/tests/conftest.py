"""Shared fixtures: a clean environment, isolated logging, a real SQLite ``Database``,
a real OTLP/HTTP receiver, and a driver for the ASGI lifespan."""

from __future__ import annotations

import asyncio
import gzip
import logging
import threading
from collections.abc import AsyncIterator, Iterator, Mapping
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from foundry.domain.database import Database
from foundry.domain.provider import ServiceProvider
from foundry.observability.log_setup import SERVER_LOGGERS
from foundry.observability.provider import ENV_VARS

VARIABLES = [v.name for v in ENV_VARS] + [
    "APP_ENV",
    "APP_NAME",
    "APP_DEBUG",
    "LOG_LEVEL",
    "NO_COLOR",
    "FORCE_COLOR",
    "FOUNDRY_DONT_DISCOVER",
    "FOUNDRY_BASE_PATH",
]


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(autouse=True)
def isolated_logging() -> Iterator[None]:
    """Each test leaves the logging module as it found it."""
    root = logging.getLogger()
    names = ("foundry", *SERVER_LOGGERS)
    saved = {
        name: (logging.getLogger(name).level, list(logging.getLogger(name).handlers))
        for name in names
    }
    propagate = {name: logging.getLogger(name).propagate for name in names}
    saved_root = (root.level, list(root.handlers))
    yield
    root.setLevel(saved_root[0])
    root.handlers[:] = saved_root[1]
    for name, (level, handlers) in saved.items():
        logger = logging.getLogger(name)
        logger.setLevel(level)
        logger.handlers[:] = handlers
        logger.propagate = propagate[name]
    logging.captureWarnings(False)


class SQLiteDatabase:
    """A real ``Database`` on a SQLite file through SQLAlchemy's async engine."""

    def __init__(self, path: Path, **engine_options: Any) -> None:
        self._engine: AsyncEngine = create_async_engine(
            f"sqlite+aiosqlite:///{path}", **engine_options
        )

    @property
    def url(self) -> str:
        return str(self._engine.url)

    @property
    def dialect(self) -> str:
        return "sqlite"

    @property
    def engine(self) -> AsyncEngine:
        return self._engine

    @asynccontextmanager
    async def _session(self) -> AsyncIterator[Any]:
        from sqlalchemy.ext.asyncio import AsyncSession

        async with AsyncSession(self._engine) as session, session.begin():
            yield session

    def session(self) -> AbstractAsyncContextManager[Any]:
        return self._session()

    async def ping(self, timeout: float = 2.0) -> None:
        async with self._engine.connect() as connection:
            await connection.execute(text("SELECT 1"))

    def models(self) -> Mapping[str, type[Any]]:
        return {}

    async def dispose(self) -> None:
        await self._engine.dispose()


def database_provider(database: SQLiteDatabase) -> type[ServiceProvider]:
    """A provider binding ``database`` as the app's ``Database`` (as foundry-infra would)."""

    class DatabaseProvider(ServiceProvider):
        name = "test-database"
        provides = (Database,)

        def register(self, app: Any) -> None:
            app.instance(Database, database)

    return DatabaseProvider


class Receiver:
    """An OTLP/HTTP trace receiver on a free local port (stdlib ``http.server``)."""

    def __init__(self) -> None:
        self.requests: list[Any] = []
        self.paths: list[str] = []
        self._arrived = threading.Condition()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
                    ExportTraceServiceRequest,
                    ExportTraceServiceResponse,
                )

                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                if self.headers.get("Content-Encoding") == "gzip":
                    body = gzip.decompress(body)
                message = ExportTraceServiceRequest()
                message.ParseFromString(body)
                with receiver._arrived:
                    receiver.paths.append(self.path)
                    receiver.requests.append(message)
                    receiver._arrived.notify_all()
                reply = ExportTraceServiceResponse().SerializeToString()
                self.send_response(200)
                self.send_header("Content-Type", "application/x-protobuf")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, format: str, *args: Any) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.endpoint = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def spans(self) -> list[tuple[Any, Any]]:
        """``(resource, span)`` of every span received so far."""
        found = []
        for request in list(self.requests):
            for resource_spans in request.resource_spans:
                for scope_spans in resource_spans.scope_spans:
                    found.extend((resource_spans.resource, span) for span in scope_spans.spans)
        return found

    def wait_for(self, count: int, timeout: float = 30.0) -> list[tuple[Any, Any]]:
        """Wait until ``count`` spans arrived (the timeout only guards against hangs)."""
        with self._arrived:
            self._arrived.wait_for(lambda: len(self.spans()) >= count, timeout)
        return self.spans()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    found = Receiver()
    yield found
    found.close()


@asynccontextmanager
async def lifespan(app: Any) -> AsyncIterator[None]:
    """Drive an ASGI app's lifespan the way a server does: startup, then shutdown."""
    inbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    outbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()

    async def receive() -> dict[str, Any]:
        return await inbox.get()

    async def send(message: dict[str, Any]) -> None:
        await outbox.put(message)

    scope = {"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}
    task = asyncio.ensure_future(app(scope, receive, send))
    await inbox.put({"type": "lifespan.startup"})
    started = await outbox.get()
    assert started["type"] == "lifespan.startup.complete", started
    try:
        yield
    finally:
        await inbox.put({"type": "lifespan.shutdown"})
        stopped = await outbox.get()
        assert stopped["type"] == "lifespan.shutdown.complete", stopped
        await task


@pytest.fixture
def drive_lifespan() -> Any:
    """The :func:`lifespan` driver (fixtures are how tests reach conftest helpers)."""
    return lifespan


@pytest.fixture
async def database(tmp_path: Path) -> AsyncIterator[SQLiteDatabase]:
    """A SQLite file database with a pool of 2 and 1 overflow connection."""
    db = SQLiteDatabase(tmp_path / "app.db", pool_size=2, max_overflow=1)
    yield db
    await db.dispose()


@pytest.fixture
def database_provider_of() -> Any:
    return database_provider
