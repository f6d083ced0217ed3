"""The Pusher HTTP API, driven by the official ``pusher`` Python package."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta

import httpx
import pusher
import pytest
from pusher.pusher_client import PusherClient

from foundry.domain.clock import Clock, FrozenClock, SystemClock

from .conftest import APP_ID, APP_KEY, APP_SECRET, Client, sign


def raw_client(served) -> PusherClient:
    """The official library's client, whose requests can be built without sending them."""
    return PusherClient(APP_ID, APP_KEY, APP_SECRET, ssl=False, host="127.0.0.1", port=served.port)


def official(served, *, secret: str = APP_SECRET, app_id: str = APP_ID) -> pusher.Pusher:
    return pusher.Pusher(
        app_id=app_id, key=APP_KEY, secret=secret, host="127.0.0.1", port=served.port, ssl=False
    )


async def call(function, *args, **kwargs):
    """The pusher package blocks; run it in a thread so the server keeps serving."""
    return await asyncio.to_thread(function, *args, **kwargs)


async def test_trigger_reaches_websocket_subscribers(served):
    client = await Client.connect(served.ws_url())
    await client.subscribe("orders")
    answer = await call(official(served).trigger, ["orders"], "order.shipped", {"id": 7})
    assert answer == {}
    event = await client.expect("order.shipped")
    assert event == {"event": "order.shipped", "channel": "orders", "data": {"id": 7}}
    await client.close()


async def test_trigger_to_a_private_channel_and_the_socket_exclusion(served):
    channel = "private-user.1"
    sender, other = await Client.connect(served.ws_url()), await Client.connect(served.ws_url())
    for client in (sender, other):
        await client.subscribe(channel, sign(client.socket_id, channel))
    await call(official(served).trigger, channel, "note", {"n": 1}, socket_id=sender.socket_id)
    assert (await other.expect("note"))["data"] == {"n": 1}
    await sender.nothing()
    await sender.close()
    await other.close()


async def test_batch_events_are_all_delivered(served):
    client = await Client.connect(served.ws_url())
    await client.subscribe("a")
    await client.subscribe("b")
    batch = [
        {"channel": "a", "name": "first", "data": {"n": 1}},
        {"channel": "b", "name": "second", "data": {"n": 2}},
    ]
    await call(official(served).trigger_batch, batch)
    assert (await client.expect("first"))["data"] == {"n": 1}
    assert (await client.expect("second"))["data"] == {"n": 2}
    await client.close()


async def test_a_bad_batch_sends_nothing(served):
    client = await Client.connect(served.ws_url())
    await client.subscribe("a")
    batch = [
        {"channel": "a", "name": "fine", "data": "{}"},
        {"channel": "bad channel!", "name": "broken", "data": "{}"},
    ]
    with pytest.raises(pusher.errors.PusherBadRequest):
        await call(official(served).trigger_batch, batch, already_encoded=True)
    await client.nothing()
    await client.close()


async def test_a_wrong_secret_is_refused_with_401(served):
    client = await Client.connect(served.ws_url())
    await client.subscribe("orders")
    with pytest.raises(pusher.errors.PusherBadAuth) as refused:
        await call(official(served, secret="not-the-secret").trigger, "orders", "x", {})
    assert "auth_signature does not match" in str(refused.value)
    await client.nothing()
    await client.close()


@pytest.mark.parametrize("offset", [timedelta(seconds=601), timedelta(seconds=-601)])
async def test_a_stale_timestamp_is_refused_with_401(served, offset):
    clock = FrozenClock(SystemClock().now() + offset)
    served.app.instance(Clock, clock)
    with pytest.raises(pusher.errors.PusherBadAuth) as refused:
        await call(official(served).trigger, "orders", "x", {})
    assert "auth_timestamp" in str(refused.value)


async def test_a_timestamp_within_600_seconds_is_accepted(served):
    served.app.instance(Clock, FrozenClock(SystemClock().now() + timedelta(seconds=590)))
    assert await call(official(served).trigger, "orders", "x", {}) == {}


async def test_a_tampered_body_is_refused(served):
    request = raw_client(served).trigger.make_request("orders", "x", {"n": 1})
    async with httpx.AsyncClient(base_url=served.http) as http:
        response = await http.post(
            request.signed_path,
            content=request.body.replace(b'\\"n\\": 1', b'\\"n\\": 2'),
            headers=request.headers,
        )
    assert response.status_code == 401
    assert "body_md5" in response.json()["error"]["message"]


async def test_an_unsigned_request_is_refused(served):
    async with httpx.AsyncClient(base_url=served.http) as http:
        response = await http.post(
            f"/apps/{APP_ID}/events", json={"name": "x", "data": "{}", "channels": ["a"]}
        )
    assert response.status_code == 401
    assert "not signed" in response.json()["error"]["message"]


async def test_an_unknown_app_id_is_404(served):
    with pytest.raises(pusher.errors.PusherBadStatus) as refused:
        await call(official(served, app_id="999").trigger, "orders", "x", {})
    assert "404" in str(refused.value)


async def test_oversized_data_and_too_many_channels_are_400(served):
    request = raw_client(served).trigger.make_request("orders", "x", {"text": "y" * 11_000})
    async with httpx.AsyncClient(base_url=served.http) as http:
        big = await http.post(request.signed_path, content=request.body, headers=request.headers)
    assert big.status_code == 400
    assert "limit is 10240" in big.json()["error"]["message"]
    with pytest.raises(ValueError, match="Too many channels"):
        raw_client(served).trigger.make_request([f"c{i}" for i in range(101)], "x", {})


async def test_channels_info_lists_occupied_channels(served):
    clients = [await Client.connect(served.ws_url()) for _ in range(2)]
    for client in clients:
        await client.subscribe("orders")
    await clients[0].subscribe("news")
    info = await call(official(served).channels_info, attributes=["subscription_count"])
    assert info == {
        "channels": {"news": {"subscription_count": 1}, "orders": {"subscription_count": 2}}
    }
    only = await call(official(served).channels_info, prefix_filter="new")
    assert only == {"channels": {"news": {}}}
    for client in clients:
        await client.close()


async def test_channel_info_and_presence_users(served):
    channel = "presence-room.1"
    clients = [await Client.connect(served.ws_url()) for _ in range(3)]
    for client, user in zip(clients, ["1", "2", "2"], strict=True):
        data = json.dumps({"user_id": user})
        await client.subscribe(channel, sign(client.socket_id, channel, data), data)
    api = official(served)
    info = await call(api.channel_info, channel, ["user_count", "subscription_count"])
    assert info == {"occupied": True, "user_count": 2, "subscription_count": 3}
    users = await call(api.users_info, channel)
    assert sorted(u["id"] for u in users["users"]) == ["1", "2"]
    presence = await call(api.channels_info, "presence-", ["user_count"])
    assert presence == {"channels": {channel: {"user_count": 2}}}
    assert await call(api.channel_info, "empty") == {"occupied": False}
    for client in clients:
        await client.close()


async def test_presence_only_queries_are_400_on_other_channels(served):
    api = official(served)
    with pytest.raises(pusher.errors.PusherBadRequest):
        await call(api.users_info, "orders")
    with pytest.raises(pusher.errors.PusherBadRequest):
        await call(api.channel_info, "orders", ["user_count"])
    with pytest.raises(pusher.errors.PusherBadRequest):
        await call(api.channels_info, None, ["user_count"])


async def test_channel_signatures_match_the_official_library(served):
    api = official(served)
    private = api.authenticate(channel="private-user.1", socket_id="123.456")
    assert private["auth"] == sign("123.456", "private-user.1")
    presence = api.authenticate(
        channel="presence-room.1", socket_id="123.456", custom_data={"user_id": "1"}
    )
    assert presence["auth"] == sign("123.456", "presence-room.1", presence["channel_data"])
