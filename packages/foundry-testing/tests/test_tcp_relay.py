"""``TcpRelay``: a server that goes down and comes back on the same port, in front of the
shared Redis (which itself stays up for every other test)."""

from __future__ import annotations

import asyncio

import pytest

from foundry.testing.redis import TcpRelay, redis_address


async def ping(port: int) -> bytes:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(b"PING\r\n")
        await writer.drain()
        return await asyncio.wait_for(reader.readline(), 2)
    finally:
        writer.close()


async def test_the_relay_passes_traffic_goes_down_and_comes_back_on_its_port(redis_url):
    relay = TcpRelay(redis_address(redis_url))
    await relay.start()
    try:
        port = relay.port
        assert relay.running
        assert await ping(port) == b"+PONG\r\n"

        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"PING\r\n")  # an established, relayed connection
        assert await asyncio.wait_for(reader.readline(), 2) == b"+PONG\r\n"
        await relay.stop()
        assert not relay.running
        assert await asyncio.wait_for(reader.read(), 2) == b""  # held connections drop
        writer.close()
        with pytest.raises(OSError):
            await ping(port)  # and new ones are refused

        await relay.start()
        assert relay.port == port
        assert await ping(port) == b"+PONG\r\n"
    finally:
        await relay.stop()
    await relay.stop()  # stopping twice is harmless
