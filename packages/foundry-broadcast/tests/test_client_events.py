"""Client events (``client-*``): relayed on private and presence channels, when enabled."""

from __future__ import annotations

import json

from foundry.broadcast.messages import CLIENT_EVENTS_PER_SECOND

from .conftest import Client, build_app, serve, sign


async def private_pair(served, channel="private-chat.1"):
    clients = [await Client.connect(served.ws_url()) for _ in range(2)]
    for client in clients:
        await client.subscribe(channel, sign(client.socket_id, channel))
    return clients


async def test_client_events_reach_the_other_subscribers_but_never_the_sender(served):
    sender, other = await private_pair(served)
    await sender.send("client-typing", {"who": "alice"}, channel="private-chat.1")
    relayed = await other.expect("client-typing")
    assert relayed == {
        "event": "client-typing",
        "channel": "private-chat.1",
        "data": {"who": "alice"},
    }
    await sender.nothing()
    await sender.close()
    await other.close()


async def test_client_events_on_presence_channels_carry_the_sender_user_id(served):
    channel = "presence-room.1"
    clients = [await Client.connect(served.ws_url()) for _ in range(2)]
    for number, client in enumerate(clients, start=1):
        data = json.dumps({"user_id": str(number)})
        await client.subscribe(channel, sign(client.socket_id, channel, data), data)
    await clients[0].send("client-wave", {"hi": True}, channel=channel)
    relayed = await clients[1].expect("client-wave")
    assert relayed["user_id"] == "1"
    assert relayed["data"] == {"hi": True}
    for client in clients:
        await client.close()


async def test_client_events_are_refused_when_disabled(base):
    async with serve(build_app(base, allow_client_events=False)) as running:
        sender, other = await private_pair(running)
        await sender.send("client-typing", {}, channel="private-chat.1")
        error = await sender.expect("pusher:error")
        assert error["data"]["code"] == 4301
        assert "BROADCAST_ALLOW_CLIENT_EVENTS" in error["data"]["message"]
        await other.nothing()
        await sender.close()
        await other.close()


async def test_client_events_are_refused_on_public_channels(served):
    sender, other = await Client.connect(served.ws_url()), await Client.connect(served.ws_url())
    for client in (sender, other):
        await client.subscribe("lobby")
    await sender.send("client-typing", {}, channel="lobby")
    assert (await sender.expect("pusher:error"))["data"]["code"] == 4301
    await other.nothing()
    await sender.close()
    await other.close()


async def test_client_events_need_a_subscription_to_the_channel(served):
    outsider = await Client.connect(served.ws_url())
    _, member = await private_pair(served)
    await outsider.send("client-typing", {}, channel="private-chat.1")
    error = await outsider.expect("pusher:error")
    assert error["data"]["code"] == 4009
    await member.nothing()
    await outsider.close()
    await member.close()


async def test_client_events_over_the_size_limit_are_refused(base):
    async with serve(build_app(base, allow_client_events=True, max_payload_bytes=100)) as running:
        sender, other = await private_pair(running)
        await sender.send("client-big", {"text": "x" * 200}, channel="private-chat.1")
        assert (await sender.expect("pusher:error"))["data"]["code"] == 4301
        await other.nothing()
        await sender.close()
        await other.close()


async def test_client_events_are_rate_limited_per_connection(served):
    sender, other = await private_pair(served)
    for number in range(CLIENT_EVENTS_PER_SECOND + 3):
        await sender.send("client-n", {"n": number}, channel="private-chat.1")
    errors = 0
    for _ in range(3):
        frame = await sender.expect("pusher:error")
        errors += frame["data"]["code"] == 4301
    assert errors == 3
    received = [
        (await other.expect("client-n"))["data"]["n"] for _ in range(CLIENT_EVENTS_PER_SECOND)
    ]
    assert received == list(range(CLIENT_EVENTS_PER_SECOND))
    await other.nothing()
    await sender.close()
    await other.close()
