"""Backpressure: a client that stops reading is dropped (4100); everyone else keeps up."""

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
import socket

import pytest
import websockets

from foundry.domain.broadcasting import Broadcaster

from .conftest import Client, build_app, serve


def payload(n: int) -> dict:
    """About 1 KB that does not compress (per-message deflate is on by default)."""
    return {"n": n, "noise": secrets.token_hex(500)}


LIMIT = 20_000  # events sent at most before giving up on the slow client being dropped


async def stalled_client(url: str, port: int) -> Client:
    """A client with a tiny receive buffer that will not read until told to."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.setblocking(False)
    await asyncio.get_running_loop().sock_connect(sock, ("127.0.0.1", port))
    return await Client.connect(url, sock=sock, max_queue=1)


async def test_a_client_that_never_reads_is_dropped_while_others_keep_receiving(base):
    async with serve(build_app(base, queue_size=8)) as running:
        broadcaster = running.app.make(Broadcaster)
        slow = await stalled_client(running.ws_url(), running.port)
        fast = await Client.connect(running.ws_url())
        await slow.subscribe("feed")
        await fast.subscribe("feed")
        received: list[int] = []

        async def read_fast() -> None:
            while True:
                frame = await fast.receive(10)
                if frame["event"] == "tick":
                    received.append(frame["data"]["n"])

        reader = asyncio.get_running_loop().create_task(read_fast())
        sent = 0
        while running.hub.connection(slow.socket_id) is not None and sent < LIMIT:
            for _ in range(50):
                await broadcaster.broadcast(["feed"], "tick", payload(sent))
                sent += 1
            await asyncio.sleep(0.01)  # let the writers and the fast reader run
        assert running.hub.connection(slow.socket_id) is None, "the slow client was never dropped"
        assert running.hub.subscribers("feed") == 1  # only the fast client is left

        for extra in range(sent, sent + 20):  # delivery goes on after the drop
            await broadcaster.broadcast(["feed"], "tick", payload(extra))
        total = sent + 20
        for _ in range(500):
            if len(received) == total:
                break
            await asyncio.sleep(0.02)
        reader.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await reader
        assert received == list(range(total)), "the fast client missed or reordered events"

        # When the slow client finally reads, it finds what was buffered, then 4100.
        ticks = 0

        async def drain() -> None:
            nonlocal ticks
            while True:
                frame = json.loads(await asyncio.wait_for(slow.ws.recv(), 10))
                ticks += frame["event"] == "tick"

        with pytest.raises(websockets.ConnectionClosed) as closed:
            await drain()
        assert closed.value.rcvd is not None
        assert closed.value.rcvd.code == 4100
        assert ticks < sent
        await fast.close()
