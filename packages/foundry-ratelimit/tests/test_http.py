"""Limits through create_app() and httpx: the dependency, a router default and the
middleware, with their headers and envelopes."""

from __future__ import annotations

import asyncio

import pytest
from fastapi import APIRouter, Depends, Request, WebSocket

from foundry.domain.context import set_user_id
from foundry.ratelimit import RateLimit, limiter, rate_limit

NO_MIDDLEWARE = {"RATE_LIMIT_MIDDLEWARE": "false"}


def limited_routes() -> APIRouter:
    router = APIRouter()

    @router.get("/search", dependencies=[Depends(RateLimit("search"))])
    async def search() -> dict[str, list[str]]:
        return {"results": []}

    @router.post("/login", dependencies=[rate_limit("login", per_minute=2)])
    async def login() -> dict[str, bool]:
        return {"ok": True}

    @router.get("/free")
    async def free() -> dict[str, bool]:
        return {"free": True}

    return router


def admin_routes() -> APIRouter:
    router = APIRouter(prefix="/admin", dependencies=[Depends(RateLimit("admin"))])

    @router.get("/users")
    async def users() -> list[str]:
        return []

    @router.get("/stats")
    async def stats() -> dict[str, int]:
        return {}

    return router


def assert_too_many(response, limit: int) -> None:
    assert response.status_code == 429
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "status"}
    assert body["error"]["code"] == "TOO_MANY_REQUESTS"
    assert body["error"]["status"] == 429
    assert "Retry in" in body["error"]["message"]
    assert int(response.headers["retry-after"]) >= 1
    assert response.headers["ratelimit-limit"] == str(limit)
    assert response.headers["ratelimit-remaining"] == "0"
    assert int(response.headers["ratelimit-reset"]) >= 1


# --- the dependency ----------------------------------------------------------------------


async def test_a_dependency_limits_its_route_with_headers_on_every_answer(site, bind, frozen):
    limiter("search").per_minute(3)
    async with site(bind(frozen), routers=[limited_routes()], env=NO_MIDDLEWARE) as http:
        answers = [await http.get("/search") for _ in range(4)]
        free = await http.get("/free")
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert [a.headers["ratelimit-remaining"] for a in answers] == ["2", "1", "0", "0"]
    assert all(a.headers["ratelimit-limit"] == "3" for a in answers)
    assert answers[0].headers["ratelimit-reset"] == "120"
    assert "retry-after" not in answers[0].headers
    assert_too_many(answers[-1], 3)
    assert answers[-1].json()["error"]["message"] == (
        'Too many requests: the "search" limit is 3 per minute. Retry in 80 seconds.'
    )
    assert answers[-1].headers["retry-after"] == "80"
    assert free.status_code == 200
    assert "ratelimit-limit" not in free.headers


async def test_rate_limit_defines_the_limiter_inline(site, bind, frozen):
    async with site(bind(frozen), routers=[limited_routes()], env=NO_MIDDLEWARE) as http:
        answers = [await http.post("/login") for _ in range(3)]
        frozen.advance(120)
        later = await http.post("/login")
    assert [a.status_code for a in answers] == [200, 200, 429]
    assert_too_many(answers[-1], 2)
    assert later.status_code == 200


async def test_a_router_default_limits_every_route_of_the_router_together(site, bind, frozen):
    limiter("admin").per_minute(3).algorithm("gcra")
    async with site(bind(frozen), routers=[admin_routes()], env=NO_MIDDLEWARE) as http:
        statuses = [
            (await http.get(path)).status_code for path in ["/admin/users", "/admin/stats"] * 2
        ]
        home = await http.get("/")
    assert statuses == [200, 200, 200, 429]
    assert home.status_code == 200


async def test_configuration_defines_and_tunes_limiters(site, bind, frozen):
    limiter("search").per_minute(100)
    async with site(
        bind(frozen),
        routers=[limited_routes()],
        env=NO_MIDDLEWARE,
        ratelimit__limiters={"search": "1/minute"},
    ) as http:
        statuses = [(await http.get("/search")).status_code for _ in range(2)]
    assert statuses == [200, 429]


async def test_an_unknown_limiter_is_a_clear_error(make_app):
    from foundry.ratelimit import LimiterRegistry, UnknownLimiterError

    app = make_app(ratelimit__limiters={"search": "10/minute"})
    with pytest.raises(UnknownLimiterError) as caught:
        app.make(LimiterRegistry).resolve("serch")
    assert 'No rate limiter is named "serch" (defined: default, search)' in caught.value.message


async def test_a_by_function_chooses_the_key_and_none_exempts(site, bind, frozen):
    limiter("keyed").per_minute(1).by(lambda request: request.headers.get("x-api-key"))
    router = APIRouter()

    @router.get("/keyed", dependencies=[Depends(RateLimit("keyed"))])
    async def keyed() -> dict[str, bool]:
        return {"ok": True}

    async with site(bind(frozen), routers=[router], env=NO_MIDDLEWARE) as http:
        first = await http.get("/keyed", headers={"x-api-key": "alpha"})
        second = await http.get("/keyed", headers={"x-api-key": "alpha"})
        other = await http.get("/keyed", headers={"x-api-key": "beta"})
        exempt = [await http.get("/keyed") for _ in range(3)]
    assert [first.status_code, second.status_code, other.status_code] == [200, 429, 200]
    assert [r.status_code for r in exempt] == [200, 200, 200]
    assert "ratelimit-limit" not in exempt[0].headers


async def test_an_async_by_function_and_a_cost(site, bind, frozen):
    async def tenant(request) -> str:
        return request.headers.get("x-tenant", "none")

    limiter("export").per_minute(10).by(tenant).cost(4)
    router = APIRouter()

    @router.get("/export", dependencies=[Depends(RateLimit("export"))])
    async def export() -> dict[str, bool]:
        return {"ok": True}

    async with site(bind(frozen), routers=[router], env=NO_MIDDLEWARE) as http:
        answers = [await http.get("/export", headers={"x-tenant": "t1"}) for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 429]
    assert [a.headers["ratelimit-remaining"] for a in answers] == ["6", "2", "2"]


async def test_the_dependency_counts_the_user_an_auth_dependency_signed_in(site, bind, frozen):
    async def authenticate(request: Request) -> None:
        user = request.headers.get("x-user")
        if user:
            set_user_id(user)

    limiter("per-user").per_minute(1)
    router = APIRouter()

    @router.get("/me", dependencies=[Depends(authenticate), Depends(RateLimit("per-user"))])
    async def me() -> dict[str, bool]:
        return {"ok": True}

    async with site(bind(frozen), routers=[router], env=NO_MIDDLEWARE) as http:

        async def get(user: str | None = None) -> int:
            headers = {"x-user": user} if user else {}
            # a server runs each request in a task of its own, so the user id set by one
            # request ends with it; httpx's ASGI transport would share the test's context
            return (await asyncio.create_task(http.get("/me", headers=headers))).status_code

        alice = [await get("alice") for _ in range(2)]
        bob = await get("bob")
        anonymous = await get()
    assert alice == [200, 429]
    assert bob == 200
    assert anonymous == 200  # counted by address, a key of its own


# --- the middleware -------------------------------------------------------------------


async def test_the_middleware_applies_the_default_limit_to_every_request(site, bind, frozen):
    async with site(bind(frozen), env={"RATE_LIMIT_DEFAULT": "3/minute"}) as http:
        answers = [await http.get("/") for _ in range(4)]
        missing = await http.get("/no-such-page")
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert [a.headers["ratelimit-remaining"] for a in answers] == ["2", "1", "0", "0"]
    assert_too_many(answers[-1], 3)
    assert (
        answers[-1]
        .json()["error"]["message"]
        .startswith('Too many requests: the "default" limit is 3 per minute.')
    )
    assert missing.status_code == 429  # every path counts, routed or not


async def test_health_routes_and_configured_paths_are_not_limited(site, bind, frozen):
    env = {"RATE_LIMIT_DEFAULT": "1/minute", "RATE_LIMIT_EXCEPT": "/webhooks/*,/status"}
    async with site(bind(frozen), env=env) as http:
        health = [await http.get(p) for p in ["/health", "/health/ready"] * 3]
        hooks = [await http.get(p) for p in ["/webhooks/stripe", "/status"] * 2]
        first, second = await http.get("/"), await http.get("/")
    assert {r.status_code for r in health} == {200}
    assert all("ratelimit-limit" not in r.headers for r in health)
    assert {r.status_code for r in hooks} == {404}  # passed through to the router
    assert (first.status_code, second.status_code) == (200, 429)


async def test_the_metrics_path_is_not_limited_by_default(site, bind, frozen):
    """Prometheus scrapes /metrics every few seconds from one address: never a 429."""
    async with site(bind(frozen), env={"RATE_LIMIT_DEFAULT": "1/minute"}) as http:
        scrapes = [await http.get("/metrics") for _ in range(3)]
        health = [await http.get(p) for p in ["/health", "/health/ready"] * 2]
        first, second = await http.get("/"), await http.get("/")
    assert {r.status_code for r in scrapes} == {404}  # passed through to the router
    assert all("ratelimit-limit" not in r.headers for r in scrapes)
    assert {r.status_code for r in health} == {200}
    assert (first.status_code, second.status_code) == (200, 429)


async def test_the_exempt_metrics_path_follows_metrics_path(site, bind, frozen):
    env = {"RATE_LIMIT_DEFAULT": "1/minute"}
    async with site(bind(frozen), env=env, metrics__path="/internal/metrics") as http:
        scrapes = [await http.get("/internal/metrics") for _ in range(3)]
        moved = [await http.get("/metrics") for _ in range(2)]
    assert {r.status_code for r in scrapes} == {404}
    assert [r.status_code for r in moved] == [404, 429]  # /metrics is an ordinary path now


def test_the_default_exceptions_are_the_health_routes_and_the_metrics_path(make_app):
    from foundry.ratelimit.settings import RateLimitSettings

    default = RateLimitSettings.from_config(make_app().config)
    assert default.except_paths == ("/health", "/health/*", "/metrics")
    moved = RateLimitSettings.from_config(make_app(metrics__path="/ops/metrics").config)
    assert moved.except_paths == ("/health", "/health/*", "/ops/metrics")
    chosen = make_app(env={"RATE_LIMIT_EXCEPT": "/webhooks/*"}).config
    assert RateLimitSettings.from_config(chosen).except_paths == ("/webhooks/*",)


async def test_the_middleware_can_be_turned_off(site, bind, frozen):
    async with site(bind(frozen), env={"RATE_LIMIT_DEFAULT": "1/minute", **NO_MIDDLEWARE}) as http:
        statuses = [(await http.get("/")).status_code for _ in range(3)]
        headers = (await http.get("/")).headers
    assert statuses == [200, 200, 200]
    assert "ratelimit-limit" not in headers


async def test_the_headers_of_the_limit_closest_to_running_out_are_sent(site, bind, frozen):
    limiter("search").per_minute(3)
    env = {"RATE_LIMIT_DEFAULT": "5/minute"}
    async with site(bind(frozen), routers=[limited_routes()], env=env) as http:
        home = await http.get("/")  # default: 4 left
        search = [await http.get("/search") for _ in range(4)]
    assert home.headers["ratelimit-remaining"] == "4"
    # the route's limit (2, 1, 0 left) is closer to running out than the default's
    assert [r.headers["ratelimit-limit"] for r in search[:3]] == ["3", "3", "3"]
    assert [r.headers["ratelimit-remaining"] for r in search[:3]] == ["2", "1", "0"]
    assert search[3].status_code == 429
    assert search[3].headers["ratelimit-limit"] == "3"
    assert len(search[3].headers.get_list("ratelimit-limit")) == 1


async def test_the_middleware_with_a_by_function(site, bind, frozen):
    limiter("default").by(lambda request: request.headers.get("x-app", "web"))
    async with site(bind(frozen), env={"RATE_LIMIT_DEFAULT": "1/minute"}) as http:
        a = [(await http.get("/", headers={"x-app": "a"})).status_code for _ in range(2)]
        b = (await http.get("/", headers={"x-app": "b"})).status_code
    assert (a, b) == ([200, 429], 200)


async def test_websocket_connections_are_not_limited_by_the_middleware(
    make_app, pages, bind, frozen
):
    from foundry.application import create_app

    router = APIRouter()

    @router.websocket("/ws")
    async def echo(socket: WebSocket) -> None:
        await socket.accept()
        await socket.send_text(await socket.receive_text())
        await socket.close()

    app = make_app(pages(routers=[router]), bind(frozen), env={"RATE_LIMIT_DEFAULT": "1/minute"})
    api = create_app(application=app)

    async def connect(text: str) -> list[dict]:
        incoming = [
            {"type": "websocket.connect"},
            {"type": "websocket.receive", "text": text},
            {"type": "websocket.disconnect", "code": 1000},
        ]
        sent: list[dict] = []

        async def receive() -> dict:
            return incoming.pop(0)

        async def send(message: dict) -> None:
            sent.append(message)

        scope = {
            "type": "websocket",
            "path": "/ws",
            "raw_path": b"/ws",
            "query_string": b"",
            "headers": [],
            "client": ("198.51.100.20", 50000),
            "server": ("app.test", 80),
            "scheme": "ws",
            "subprotocols": [],
        }
        await api(scope, receive, send)
        return sent

    for n in range(3):
        sent = await connect(f"hello {n}")
        assert [m["type"] for m in sent] == [
            "websocket.accept",
            "websocket.send",
            "websocket.close",
        ]
        assert sent[1]["text"] == f"hello {n}"
