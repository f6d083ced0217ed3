"""Pusher protocol, channel level: public, private and presence subscriptions."""

from __future__ import annotations

import json

from foundry.domain.broadcasting import Broadcaster

from .conftest import APP_SECRET, Client, sign


def member(user_id: object, **info: object) -> str:
    return json.dumps({"user_id": user_id, "user_info": info})


async def test_public_channel_receives_broadcasts(served):
    client = await Client.connect(served.ws_url())
    ok = await client.subscribe("orders")
    assert ok == {
        "event": "pusher_internal:subscription_succeeded",
        "channel": "orders",
        "data": {},
    }
    await served.app.make(Broadcaster).broadcast(["orders"], "order.shipped", {"id": 7})
    event = await client.expect("order.shipped")
    assert event == {"event": "order.shipped", "channel": "orders", "data": {"id": 7}}
    await client.close()


async def test_unsubscribed_clients_receive_nothing(served):
    client = await Client.connect(served.ws_url())
    await client.subscribe("orders")
    await client.send("pusher:unsubscribe", {"channel": "orders"})
    await client.send("pusher:ping")
    await client.expect("pusher:pong")  # the unsubscribe has been handled
    await served.app.make(Broadcaster).broadcast(["orders", "other"], "order.shipped", {"id": 1})
    await client.nothing()
    assert served.hub.subscribers("orders") == 0
    await client.close()


async def test_one_event_to_several_channels_arrives_once_per_channel(served):
    client = await Client.connect(served.ws_url())
    await client.subscribe("a")
    await client.subscribe("b")
    await served.app.make(Broadcaster).broadcast(["a", "b"], "news", {"n": 1})
    first, second = await client.expect("news"), await client.expect("news")
    assert {first["channel"], second["channel"]} == {"a", "b"}
    await client.close()


async def test_invalid_channel_names_are_refused(served):
    client = await Client.connect(served.ws_url())
    answer = await client.subscribe("bad channel!")
    assert answer["event"] == "pusher:error"
    assert "Invalid channel name" in answer["data"]["message"]
    error = await client.expect("pusher:subscription_error")
    assert error["data"]["status"] == 400
    await client.close()


async def test_private_channel_with_a_valid_signature_subscribes(served):
    client = await Client.connect(served.ws_url())
    channel = "private-user.1"
    ok = await client.subscribe(channel, sign(client.socket_id, channel))
    assert ok["event"] == "pusher_internal:subscription_succeeded"
    await served.app.make(Broadcaster).broadcast([channel], "secret", {"x": 1})
    assert (await client.expect("secret"))["data"] == {"x": 1}
    await client.close()


async def test_private_channel_with_a_forged_signature_is_refused_with_4009(served):
    client = await Client.connect(served.ws_url())
    channel = "private-user.1"
    from foundry.broadcast.signing import channel_auth

    forgeries = [
        None,  # no auth at all
        "test-key:" + "0" * 64,  # made-up signature
        channel_auth("test-key", "wrong-secret", client.socket_id, channel),  # wrong secret
        channel_auth("other-key", APP_SECRET, client.socket_id, channel),  # wrong key
        sign("1.2", channel),  # another socket's signature
        sign(client.socket_id, "private-user.2"),  # another channel's signature
    ]
    for auth in forgeries:
        answer = await client.subscribe(channel, auth)
        assert answer["event"] == "pusher:error", auth
        assert answer["data"]["code"] == 4009
        error = await client.expect("pusher:subscription_error")
        assert (error["channel"], error["data"]["status"]) == (channel, 401)
    assert served.hub.subscribers(channel) == 0
    await served.app.make(Broadcaster).broadcast([channel], "secret", {"x": 1})
    await client.nothing()
    await client.close()


async def test_presence_subscription_lists_the_members(served):
    alice = await Client.connect(served.ws_url())
    channel = "presence-room.1"
    data = member("1", name="Alice")
    ok = await alice.subscribe(channel, sign(alice.socket_id, channel, data), data)
    assert ok["event"] == "pusher_internal:subscription_succeeded"
    assert ok["data"] == {"presence": {"ids": ["1"], "hash": {"1": {"name": "Alice"}}, "count": 1}}
    await alice.close()


async def test_presence_member_added_and_removed_reach_the_others_only(served):
    channel = "presence-room.1"
    alice, bob = await Client.connect(served.ws_url()), await Client.connect(served.ws_url())
    a_data, b_data = member("1", name="Alice"), member(2, name="Bob")
    await alice.subscribe(channel, sign(alice.socket_id, channel, a_data), a_data)
    ok = await bob.subscribe(channel, sign(bob.socket_id, channel, b_data), b_data)
    assert ok["data"]["presence"]["count"] == 2
    assert set(ok["data"]["presence"]["ids"]) == {"1", "2"}
    added = await alice.expect("pusher_internal:member_added")
    assert added == {
        "event": "pusher_internal:member_added",
        "channel": channel,
        "data": {"user_id": "2", "user_info": {"name": "Bob"}},
    }
    await bob.nothing()  # no member_added about oneself
    await bob.close()
    removed = await alice.expect("pusher_internal:member_removed")
    assert removed["data"] == {"user_id": "2"}
    await alice.close()


async def test_a_user_joining_twice_is_announced_once_and_leaves_on_the_last_connection(served):
    channel = "presence-room.1"
    watcher = await Client.connect(served.ws_url())
    w_data = member("9")
    await watcher.subscribe(channel, sign(watcher.socket_id, channel, w_data), w_data)
    tabs = [await Client.connect(served.ws_url()) for _ in range(2)]
    data = member("1", name="Alice")
    for tab in tabs:
        await tab.subscribe(channel, sign(tab.socket_id, channel, data), data)
    assert (await watcher.expect("pusher_internal:member_added"))["data"]["user_id"] == "1"
    await watcher.nothing()  # the second tab is not a new member
    await tabs[0].send("pusher:unsubscribe", {"channel": channel})
    await watcher.nothing()  # Alice is still there through the other tab
    await tabs[1].close()
    assert (await watcher.expect("pusher_internal:member_removed"))["data"] == {"user_id": "1"}
    await tabs[0].close()
    await watcher.close()


async def test_presence_channel_data_is_covered_by_the_signature(served):
    channel = "presence-room.1"
    client = await Client.connect(served.ws_url())
    signed = member("1", role="user")
    tampered = member("1", role="admin")
    answer = await client.subscribe(channel, sign(client.socket_id, channel, signed), tampered)
    assert answer["data"]["code"] == 4009
    missing = await client.subscribe(channel, sign(client.socket_id, channel))  # no channel_data
    assert missing["data"]["code"] == 4009
    await client.close()


async def test_presence_channel_data_without_user_id_is_refused(served):
    channel = "presence-room.1"
    client = await Client.connect(served.ws_url())
    data = json.dumps({"user_info": {}})
    answer = await client.subscribe(channel, sign(client.socket_id, channel, data), data)
    assert answer["event"] == "pusher:error"
    assert "user_id" in answer["data"]["message"]
    await client.close()


async def test_resubscribing_answers_again_without_duplicating(served):
    client = await Client.connect(served.ws_url())
    await client.subscribe("orders")
    again = await client.subscribe("orders")
    assert again["event"] == "pusher_internal:subscription_succeeded"
    assert served.hub.subscribers("orders") == 1
    await served.app.make(Broadcaster).broadcast(["orders"], "e", {})
    await client.expect("e")
    await client.nothing()
    await client.close()
