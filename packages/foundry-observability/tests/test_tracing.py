"""OpenTelemetry export to a real OTLP/HTTP receiver running inside the test.

The receiver (conftest.Receiver) is a stdlib HTTP server that accepts ``POST /v1/traces``
and decodes the protobuf body with opentelemetry-proto. In-process tests keep the tracer
provider to themselves (a process has only one global provider); the default set-up, which
installs the global provider, runs in a child process of its own.
"""

from __future__ import annotations

import io
import json
import logging
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import APIRouter
from sqlalchemy import text

from foundry.application import Application
from foundry.application.http import create_app
from foundry.domain.errors import MissingDependencyError
from foundry.domain.provider import ServiceProvider
from foundry.observability import (
    Observability,
    ObservabilityServiceProvider,
    ObservabilitySettings,
    configure_logging,
)

SERVER, CLIENT = 2, 3  # Span.SpanKind values in the OTLP protobuf


def attributes(span: Any) -> dict[str, Any]:
    found = {}
    for item in span.attributes:
        value = item.value
        found[item.key] = getattr(value, value.WhichOneof("value"))
    return found


def routes_for(database: Any) -> type[ServiceProvider]:
    router = APIRouter()

    @router.get("/products/{id}")
    async def product(id: int) -> dict[str, int]:
        logging.getLogger("app.products").warning("looking up %s", id)
        async with database.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
        return {"id": id}

    class Routes(ServiceProvider):
        name = "traced-routes"

        def routes(self, app: Any) -> list[APIRouter]:
            return [router]

    return Routes


@pytest.fixture
def traced(tmp_path, receiver, database, database_provider_of):
    """An app whose Observability exports to the receiver without the global provider."""
    app = Application(
        base_path=tmp_path,
        providers=[
            ObservabilityServiceProvider,
            database_provider_of(database),
            routes_for(database),
        ],
        discover=False,
    )
    app.boot()
    settings = ObservabilitySettings(
        app_name="shop", service_name="shop-api", otlp_endpoint=receiver.endpoint
    )
    observability = Observability(settings, engine=lambda: database.engine, set_global_tracer=False)
    app.instance(Observability, observability)
    api = create_app(application=app)
    yield api, observability
    observability.shutdown()


async def test_request_and_query_spans_arrive_as_parent_and_child(traced, receiver) -> None:
    api, observability = traced
    transport = httpx.ASGITransport(app=api)
    async with httpx.AsyncClient(transport=transport, base_url="http://shop") as http:
        assert (await http.get("/products/42")).status_code == 200
    assert observability.tracing is not None
    assert observability.tracing.flush()
    spans = receiver.wait_for(2)
    assert set(receiver.paths) == {"/v1/traces"}
    [(resource, request)] = [(r, s) for r, s in spans if s.kind == SERVER]
    [(_, query)] = [(r, s) for r, s in spans if s.kind == CLIENT]
    assert request.name == "GET /products/{id}"
    assert attributes(request)["http.route"] == "/products/{id}"
    assert attributes(request)["http.response.status_code"] == 200
    assert attributes(request)["url.path"] == "/products/42"
    assert query.name.startswith("SELECT")
    assert "SELECT 1" in attributes(query).get(
        "db.statement", attributes(query).get("db.query.text", "")
    )
    assert query.trace_id == request.trace_id
    assert query.parent_span_id == request.span_id
    service = {a.key: a.value.string_value for a in resource.attributes}
    assert service["service.name"] == "shop-api"


async def test_incoming_traceparent_is_continued(traced, receiver) -> None:
    api, observability = traced
    trace_id = "0af7651916cd43dd8448eb211c80319c"
    parent = "b7ad6b7169203331"
    transport = httpx.ASGITransport(app=api)
    async with httpx.AsyncClient(transport=transport, base_url="http://shop") as http:
        await http.get("/products/1", headers={"traceparent": f"00-{trace_id}-{parent}-01"})
    observability.tracing.flush()
    [request] = [s for _, s in receiver.wait_for(2) if s.kind == SERVER]
    assert request.trace_id.hex() == trace_id
    assert request.parent_span_id.hex() == parent


async def test_unmatched_requests_are_named_by_method_only(traced, receiver) -> None:
    api, observability = traced
    transport = httpx.ASGITransport(app=api)
    async with httpx.AsyncClient(transport=transport, base_url="http://shop") as http:
        assert (await http.get("/wp-login.php")).status_code == 404
        await http.get("/metrics")
    observability.tracing.flush()
    [span] = receiver.wait_for(1)
    assert span[1].name == "GET"
    assert "http.route" not in attributes(span[1])


async def test_log_records_carry_the_trace_id(traced, receiver) -> None:
    api, observability = traced
    buffer = io.StringIO()
    configure_logging(format="json", stream=buffer)
    transport = httpx.ASGITransport(app=api)
    async with httpx.AsyncClient(transport=transport, base_url="http://shop") as http:
        await http.get("/products/7")
    observability.tracing.flush()
    [request] = [s for _, s in receiver.wait_for(2) if s.kind == SERVER]
    [line] = [json.loads(x) for x in buffer.getvalue().splitlines() if "looking up" in x]
    assert line["trace_id"] == request.trace_id.hex()
    assert line["span_id"] == request.span_id.hex()


def test_missing_extra_names_the_install_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "opentelemetry.sdk.trace", None)  # as if not installed
    settings = ObservabilitySettings(otlp_endpoint="http://127.0.0.1:4318")
    with pytest.raises(MissingDependencyError) as raised:
        _ = Observability(settings, set_global_tracer=False).tracing
    assert "OTEL_EXPORTER_OTLP_ENDPOINT" in raised.value.message
    assert "pip install 'foundry-observability[otel]'" in raised.value.message


def test_no_endpoint_means_no_tracing() -> None:
    assert Observability(ObservabilitySettings()).tracing is None


CHILD = textwrap.dedent(
    """
    import asyncio, sys
    from pathlib import Path
    import httpx
    from fastapi import APIRouter
    from sqlalchemy import text
    from sqlalchemy.ext.asyncio import create_async_engine
    from foundry.application.http import create_app
    from foundry.domain.database import Database
    from foundry.domain.provider import ServiceProvider
    from foundry.observability import ObservabilityServiceProvider

    engine = create_async_engine(f"sqlite+aiosqlite:///{sys.argv[1]}/app.db")
    router = APIRouter()

    @router.get("/products/{id}")
    async def product(id: int):
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
        return {"id": id}

    class Db:
        pass

    db = Db()
    db.engine = engine

    class App(ServiceProvider):
        name = "child-app"
        provides = (Database,)
        def register(self, app):
            app.instance(Database, db)
        def routes(self, app):
            return [router]

    async def main():
        api = create_app(Path(sys.argv[1]), providers=[ObservabilityServiceProvider, App],
                         discover=False)
        inbox, outbox = asyncio.Queue(), asyncio.Queue()  # the lifespan, as a server runs it
        scope = {"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}
        server = asyncio.ensure_future(api(scope, inbox.get, outbox.put))
        await inbox.put({"type": "lifespan.startup"})
        assert (await outbox.get())["type"] == "lifespan.startup.complete"
        transport = httpx.ASGITransport(app=api)
        async with httpx.AsyncClient(transport=transport, base_url="http://shop") as http:
            assert (await http.get("/products/5")).status_code == 200
        await inbox.put({"type": "lifespan.shutdown"})  # exports the last spans
        assert (await outbox.get())["type"] == "lifespan.shutdown.complete"
        await server

    asyncio.run(main())
    """
)


def test_default_setup_exports_request_and_query_spans(tmp_path: Path, receiver) -> None:
    env = {
        **{k: v for k, v in __import__("os").environ.items() if not k.startswith("OTEL_")},
        "OTEL_EXPORTER_OTLP_ENDPOINT": receiver.endpoint,
        "APP_NAME": "child-shop",
    }
    result = subprocess.run(
        [sys.executable, "-c", CHILD, str(tmp_path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    spans = receiver.wait_for(2)
    by_id = {span.span_id: span for _, span in spans}
    [request] = [s for _, s in spans if s.kind == SERVER]
    [query] = [s for _, s in spans if s.kind == CLIENT]
    assert request.name == "GET /products/{id}"
    ancestor, seen = query, []
    while ancestor.parent_span_id and ancestor.parent_span_id in by_id:
        ancestor = by_id[ancestor.parent_span_id]
        seen.append(ancestor.span_id)
    assert request.span_id in seen  # the query ran inside the request's trace
    assert query.trace_id == request.trace_id
    resource = spans[0][0]
    assert {a.key: a.value.string_value for a in resource.attributes}["service.name"] == (
        "child-shop"
    )
