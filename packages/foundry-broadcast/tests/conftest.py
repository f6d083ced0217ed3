"""Fixtures: an app root, apps served by a real uvicorn on free ports, Pusher clients.

Servers run in the test's own event loop (``uvicorn.Server.serve`` as a task), so a test
can reach into an app (its hub, its container) while real websocket clients talk to it.
Blocking clients (the ``pusher`` package) run in threads for the same reason.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import socket
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import uvicorn
import websockets

from foundry.application import Application, create_app
from foundry.broadcast.provider import BroadcastServiceProvider
from foundry.testing.redis import unique_prefix

KEY = "base64:" + base64.b64encode(b"k" * 32).decode()
APP_ID = "123456"
APP_KEY = "test-key"
APP_SECRET = "test-secret-0123456789abcdef"
ENV_NAMES = (
    "APP_KEY",
    "APP_ENV",
    "BROADCAST_DRIVER",
    "PUSHER_APP_ID",
    "PUSHER_APP_KEY",
    "PUSHER_APP_SECRET",
    "BROADCAST_ALLOW_CLIENT_EVENTS",
    "BROADCAST_ACTIVITY_TIMEOUT",
    "BROADCAST_MAX_CONNECTIONS",
    "BROADCAST_QUEUE_SIZE",
    "BROADCAST_REDIS_PREFIX",
    "BROADCAST_PRESENCE_TTL",
    "REDIS_URL",
    "FOUNDRY_DONT_DISCOVER",
    "FOUNDRY_BASE_PATH",
)


@pytest.fixture
def base(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty app root, isolated from the caller's environment."""
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)
    root = tmp_path / "app"
    root.mkdir(exist_ok=True)
    return root


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def build_app(base: Path, **settings: Any) -> Application:
    """A loaded (not booted) app with ``broadcast.*`` overrides (``redis_url`` -> ``redis.url``)."""
    app = Application(base, providers=[BroadcastServiceProvider], discover=False)
    app.load()
    values = {"app_id": APP_ID, "key": APP_KEY, "secret": APP_SECRET, **settings}
    for name, value in values.items():
        app.config.set("redis.url" if name == "redis_url" else f"broadcast.{name}", value)
    return app


@dataclass
class Served:
    """One app served on a port."""

    app: Application
    port: int

    @property
    def http(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def ws_url(
        self, key: str = APP_KEY, query: str = "protocol=7&client=python&version=1.0"
    ) -> str:
        return f"ws://127.0.0.1:{self.port}/app/{key}?{query}"

    @property
    def hub(self) -> Any:
        from foundry.broadcast.hub import Hub

        return self.app.make(Hub)


@contextlib.asynccontextmanager
async def serve(app: Application) -> AsyncIterator[Served]:
    """Serve ``app`` with uvicorn on a free port until the block ends."""
    api = create_app(application=app)
    port = free_port()
    config = uvicorn.Config(api, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    task = asyncio.get_running_loop().create_task(server.serve())
    deadline = time.monotonic() + 10
    while not server.started:
        if task.done():
            task.result()
        if time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        await asyncio.sleep(0.02)
    try:
        yield Served(app, port)
    finally:
        server.should_exit = True
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(task, 15)


@pytest.fixture
async def served(base: Path) -> AsyncIterator[Served]:
    """The memory driver, client events on, a 2 s activity timeout."""
    app = build_app(base, allow_client_events=True)
    async with serve(app) as running:
        yield running


class Client:
    """A Pusher-protocol client on a real websocket (``websockets``)."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.socket_id = ""

    @classmethod
    async def connect(cls, url: str, **options: Any) -> Client:
        client = cls(await websockets.connect(url, **options))
        established = await client.expect("pusher:connection_established")
        client.socket_id = established["data"]["socket_id"]
        return client

    async def send(self, event: str, data: Any = None, channel: str | None = None) -> None:
        frame: dict[str, Any] = {"event": event, "data": data if data is not None else {}}
        if channel is not None:
            frame["channel"] = channel
        await self.ws.send(json.dumps(frame))

    async def receive(self, timeout: float = 5.0) -> dict[str, Any]:
        frame = json.loads(await asyncio.wait_for(self.ws.recv(), timeout))
        if isinstance(frame.get("data"), str):
            with contextlib.suppress(ValueError):
                frame["data"] = json.loads(frame["data"])
        return frame

    async def expect(self, event: str, timeout: float = 5.0) -> dict[str, Any]:
        """The next frame named ``event`` (frames before it are skipped)."""
        deadline = time.monotonic() + timeout
        while True:
            frame = await self.receive(max(0.01, deadline - time.monotonic()))
            if frame["event"] == event:
                return frame

    async def nothing(self, within: float = 0.3) -> None:
        """Assert that no frame arrives within ``within`` seconds."""
        try:
            frame = await self.receive(within)
        except TimeoutError:
            return
        raise AssertionError(f"unexpected frame {frame}")

    async def subscribe(
        self, channel: str, auth: str | None = None, channel_data: str | None = None
    ) -> dict[str, Any]:
        data: dict[str, Any] = {"channel": channel}
        if auth is not None:
            data["auth"] = auth
        if channel_data is not None:
            data["channel_data"] = channel_data
        await self.send("pusher:subscribe", data)
        return await self.expect_any(("pusher_internal:subscription_succeeded", "pusher:error"))

    async def expect_any(self, events: tuple[str, ...], timeout: float = 5.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            frame = await self.receive(max(0.01, deadline - time.monotonic()))
            if frame["event"] in events:
                return frame

    async def close(self) -> None:
        await self.ws.close()

    async def closed_with(self, timeout: float = 5.0) -> int | None:
        """The close code the server closed this connection with (frames are skipped)."""
        with contextlib.suppress(websockets.ConnectionClosed):
            while True:
                await asyncio.wait_for(self.ws.recv(), timeout)
        return self.ws.close_code

    @classmethod
    async def refused(cls, url: str) -> tuple[dict[str, Any], int | None]:
        """Connect expecting a refusal: the ``pusher:error`` frame and the close code."""
        client = cls(await websockets.connect(url))
        frame = await client.receive()
        return frame, await client.closed_with()


def sign(socket_id: str, channel: str, channel_data: str | None = None) -> str:
    from foundry.broadcast.signing import channel_auth

    return channel_auth(APP_KEY, APP_SECRET, socket_id, channel, channel_data)


# --- real services -------------------------------------------------------------------------


@contextlib.asynccontextmanager
async def instances(base, redis_url, prefix, count=2, **settings) -> AsyncIterator[list[Served]]:
    """``count`` apps, each served on its own port, on one Redis and prefix."""
    options = {"driver": "redis", "redis_url": redis_url, "redis_prefix": prefix, "presence_ttl": 3}
    options.update(settings)
    async with contextlib.AsyncExitStack() as stack:
        served = []
        for number in range(count):
            root = base.parent / f"instance{number}"
            root.mkdir(exist_ok=True)
            served.append(await stack.enter_async_context(serve(build_app(root, **options))))
        yield served


async def eventually(check, timeout: float = 10.0, step: float = 0.1):
    deadline = time.monotonic() + timeout
    while True:
        value = await check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("the condition did not hold in time")
        await asyncio.sleep(step)


def presence_data(user_id: str, **info) -> str:
    return json.dumps({"user_id": user_id, "user_info": info})


async def join(client: Client, channel: str, user_id: str, **info) -> dict:
    data = presence_data(user_id, **info)
    return await client.subscribe(channel, sign(client.socket_id, channel, data), data)


# Redis: foundry-testing's ``redis_url`` and ``redis_prefix`` (the shared server, keys
# cleaned after each test) and ``redis_server`` (a ``redis-server`` of the test's own).


@pytest.fixture
def prefix() -> str:
    """A key prefix unique to this test, for a ``redis_server`` of its own (nothing to clean:
    the server goes with the test); tests on the shared Redis use ``redis_prefix``."""
    return unique_prefix("foundry-broadcast-test")
