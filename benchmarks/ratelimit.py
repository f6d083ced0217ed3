"""What the rate limiting middleware costs per request on a trivial endpoint.

Runs in process: the FastAPI app is called straight through ASGI (no server, no HTTP
client), so the figures are the framework's own cost. Three applications are compared:
no limiter, the middleware over the memory store, and the middleware over Redis (when
``REDIS_URL`` or the local server answers). The limit is set high enough that every
request is counted and allowed.

    uv run --all-packages python benchmarks/ratelimit.py [requests]
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
import uuid
from contextlib import AsyncExitStack
from typing import Any

from foundry.application import Application, create_app
from foundry.domain.provider import ServiceProvider
from foundry.ratelimit.provider import RateLimitServiceProvider


class Trivial(ServiceProvider):
    name = "trivial"

    def routes(self, app: Any) -> Any:
        from fastapi import APIRouter

        router = APIRouter()

        @router.get("/ping")
        async def ping() -> dict[str, bool]:
            return {"ok": True}

        return [router]


def build(with_limiter: bool, env: dict[str, str]) -> Any:
    os.environ.update(env)
    providers: list[Any] = [Trivial]
    if with_limiter:
        providers.insert(0, RateLimitServiceProvider)
    app = Application(tempfile.mkdtemp(), providers=providers, discover=False)
    return create_app(application=app)


async def call(api: Any) -> tuple[int, bool]:
    """One GET /ping: its status, and whether it carried ``RateLimit-*`` headers."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": "/ping",
        "raw_path": b"/ping",
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"bench")],
        "client": ("198.51.100.20", 50000),
        "server": ("bench", 80),
    }
    status, limited = 0, False

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status, limited
        if message["type"] == "http.response.start":
            status = message["status"]
            limited = any(name == b"ratelimit-limit" for name, _ in message["headers"])

    await api(scope, receive, send)
    return status, limited


async def batch(api: Any, requests: int) -> float:
    """Microseconds per request over one batch."""
    started = time.perf_counter()
    for _ in range(requests):
        await call(api)
    return (time.perf_counter() - started) / requests * 1e6


async def main() -> None:
    requests = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    rounds = 15
    high = {"RATE_LIMIT_DEFAULT": "1000000000/minute"}
    apps = {
        "no limiter": (build(False, {}), False),
        "middleware + memory": (build(True, {**high, "RATE_LIMIT_STORE": "memory"}), True),
    }
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    redis = {
        **high,
        "RATE_LIMIT_STORE": "redis",
        "REDIS_URL": redis_url,
        "RATE_LIMIT_PREFIX": f"bench:{uuid.uuid4().hex}:",
    }
    apps["middleware + redis"] = (build(True, redis), True)
    timings: dict[str, list[float]] = {label: [] for label in apps}
    async with AsyncExitStack() as stack:
        for label, (api, counted) in list(apps.items()):
            await stack.enter_async_context(api.router.lifespan_context(api))
            warm = [await call(api) for _ in range(200)]
            if any(answer != (200, counted) for answer in warm):
                print(f"({label}: requests were not counted; is {redis_url} up? row left out)")
                del apps[label], timings[label]
        for _ in range(rounds):  # interleaved, so a noisy moment hits every row alike
            for label, (api, _) in apps.items():
                timings[label].append(await batch(api, requests))
    base = min(timings["no limiter"])
    print(f"{'':22}{'best us/req':>12}{'median':>10}{'overhead':>10}")
    for label, values in timings.items():
        best = min(values)
        print(f"{label:22}{best:12.1f}{statistics.median(values):10.1f}{best - base:+10.1f}")


if __name__ == "__main__":
    asyncio.run(main())
