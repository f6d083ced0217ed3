"""The redis driver: several instances on one Redis behave as one server."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import textwrap

import pusher
import pytest

from foundry.application import Application
from foundry.broadcast.provider import BroadcastServiceProvider
from foundry.domain.application import CommandRunner
from foundry.domain.broadcasting import Broadcaster

from .conftest import (
    APP_ID,
    APP_KEY,
    APP_SECRET,
    Client,
    build_app,
    eventually,
    free_port,
    instances,
    join,
    sign,
)


async def test_a_client_of_one_instance_receives_what_another_broadcasts(
    base, redis_url, redis_prefix
):
    async with instances(base, redis_url, redis_prefix) as (a, b):
        on_a, on_b = await Client.connect(a.ws_url()), await Client.connect(b.ws_url())
        await on_a.subscribe("orders")
        await on_b.subscribe("orders")
        await b.app.make(Broadcaster).broadcast(["orders"], "order.shipped", {"id": 7})
        assert (await on_a.expect("order.shipped"))["data"] == {"id": 7}
        assert (await on_b.expect("order.shipped"))["data"] == {"id": 7}
        await on_a.nothing()  # delivered once per instance, not once per publisher
        await on_a.close()
        await on_b.close()


async def test_a_process_that_serves_nothing_can_broadcast(base, redis_url, redis_prefix):
    async with instances(base, redis_url, redis_prefix, count=1) as (a,):
        client = await Client.connect(a.ws_url())
        await client.subscribe("jobs")
        worker = build_app(
            base.parent / "worker", driver="redis", redis_url=redis_url, redis_prefix=redis_prefix
        )
        (base.parent / "worker").mkdir(exist_ok=True)
        worker.boot()
        await worker.make(Broadcaster).broadcast(["jobs"], "job.done", {"id": 1})
        assert (await client.expect("job.done"))["data"] == {"id": 1}
        await worker.terminate()
        await client.close()


async def test_except_socket_works_across_instances(base, redis_url, redis_prefix):
    async with instances(base, redis_url, redis_prefix) as (a, b):
        sender, other = await Client.connect(a.ws_url()), await Client.connect(b.ws_url())
        for client in (sender, other):
            await client.subscribe("room")
        await b.app.make(Broadcaster).broadcast(
            ["room"], "said", {}, except_socket=sender.socket_id
        )
        await other.expect("said")
        await sender.nothing()
        await sender.close()
        await other.close()


async def test_presence_is_consistent_across_instances(base, redis_url, redis_prefix):
    channel = "presence-room.1"
    async with instances(base, redis_url, redis_prefix) as (a, b):
        alice_a, bob_b = await Client.connect(a.ws_url()), await Client.connect(b.ws_url())
        await join(alice_a, channel, "alice", name="Alice")
        ok = await join(bob_b, channel, "bob", name="Bob")
        assert ok["data"]["presence"]["hash"] == {
            "alice": {"name": "Alice"},
            "bob": {"name": "Bob"},
        }
        assert (await alice_a.expect("pusher_internal:member_added"))["data"]["user_id"] == "bob"

        alice_b = await Client.connect(b.ws_url())  # Alice's second tab, on the other instance
        ok = await join(alice_b, channel, "alice", name="Alice")
        assert ok["data"]["presence"]["count"] == 2
        await bob_b.nothing()  # not a new member

        await alice_a.close()
        await bob_b.nothing()  # Alice is still here through instance B
        await alice_b.close()
        removed = await bob_b.expect("pusher_internal:member_removed")
        assert removed["data"] == {"user_id": "alice"}
        await bob_b.close()


async def test_client_events_cross_instances(base, redis_url, redis_prefix):
    channel = "private-chat.1"
    async with instances(base, redis_url, redis_prefix, allow_client_events=True) as (a, b):
        sender, other = await Client.connect(a.ws_url()), await Client.connect(b.ws_url())
        for client in (sender, other):
            await client.subscribe(channel, sign(client.socket_id, channel))
        await sender.send("client-typing", {"who": "a"}, channel=channel)
        assert (await other.expect("client-typing"))["data"] == {"who": "a"}
        await sender.nothing()
        await sender.close()
        await other.close()


async def test_the_http_api_of_one_instance_sees_every_instance(base, redis_url, redis_prefix):
    async with instances(base, redis_url, redis_prefix) as (a, b):
        client = await Client.connect(b.ws_url())
        await client.subscribe("orders")
        api = pusher.Pusher(APP_ID, APP_KEY, APP_SECRET, host="127.0.0.1", port=a.port, ssl=False)

        async def counted():
            info = await asyncio.to_thread(api.channel_info, "orders", ["subscription_count"])
            return info.get("subscription_count") == 1

        await eventually(counted)
        await asyncio.to_thread(api.trigger, "orders", "via.api", {"ok": True})
        assert (await client.expect("via.api"))["data"] == {"ok": True}
        await client.close()


async def test_broadcast_connections_reads_every_instance_from_redis(base, redis_url, redis_prefix):
    async with instances(base, redis_url, redis_prefix) as (a, b):
        clients = [
            await Client.connect(a.ws_url()),
            *[await Client.connect(b.ws_url()) for _ in range(2)],
        ]
        for client in clients:
            await client.subscribe("orders")
        cli_root = base.parent / "cli"
        cli_root.mkdir()
        cli = build_app(
            cli_root, driver="redis", redis_url=redis_url, redis_prefix=redis_prefix
        ).boot()
        runner = cli.make(CommandRunner)

        async def both_reported():
            outcome = await runner.run("broadcast:connections", format="json")
            data = outcome.result.data
            return data if data["connections"] == 3 and data["channels"] == {"orders": 3} else None

        data = await eventually(both_reported)
        assert data["driver"] == "redis"
        assert sorted(i["connections"] for i in data["instances"]) == [1, 2]
        await cli.terminate()
        for client in clients:
            await client.close()


SERVER_SCRIPT = textwrap.dedent(
    """
    import sys
    import uvicorn
    from foundry.application import Application, create_app
    from foundry.broadcast.provider import BroadcastServiceProvider

    app = Application(sys.argv[1], providers=[BroadcastServiceProvider], discover=False)
    api = create_app(application=app)
    uvicorn.run(api, host="127.0.0.1", port=int(sys.argv[2]), log_level="warning")
    """
)


async def test_a_crashed_instances_presence_members_expire(base, redis_url, redis_prefix, tmp_path):
    channel = "presence-room.9"
    port = free_port()
    script = tmp_path / "server.py"
    script.write_text(SERVER_SCRIPT)
    env = {
        **os.environ,
        "BROADCAST_DRIVER": "redis",
        "REDIS_URL": redis_url,
        "BROADCAST_REDIS_PREFIX": redis_prefix,
        "BROADCAST_PRESENCE_TTL": "3",
        "PUSHER_APP_ID": APP_ID,
        "PUSHER_APP_KEY": APP_KEY,
        "PUSHER_APP_SECRET": APP_SECRET,
    }
    doomed = subprocess.Popen([sys.executable, str(script), str(base), str(port)], env=env)
    try:
        url = f"ws://127.0.0.1:{port}/app/{APP_KEY}?protocol=7"

        async def connect():
            with contextlib.suppress(OSError):
                return await Client.connect(url)
            return None

        victim = await eventually(connect, timeout=20)
        await join(victim, channel, "ghost")
        async with instances(base, redis_url, redis_prefix, count=1) as (b,):
            watcher = await Client.connect(b.ws_url())
            ok = await join(watcher, channel, "watcher")
            assert "ghost" in ok["data"]["presence"]["ids"]
            doomed.send_signal(signal.SIGKILL)  # no goodbye: its entries must expire
            doomed.wait(10)
            removed = await watcher.expect("pusher_internal:member_removed", timeout=15)
            assert removed["data"] == {"user_id": "ghost"}
            members = await b.hub.backend.presence.members(channel)
            assert list(members) == ["watcher"]
            await watcher.close()
    finally:
        if doomed.poll() is None:
            doomed.kill()
            doomed.wait(10)


async def test_the_redis_driver_without_redis_installed_names_the_extra(base, monkeypatch):
    monkeypatch.setitem(sys.modules, "redis.asyncio", None)
    app = Application(base, providers=[BroadcastServiceProvider], discover=False)
    app.load()
    app.config.set("broadcast.driver", "redis")
    app.boot()
    from foundry.domain.errors import FoundryError

    with pytest.raises(FoundryError, match=r"foundry-broadcast\[redis\]"):
        app.make(Broadcaster)
