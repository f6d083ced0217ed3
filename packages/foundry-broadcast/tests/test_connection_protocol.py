"""Pusher protocol, connection level: handshake, refusals with their codes, heartbeats."""

from __future__ import annotations

import asyncio
import json
import re

import pytest
import websockets

from .conftest import Client, build_app, serve


async def refused(url: str) -> tuple[dict, int]:
    """The pusher:error a refused connection gets, and the close code that follows."""
    async with websockets.connect(url) as ws:
        error = json.loads(await asyncio.wait_for(ws.recv(), 5))
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await asyncio.wait_for(ws.recv(), 5)
    assert closed.value.rcvd is not None
    return error, closed.value.rcvd.code


async def test_connection_established_carries_socket_id_and_activity_timeout(served):
    async with websockets.connect(served.ws_url()) as ws:
        frame = json.loads(await asyncio.wait_for(ws.recv(), 5))
    assert frame["event"] == "pusher:connection_established"
    assert isinstance(frame["data"], str), "data is a JSON-encoded string on the wire"
    data = json.loads(frame["data"])
    assert re.fullmatch(r"\d+\.\d+", data["socket_id"])
    assert data["activity_timeout"] == 30


async def test_each_connection_gets_its_own_socket_id(served):
    first, second = await Client.connect(served.ws_url()), await Client.connect(served.ws_url())
    assert first.socket_id != second.socket_id
    assert served.hub.connection_count == 2
    await first.close()
    await second.close()


async def test_unknown_app_key_is_refused_with_4001(served):
    error, code = await refused(served.ws_url(key="nope"))
    assert error == {
        "event": "pusher:error",
        "data": {"code": 4001, "message": "App key nope does not exist."},
    }
    assert code == 4001
    assert served.hub.connection_count == 0


async def test_missing_protocol_is_refused_with_4008(served):
    error, code = await refused(served.ws_url(query="client=js&version=8.0"))
    assert (error["data"]["code"], code) == (4008, 4008)


async def test_unsupported_protocol_is_refused_with_4007(served):
    error, code = await refused(served.ws_url(query="protocol=2"))
    assert (error["data"]["code"], code) == (4007, 4007)
    assert "Unsupported protocol version 2" in error["data"]["message"]


async def test_a_full_server_refuses_with_4100_over_capacity(base):
    async with serve(build_app(base, max_connections=1)) as running:
        first = await Client.connect(running.ws_url())
        error, code = await refused(running.ws_url())
        assert (error["data"]["code"], code) == (4100, 4100)
        assert "Over capacity" in error["data"]["message"]
        await first.close()
        await asyncio.sleep(0.1)
        again = await Client.connect(running.ws_url())  # a freed slot is usable again
        await again.close()


async def test_client_ping_gets_pong(served):
    client = await Client.connect(served.ws_url())
    await client.send("pusher:ping")
    assert (await client.receive())["event"] == "pusher:pong"
    await client.close()


async def test_malformed_messages_get_an_error_and_keep_the_connection(served):
    client = await Client.connect(served.ws_url())
    await client.ws.send("not json")
    error = await client.expect("pusher:error")
    assert error["data"]["code"] is None
    assert "Invalid message format" in error["data"]["message"]
    await client.ws.send(b"\x00\x01")
    assert "Binary frames" in (await client.expect("pusher:error"))["data"]["message"]
    await client.send("pusher:nonsense")
    assert "Unsupported event" in (await client.expect("pusher:error"))["data"]["message"]
    await client.send("pusher:ping")
    assert (await client.receive())["event"] == "pusher:pong"
    await client.close()


async def test_idle_client_is_pinged_then_closed_with_4201(base):
    async with serve(build_app(base, activity_timeout=1)) as running:
        client = await Client.connect(running.ws_url())
        assert (await client.receive(3))["event"] == "pusher:ping"
        error = await client.expect("pusher:error", timeout=4)
        assert error["data"]["code"] == 4201
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await client.receive(4)
        assert closed.value.rcvd.code == 4201
        await asyncio.sleep(0.1)
        assert running.hub.connection_count == 0


async def test_client_answering_pings_stays_connected(base):
    async with serve(build_app(base, activity_timeout=1)) as running:
        client = await Client.connect(running.ws_url())
        for _ in range(3):  # three rounds: ~3 s, past the 2 s an idle client survives
            assert (await client.receive(3))["event"] == "pusher:ping"
            await client.send("pusher:pong")
        await client.send("pusher:ping")
        assert (await client.expect("pusher:pong"))["event"] == "pusher:pong"
        assert running.hub.connection_count == 1
        await client.close()


async def test_shutdown_tells_clients_to_reconnect_with_4200(served):
    client = await Client.connect(served.ws_url())
    await client.subscribe("news")
    await served.hub.shutdown()
    error = await client.expect("pusher:error")
    assert error["data"]["code"] == 4200
    with pytest.raises(websockets.ConnectionClosed) as closed:
        await client.receive()
    assert closed.value.rcvd.code == 4200
    async with websockets.connect(served.ws_url()) as ws:  # new arrivals are told too
        frame = json.loads(await asyncio.wait_for(ws.recv(), 5))
    assert frame["data"]["code"] == 4200
