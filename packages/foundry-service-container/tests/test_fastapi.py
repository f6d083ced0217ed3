"""The FastAPI bridge: Inject() and ContainerScopeMiddleware against a real FastAPI app."""

from __future__ import annotations

import asyncio
import json
import sys
from typing import Annotated, Any

import httpx
import pytest
from fastapi import FastAPI, WebSocket

from foundry.domain.errors import BindingResolutionError, ConfigurationError, MissingDependencyError
from foundry.service_container import Container
from foundry.service_container.fastapi import ContainerScopeMiddleware, Inject, container_of


class RequestContext:
    def __init__(self) -> None:
        self.closed = False

    def close(self) -> None:
        self.closed = True


class Greeter:
    def __init__(self, ctx: RequestContext) -> None:
        self.ctx = ctx


class Auditor:
    def __init__(self, ctx: RequestContext) -> None:
        self.ctx = ctx


def build_app(container: Container) -> tuple[FastAPI, list[RequestContext]]:
    app = FastAPI()
    app.state.foundry = container
    app.add_middleware(ContainerScopeMiddleware, container=container)
    seen: list[RequestContext] = []

    @app.get("/pair")
    async def pair(
        greeter: Annotated[Greeter, Inject(Greeter)], auditor: Annotated[Auditor, Inject(Auditor)]
    ) -> Any:
        seen.append(greeter.ctx)
        return {"shared": greeter.ctx is auditor.ctx}

    @app.get("/sync")
    def sync_endpoint(greeter: Annotated[Greeter, Inject(Greeter)]) -> Any:
        # sync endpoints run in a worker thread: the request's scope must follow them
        return {"same": container.make(RequestContext) is greeter.ctx}

    @app.get("/key")
    async def key(name: Annotated[str, Inject("app.name")]) -> Any:
        return {"name": name}

    @app.websocket("/ws")
    async def ws(websocket: WebSocket, greeter: Annotated[Greeter, Inject(Greeter)]) -> None:
        await websocket.accept()
        seen.append(greeter.ctx)
        again = container.make(RequestContext)
        await websocket.send_json({"same": again is greeter.ctx})
        await websocket.close()

    return app, seen


@pytest.fixture
def scoped_container() -> Container:
    container = Container()
    container.scoped(RequestContext)
    container.instance("app.name", "shop")
    return container


def client_for(app: FastAPI) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")


async def test_scoped_binding_is_shared_within_a_request_and_not_across(scoped_container):
    app, seen = build_app(scoped_container)
    async with client_for(app) as client:
        first = (await client.get("/pair")).json()
        second = (await client.get("/pair")).json()
    assert first["shared"] is True
    assert second["shared"] is True
    assert seen[0] is not seen[1]
    assert all(ctx.closed for ctx in seen)


async def test_sync_endpoints_see_their_request_scope(scoped_container):
    app, _ = build_app(scoped_container)
    async with client_for(app) as client:
        assert (await client.get("/sync")).json() == {"same": True}


async def test_string_keys_are_injected(scoped_container):
    app, _ = build_app(scoped_container)
    async with client_for(app) as client:
        assert (await client.get("/key")).json() == {"name": "shop"}


async def websocket_session(app: FastAPI, path: str) -> list[dict[str, Any]]:
    """Drive one websocket session through the ASGI interface, as a server would."""
    incoming: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    await incoming.put({"type": "websocket.connect"})
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return await incoming.get()

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)
        if message["type"] == "websocket.close":
            await incoming.put({"type": "websocket.disconnect", "code": 1000})

    scope = {
        "type": "websocket",
        "asgi": {"version": "3.0"},
        "scheme": "ws",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "headers": [],
        "server": ("test", 80),
        "client": ("127.0.0.1", 50000),
        "subprotocols": [],
    }
    await app(scope, receive, send)
    return sent


async def test_websocket_endpoints_are_injected_in_their_own_scope(scoped_container):
    app, seen = build_app(scoped_container)
    sessions = [await websocket_session(app, "/ws") for _ in range(2)]
    payloads = []
    for sent in sessions:
        assert [m["type"] for m in sent] == [
            "websocket.accept",
            "websocket.send",
            "websocket.close",
        ]
        payloads.append(json.loads(sent[1]["text"]))
    assert payloads[0]["same"] is True
    assert payloads[1]["same"] is True
    assert seen[0] is not seen[1]
    assert all(ctx.closed for ctx in seen)


async def test_without_the_middleware_a_scoped_service_is_a_clear_error(scoped_container):
    app = FastAPI()
    app.state.foundry = scoped_container

    @app.get("/")
    async def endpoint(greeter: Annotated[Greeter, Inject(Greeter)]) -> Any:
        return {}

    async with client_for(app) as client:
        with pytest.raises(BindingResolutionError, match="no scope is open"):
            await client.get("/")


async def test_missing_state_foundry_tells_how_to_set_it_up():
    app = FastAPI()

    @app.get("/")
    async def endpoint(greeter: Annotated[Greeter, Inject(Greeter)]) -> Any:
        return {}

    async with client_for(app) as client:
        with pytest.raises(ConfigurationError) as info:
            await client.get("/")
    assert "app.state.foundry" in info.value.message
    assert "foundry.application.create_app()" in info.value.message


def test_state_foundry_must_be_a_container():
    app = FastAPI()
    app.state.foundry = "not a container"
    with pytest.raises(ConfigurationError, match="not a Foundry container"):
        container_of(app)


def test_inject_without_fastapi_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "fastapi", None)
    with pytest.raises(MissingDependencyError) as info:
        Inject(Greeter)
    assert "pip install 'foundry-service-container[fastapi]'" in info.value.message


async def test_the_middleware_leaves_lifespan_events_outside_any_scope(scoped_container):
    seen = []

    async def inner(scope, receive, send):
        seen.append((scope["type"], scoped_container._scope_var.get() is not None))

    middleware = ContainerScopeMiddleware(inner, scoped_container)

    async def receive():
        return {"type": "lifespan.startup"}

    async def send(message):
        return None

    await middleware({"type": "lifespan"}, receive, send)
    await middleware({"type": "http"}, receive, send)
    assert seen == [("lifespan", False), ("http", True)]


async def test_the_provider_middleware_opens_a_scope_per_request(scoped_container):
    from foundry.domain.http import Priority
    from foundry.service_container.provider import ServiceContainerServiceProvider

    (spec,) = ServiceContainerServiceProvider().middleware(scoped_container)
    assert spec.priority == Priority.CONTAINER_SCOPE
    assert spec.priority < Priority.REQUEST_ID  # outermost: every other middleware is inside
    app = FastAPI()
    app.state.foundry = scoped_container
    app.add_middleware(spec.cls, **dict(spec.options))
    seen = []

    @app.get("/")
    async def endpoint(
        greeter: Annotated[Greeter, Inject(Greeter)], auditor: Annotated[Auditor, Inject(Auditor)]
    ) -> Any:
        seen.append((greeter.ctx, auditor.ctx))
        return {}

    async with client_for(app) as client:
        await client.get("/")
        await client.get("/")
    assert seen[0][0] is seen[0][1]
    assert seen[0][0] is not seen[1][0]
