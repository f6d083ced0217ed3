"""The redis driver losing Redis: clients are told (``pusher:error`` 4101 and a close with
4101, "reconnect with backoff"), new connections are refused the same way while the
subscriber is down, and once Redis is back the same server accepts them and delivers again.

Each test runs its own throwaway ``redis-server``, stopped, cut off or frozen mid-test.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

import pusher
import pytest
import websockets

from foundry.broadcast import BroadcastUnavailableError
from foundry.broadcast.protocol import BACKEND_UNAVAILABLE
from foundry.domain.broadcasting import Broadcaster

from .conftest import APP_ID, APP_KEY, APP_SECRET, Client, Served, eventually, instances, join


async def told_to_back_off(client: Client, timeout: float = 5.0) -> dict:
    """The ``pusher:error`` the server sent before closing ``client`` with the same code."""
    error = await client.expect("pusher:error", timeout=timeout)
    assert error["data"]["code"] == BACKEND_UNAVAILABLE, error
    assert await client.closed_with() == BACKEND_UNAVAILABLE
    return error


async def accepted(server: Served) -> Client | None:
    """A connection once the server accepts them again (None while it refuses)."""
    with contextlib.suppress(websockets.ConnectionClosed, OSError):
        return await Client.connect(server.ws_url())
    return None


async def delivered(broadcaster: Broadcaster, client: Client, event: str) -> dict | None:
    with contextlib.suppress(BroadcastUnavailableError):
        await broadcaster.broadcast(["orders"], event, {"after": True})
    with contextlib.suppress(TimeoutError):
        return await client.expect(event, timeout=0.3)
    return None


async def test_redis_going_away_tells_clients_refuses_new_ones_and_recovers_by_itself(
    base, redis_server, prefix, caplog
):
    channel = "presence-room.1"
    async with instances(base, redis_server.url, prefix) as (a, b):
        client = await Client.connect(a.ws_url())
        await client.subscribe("orders")
        await join(client, channel, "alice")

        with caplog.at_level(logging.WARNING, logger="foundry.broadcast"):
            redis_server.kill()
            error = await told_to_back_off(client)
        assert "reconnect with backoff" in error["data"]["message"]
        assert a.hub.connection_count == 0
        assert any("telling 1 client(s) to reconnect" in r.message for r in caplog.records)

        # While the subscriber is down: refused with the same code, never established.
        frame, code = await Client.refused(a.ws_url())
        assert frame["event"] == "pusher:error"
        assert frame["data"]["code"] == code == BACKEND_UNAVAILABLE
        assert "Redis is unreachable" in frame["data"]["message"]
        with pytest.raises(BroadcastUnavailableError) as down:
            await a.app.make(Broadcaster).broadcast(["orders"], "during", {})
        assert redis_server.url in down.value.message
        assert "told to reconnect with backoff" in down.value.message
        assert down.value.status == 503
        api = pusher.Pusher(APP_ID, APP_KEY, APP_SECRET, host="127.0.0.1", port=a.port, ssl=False)
        with pytest.raises(pusher.errors.PusherBadStatus, match="503"):
            await asyncio.to_thread(api.trigger, "orders", "during", {})

        redis_server.start()  # same port, empty: nothing survived the restart
        again = await eventually(lambda: accepted(a), timeout=20)  # the same server process
        await again.subscribe("orders")
        ok = await join(again, channel, "alice")
        assert ok["data"]["presence"]["hash"] == {"alice": {}}  # no ghost of the closed socket
        # delivery resumes, across instances too (B's publisher reconnects by itself)
        event = await eventually(lambda: delivered(b.app.make(Broadcaster), again, "after"))
        assert event["data"] == {"after": True}
        assert a.hub.backend.healthy
        await again.close()


async def test_losing_only_the_subscription_tells_clients_and_removes_their_presence(
    base, redis_server, prefix
):
    # Redis stays up and only the subscriber's connection is cut: what was published in
    # between is lost all the same, so clients are told; their presence entries can be
    # removed at once instead of expiring (a TTL of a minute here).
    channel = "presence-room.2"
    async with instances(base, redis_server.url, prefix, count=1, presence_ttl=60) as (a,):
        client = await Client.connect(a.ws_url())
        await client.subscribe("orders")
        await join(client, channel, "bob")

        killer = redis_server.client()
        try:
            assert await killer.client_kill_filter(_type="pubsub") >= 1
        finally:
            await killer.aclose()
        await told_to_back_off(client)

        async def presence_gone() -> bool:
            return await a.hub.backend.presence.members(channel) == {}

        await eventually(presence_gone, timeout=10)
        again = await eventually(lambda: accepted(a), timeout=10)
        await again.subscribe("orders")
        event = await eventually(lambda: delivered(a.app.make(Broadcaster), again, "back"))
        assert event["event"] == "back"
        await again.close()


async def test_a_frozen_redis_is_noticed_by_its_unanswered_ping(base, redis_server, prefix):
    # A partition or a frozen server closes nothing: only the unanswered PING tells.
    async with instances(base, redis_server.url, prefix, count=1) as (a,):
        client = await Client.connect(a.ws_url())
        await client.subscribe("orders")
        redis_server.pause()
        try:
            await told_to_back_off(client, timeout=15)
            frame, code = await Client.refused(a.ws_url())
            assert (frame["data"]["code"], code) == (BACKEND_UNAVAILABLE, BACKEND_UNAVAILABLE)
        finally:
            redis_server.resume()
        again = await eventually(lambda: accepted(a), timeout=20)
        await again.subscribe("orders")
        event = await eventually(lambda: delivered(a.app.make(Broadcaster), again, "thawed"))
        assert event["event"] == "thawed"
        await again.close()
