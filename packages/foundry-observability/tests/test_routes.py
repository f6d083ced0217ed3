"""Route templates: the label every request metric and span name uses."""

from __future__ import annotations

import pytest
from fastapi import APIRouter, FastAPI
from starlette.staticfiles import StaticFiles

from foundry.observability import UNMATCHED, RouteTemplates


@pytest.fixture
def app(tmp_path) -> FastAPI:
    api = FastAPI()
    products = APIRouter(prefix="/products")

    @products.get("/{id}")
    async def product(id: int) -> dict[str, int]:
        return {"id": id}

    @products.get("/me")  # shadowed by /{id}, declared first, exactly as FastAPI routes it
    async def mine() -> dict[str, str]:
        return {}

    api.include_router(products)
    inner = APIRouter()

    @inner.get("/orders/{order}/lines/{line}")
    async def line(order: str, line: str) -> dict[str, str]:
        return {}

    outer = APIRouter(prefix="/api")
    outer.include_router(inner, prefix="/v1")
    api.include_router(outer)

    @api.get("/health")
    async def health() -> dict[str, str]:
        return {}

    @api.get("/{slug}/page")
    async def page(slug: str) -> dict[str, str]:
        return {}

    @api.websocket("/live")
    async def live(socket: object) -> None:
        return None

    api.mount("/static", StaticFiles(directory=tmp_path), name="static")
    sub = FastAPI()

    @sub.get("/items/{item}")
    async def item(item: str) -> dict[str, str]:
        return {}

    api.mount("/admin", sub)
    return api


@pytest.mark.parametrize(
    ("method", "path", "template"),
    [
        ("GET", "/products/42", "/products/{id}"),
        ("GET", "/products/me", "/products/{id}"),
        ("GET", "/api/v1/orders/7/lines/3", "/api/v1/orders/{order}/lines/{line}"),
        ("GET", "/health", "/health"),
        ("GET", "/anything/page", "/{slug}/page"),
        ("GET", "/health/page", "/{slug}/page"),
        ("GET", "/static/css/site.css", "/static/{path}"),
        ("GET", "/admin/items/5", "/admin/items/{item}"),
    ],
)
def test_requests_resolve_to_their_route_template(app, method, path, template) -> None:
    assert RouteTemplates(app.router).resolve({"path": path}, method, path) == template


@pytest.mark.parametrize(
    "path", ["/wp-login.php", "/", "/products", "/admin/nothing-here", "/live", "/.env"]
)
def test_unknown_paths_are_unmatched_never_themselves(app, path) -> None:
    assert RouteTemplates(app.router).resolve({"path": path}, "GET", path) == UNMATCHED


def test_a_method_the_route_does_not_accept_keeps_its_template(app) -> None:
    # answered 405 by the route, so it is labelled with it
    assert RouteTemplates(app.router).resolve({}, "DELETE", "/products/1") == "/products/{id}"


def test_router_found_in_scope_and_rebuilt_when_routes_are_added(app) -> None:
    templates = RouteTemplates()
    scope = {"app": app, "path": "/late/1"}
    assert templates.resolve(scope, "GET", "/late/1") == UNMATCHED

    @app.get("/late/{n}")
    async def late(n: int) -> dict[str, int]:
        return {}

    assert templates.resolve(scope, "GET", "/late/1") == "/late/{n}"


def test_no_router_means_unmatched() -> None:
    assert RouteTemplates().resolve({"path": "/x"}, "GET", "/x") == UNMATCHED


def test_only_parameterless_templates_are_cached(app) -> None:
    templates = RouteTemplates(app.router)
    for n in range(50):
        templates.resolve({}, "GET", f"/products/{n}")
        templates.resolve({}, "GET", f"/scan-{n}")
    templates.resolve({}, "GET", "/health")
    assert templates._static == {("GET", "/health"): "/health"}
