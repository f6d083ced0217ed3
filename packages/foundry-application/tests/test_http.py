"""create_app(): routers, middleware order, lifespan, state."""

from __future__ import annotations

import httpx
import pytest
from fastapi import APIRouter

from foundry.application import create_app
from foundry.domain.http import MiddlewareSpec
from foundry.domain.provider import ServiceProvider


class Tagging:
    """Pure-ASGI middleware appending its tag to a response header."""

    def __init__(self, app, tag: str) -> None:
        self.app = app
        self.tag = tag

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def tagged_send(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.append((b"x-order", self.tag.encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, tagged_send)


class WebProvider(ServiceProvider):
    name = "web"

    def register(self, app):
        app.on_startup(lambda: app.instance("started", True))

    def routes(self, app):
        router = APIRouter()

        @router.get("/ping")
        async def ping() -> dict[str, object]:
            return {"pong": True, "started": app.bound("started")}

        return [router]

    def middleware(self, app):
        return [
            MiddlewareSpec(Tagging, {"tag": "inner"}, priority=900),
            MiddlewareSpec(Tagging, {"tag": "outer"}, priority=100),
        ]

    def exception_handlers(self, app):
        from fastapi.responses import JSONResponse

        async def handle(request, exc):
            return JSONResponse({"handled": str(exc)}, status_code=418)

        return {LookupError: handle}


@pytest.fixture
def api(base):
    return create_app(base, providers=[WebProvider], discover=False)


async def test_routes_middleware_and_state(api):
    async with api.router.lifespan_context(api):
        transport = httpx.ASGITransport(app=api)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            response = await client.get("/ping")
    assert response.json() == {"pong": True, "started": True}
    # the inner middleware adds its header first, the outer one last
    assert response.headers.get_list("x-order") == ["inner", "outer"]
    assert api.state.foundry.is_booted


async def test_provider_exception_handlers_are_installed(base):
    class Raising(WebProvider):
        def routes(self, app):
            router = APIRouter()

            @router.get("/boom")
            async def boom() -> None:
                raise LookupError("no such widget")

            return [router]

    api = create_app(base, providers=[Raising], discover=False)
    transport = httpx.ASGITransport(app=api)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        response = await client.get("/boom")
    assert (response.status_code, response.json()) == (418, {"handled": "no such widget"})


async def test_lifespan_runs_terminating_hooks(base):
    seen: list[str] = []

    class Closing(ServiceProvider):
        def register(self, app):
            app.terminating(lambda: seen.append("closed"))

    api = create_app(base, providers=[Closing], discover=False)
    async with api.router.lifespan_context(api):
        assert seen == []
    assert seen == ["closed"]


async def test_serve_hooks_run_in_the_lifespan_only(base):
    seen: list[str] = []

    class Serving(ServiceProvider):
        def register(self, app):
            app.on_startup(lambda: seen.append("startup"))
            app.on_serve(lambda: seen.append("serve"))

    api = create_app(base, providers=[Serving], discover=False)
    await api.state.foundry.startup()  # what a console command does
    assert seen == ["startup"]
    async with api.router.lifespan_context(api):
        assert seen == ["startup", "serve"]
