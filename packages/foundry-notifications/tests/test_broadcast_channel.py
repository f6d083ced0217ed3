"""The broadcast channel through foundry-broadcast's memory driver: a real websocket client
subscribed to the user's private channel receives the notification as Laravel Echo
expects it."""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
from notifications_support import Alert, User

from foundry.domain.broadcasting import Broadcaster
from foundry.notifications import ECHO_EVENT, Notification, NotificationFailedError

KEY, SECRET = "test-key", "test-secret-0123456789abcdef"
ENV = {"PUSHER_APP_ID": "123456", "PUSHER_APP_KEY": KEY, "PUSHER_APP_SECRET": SECRET}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.asynccontextmanager
async def served(app: Any) -> AsyncIterator[int]:
    import uvicorn

    from foundry.application import create_app

    port = free_port()
    config = uvicorn.Config(
        create_app(application=app), host="127.0.0.1", port=port, log_level="warning"
    )
    server = uvicorn.Server(config)
    task = asyncio.get_running_loop().create_task(server.serve())
    deadline = time.monotonic() + 10
    while not server.started:
        if task.done():
            task.result()
        assert time.monotonic() < deadline, "uvicorn did not start"
        await asyncio.sleep(0.02)
    try:
        yield port
    finally:
        server.should_exit = True
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(task, 15)


async def frame(ws: Any, event: str) -> dict[str, Any]:
    while True:
        data = json.loads(await asyncio.wait_for(ws.recv(), 5))
        if data["event"] == event:
            if isinstance(data.get("data"), str):
                data["data"] = json.loads(data["data"])
            return data


async def test_a_subscriber_of_the_users_private_channel_receives_the_notification(
    make_app: Any,
) -> None:
    import websockets

    from foundry.broadcast.provider import BroadcastServiceProvider
    from foundry.broadcast.signing import channel_auth

    app = make_app("sqlite://:memory:", BroadcastServiceProvider, infra=False, env=ENV)
    user = User(id=42, name="Ada")
    channel = "private-User.42"
    async with served(app) as port:
        url = f"ws://127.0.0.1:{port}/app/{KEY}?protocol=7&client=python&version=1.0"
        async with websockets.connect(url) as ws:
            established = await frame(ws, "pusher:connection_established")
            socket_id = established["data"]["socket_id"]
            auth = channel_auth(KEY, SECRET, socket_id, channel, None)
            await ws.send(
                json.dumps(
                    {"event": "pusher:subscribe", "data": {"channel": channel, "auth": auth}}
                )
            )
            await frame(ws, "pusher_internal:subscription_succeeded")

            await user.notify_now(Alert("Order shipped", ["broadcast"]), app=app)
            received = await frame(ws, ECHO_EVENT)

    assert received["channel"] == channel
    payload = received["data"]
    assert payload["message"] == "Order shipped"
    assert payload["type"] == "notifications_support.Alert"
    assert len(payload["id"]) == 36


async def test_broadcast_on_and_broadcast_as_choose_channels_and_event(make_app: Any) -> None:
    from foundry.broadcast.provider import BroadcastServiceProvider

    @dataclass
    class OrderUpdate(Notification):
        def via(self, notifiable: Any) -> list[str]:
            return ["broadcast"]

        def broadcast_on(self, notifiable: Any) -> list[str]:
            return ["orders", "private-admins"]

        def broadcast_as(self) -> str:
            return "order.updated"

        def to_broadcast(self, notifiable: Any) -> dict[str, Any]:
            return {"status": "shipped"}

    calls: list[tuple[list[str], str, dict[str, Any]]] = []

    class Recording:
        def __init__(self, inner: Any) -> None:
            self.inner = inner

        async def broadcast(self, channels: Any, event: str, payload: Any, **kw: Any) -> None:
            calls.append((list(channels), event, dict(payload)))
            await self.inner.broadcast(channels, event, payload, **kw)

    app = make_app("sqlite://:memory:", BroadcastServiceProvider, infra=False, env=ENV)
    app.extend(Broadcaster, lambda inner, _: Recording(inner))
    await User(id=1, name="Ada").notify_now(OrderUpdate(), app=app)
    [(channels, event, payload)] = calls
    assert (channels, event) == (["orders", "private-admins"], "order.updated")
    assert payload["status"] == "shipped"


async def test_without_a_broadcaster_the_channel_fails_naming_the_package(make_app: Any) -> None:
    app = make_app(infra=False)
    with pytest.raises(NotificationFailedError, match="Install foundry-broadcast"):
        await User(id=1, name="Ada").notify_now(Alert("x", ["broadcast"]), app=app)
