"""The ``Broadcaster`` binding: checked events, exclusion, and clear errors."""

from __future__ import annotations

import pytest

from foundry.broadcast import InvalidEventError, PusherBroadcaster
from foundry.domain.broadcasting import Broadcaster

from .conftest import Client, build_app


def broadcaster(base, **settings) -> PusherBroadcaster:
    app = build_app(base, **settings).boot()
    bound = app.make(Broadcaster)
    assert isinstance(bound, PusherBroadcaster)
    assert isinstance(bound, Broadcaster)
    assert app.make(Broadcaster) is bound
    return bound


@pytest.mark.parametrize(
    ("channels", "event", "payload", "field"),
    [
        ([], "e", {}, "channels"),
        (["bad channel"], "e", {}, "channels"),
        ([f"c{i}" for i in range(101)], "e", {}, "channels"),
        (["ok"], "", {}, "event"),
        (["ok"], "x" * 201, {}, "event"),
        (["ok"], "pusher:subscribe", {}, "event"),
        (["ok"], "pusher_internal:member_added", {}, "event"),
        (["ok"], "e", {"blob": "x" * 20_000}, "data"),
        (["ok"], "e", {"when": object()}, "payload"),
    ],
)
async def test_events_breaking_the_protocol_limits_are_refused_before_sending(
    base, channels, event, payload, field
):
    with pytest.raises(InvalidEventError) as refused:
        await broadcaster(base).broadcast(channels, event, payload)
    assert field in refused.value.fields
    assert refused.value.status == 422


async def test_a_bad_except_socket_is_refused(base):
    with pytest.raises(InvalidEventError, match="socket id"):
        await broadcaster(base).broadcast(["ok"], "e", {}, except_socket="nope")


async def test_the_payload_limit_follows_the_setting(base):
    small = broadcaster(base, max_payload_bytes=64)
    with pytest.raises(InvalidEventError, match=r"broadcast\.max_payload_bytes"):
        await small.broadcast(["ok"], "e", {"text": "y" * 100})


async def test_except_socket_skips_the_sender(served):
    sender, other = await Client.connect(served.ws_url()), await Client.connect(served.ws_url())
    for client in (sender, other):
        await client.subscribe("room")
    await served.app.make(Broadcaster).broadcast(
        ["room"], "said", {"t": "hi"}, except_socket=sender.socket_id
    )
    assert (await other.expect("said"))["data"] == {"t": "hi"}
    await sender.nothing()
    await sender.close()
    await other.close()


async def test_broadcasting_without_subscribers_is_fine(base):
    await broadcaster(base).broadcast(["nobody"], "e", {"n": 1})
