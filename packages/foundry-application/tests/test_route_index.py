"""The route index answers every request exactly as FastAPI's in-order search does.

Each probe goes to two copies of one app — FastAPI's router as it is, and the same router
behind :class:`RouteIndex` — and must get the same status, body and redirect.
"""

from __future__ import annotations

import httpx
import pytest
from fastapi import APIRouter, FastAPI, Request
from starlette.responses import PlainTextResponse
from starlette.routing import Host, Mount

from foundry.application.route_index import RouteIndex, entry_segments, install_route_index

PROBES = [
    ("GET", "/"),
    ("GET", "/api/items"),
    ("GET", "/api/items/"),  # trailing-slash redirect
    ("GET", "/api/items/7"),
    ("GET", "/api/items/x"),  # 422: the parameter does not parse
    ("POST", "/api/items"),
    ("DELETE", "/api/items"),  # 405: the path matches, the method does not
    ("GET", "/api/other"),
    ("GET", "/api"),
    ("GET", "/apis"),
    ("GET", "/health"),
    ("GET", "/health/"),
    ("GET", "/health/ready"),
    ("GET", "/users/ada"),  # a parameter as first segment: kept for every path
    ("GET", "/users/ada/posts"),
    ("GET", "/static/app.css"),  # a mount
    ("GET", "/static"),
    ("GET", "/docs"),
    ("GET", "/openapi.json"),
    ("GET", "/links"),  # url_for across the index's groups
    ("GET", "/nowhere"),
    ("GET", "/nowhere/deeper"),
    ("HEAD", "/health"),
    ("GET", ""),
]


def build() -> FastAPI:
    app = FastAPI()

    @app.get("/")
    async def home() -> dict[str, str]:
        return {"route": "home"}

    api = APIRouter(prefix="/api")

    @api.get("/items")
    async def list_items() -> dict[str, str]:
        return {"route": "list"}

    @api.post("/items")
    async def create_item() -> dict[str, str]:
        return {"route": "create"}

    @api.get("/items/{item_id}")
    async def show_item(item_id: int) -> dict[str, int]:
        return {"item": item_id}

    health = APIRouter(prefix="/health")

    @health.get("")
    async def health_root() -> dict[str, str]:
        return {"route": "health"}

    @health.get("/ready")
    async def ready() -> dict[str, str]:
        return {"route": "ready"}

    mixed = APIRouter()

    @mixed.get("/{user}")
    async def profile(user: str) -> dict[str, str]:
        return {"user": user}

    @mixed.get("/{user}/posts")
    async def posts(user: str) -> dict[str, str]:
        return {"posts": user}

    @app.get("/links")
    async def links(request: Request) -> dict[str, str]:
        return {"item": str(request.url_for("show_item", item_id=3))}

    app.include_router(api)
    app.include_router(health)
    app.router.routes.append(Mount("/static", app=PlainTextResponse("static file")))
    app.include_router(mixed)  # after the others: the catch-all must not shadow them
    return app


async def answers(app: FastAPI, method: str, path: str) -> tuple[int, str, str | None]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        response = await client.request(method, path or "/", follow_redirects=False)
    return response.status_code, response.text, response.headers.get("location")


async def test_every_probe_gets_the_answer_fastapi_gives():
    plain, indexed = build(), build()
    assert install_route_index(indexed)
    for method, path in PROBES:
        expected = await answers(plain, method, path)
        assert await answers(indexed, method, path) == expected, (method, path)


async def test_the_index_skips_entries_of_other_first_segments():
    app = build()
    install_route_index(app)
    index = app.router.middleware_stack
    assert isinstance(index, RouteIndex)
    await answers(app, "GET", "/health")  # builds the index
    routes = app.router.routes
    kept = [routes[i] for i in index.candidates("/health/ready")]
    assert any(getattr(r, "path", None) == "/static" for r in routes)
    assert not any(getattr(r, "path", None) == "/static" for r in kept)
    assert len(kept) < len(routes)


def test_entries_whose_first_segment_is_not_literal_are_kept_for_every_path():
    assert entry_segments(Host("example.com", app=PlainTextResponse("x"))) is None
    assert entry_segments(Mount("/static", app=PlainTextResponse("x"))) == {"static"}
    app = build()
    by_path = {getattr(r, "path", None): r for r in app.router.routes}
    assert entry_segments(by_path["/"]) == {""}


async def test_routes_added_after_the_first_request_are_found():
    app = build()
    install_route_index(app)
    late = APIRouter(prefix="/late")
    assert (await answers(app, "GET", "/api/items"))[0] == 200  # the index is built

    @app.get("/added")
    async def added() -> dict[str, str]:
        return {"route": "added"}

    assert (await answers(app, "GET", "/added"))[0] == 200
    app.include_router(late)

    @late.get("/route")  # added to a router already included
    async def late_route() -> dict[str, str]:
        return {"route": "late"}

    status, body, _ = await answers(app, "GET", "/late/route")
    assert (status, body) == (200, '{"route":"late"}')


def test_a_router_with_middleware_of_its_own_is_left_alone():
    app = FastAPI()
    app.router.middleware_stack = lambda scope, receive, send: None  # something else
    assert install_route_index(app) is False


@pytest.mark.parametrize("value", ["false", "0", "off"])
def test_app_route_index_false_keeps_fastapis_router(make_app, monkeypatch, value):
    from foundry.application import create_app

    monkeypatch.setenv("APP_ROUTE_INDEX", value)
    api = create_app(application=make_app())
    assert not isinstance(api.router.middleware_stack, RouteIndex)


def test_the_index_is_on_by_default(make_app):
    from foundry.application import create_app

    api = create_app(application=make_app())
    assert isinstance(api.router.middleware_stack, RouteIndex)
