"""The provider (bindings, variables, health) and the two commands."""

from __future__ import annotations

import base64

import pytest

from foundry.application import Application
from foundry.broadcast import BroadcastSettings, ChannelRegistry, Hub, PusherBroadcaster
from foundry.broadcast.provider import BroadcastServiceProvider
from foundry.domain.application import CommandRunner
from foundry.domain.broadcasting import Broadcaster
from foundry.domain.env import REDIS_URL
from foundry.domain.health import HealthStatus

from .conftest import Client, build_app, sign

DECLARED = {
    "BROADCAST_DRIVER",
    "PUSHER_APP_ID",
    "PUSHER_APP_KEY",
    "PUSHER_APP_SECRET",
    "BROADCAST_ALLOW_CLIENT_EVENTS",
    "BROADCAST_ACTIVITY_TIMEOUT",
    "BROADCAST_MAX_CONNECTIONS",
    "BROADCAST_QUEUE_SIZE",
    "BROADCAST_REDIS_PREFIX",
    "BROADCAST_PRESENCE_TTL",
    "REDIS_URL",
}


def test_the_provider_declares_every_variable_and_shares_redis_url():
    names = {var.name for var in BroadcastServiceProvider.env}
    assert names == DECLARED
    assert any(var is REDIS_URL for var in BroadcastServiceProvider.env)
    secret = next(v for v in BroadcastServiceProvider.env if v.name == "PUSHER_APP_SECRET")
    assert secret.secret


def test_bindings_are_singletons(base):
    app = Application(base, providers=[BroadcastServiceProvider], discover=False).boot()
    broadcaster = app.make(Broadcaster)
    assert isinstance(broadcaster, PusherBroadcaster)
    assert app.make(Broadcaster) is broadcaster
    assert app.make(Hub) is app.make(Hub)
    assert app.make(ChannelRegistry) is app.make(ChannelRegistry)
    assert app.commands.has("broadcast:test")
    assert app.commands.has("broadcast:connections")


def test_environment_variables_configure_the_settings(base, monkeypatch):
    monkeypatch.setenv("BROADCAST_ALLOW_CLIENT_EVENTS", "true")
    monkeypatch.setenv("BROADCAST_ACTIVITY_TIMEOUT", "45")
    monkeypatch.setenv("BROADCAST_QUEUE_SIZE", "7")
    monkeypatch.setenv("PUSHER_APP_KEY", "from-env")
    app = Application(base, providers=[BroadcastServiceProvider], discover=False).boot()
    settings = app.make(BroadcastSettings)
    assert (settings.allow_client_events, settings.activity_timeout) == (True, 45)
    assert (settings.queue_size, settings.key, settings.driver) == (7, "from-env", "memory")


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("broadcast.driver", "pigeon", "BROADCAST_DRIVER='pigeon'"),
        ("broadcast.queue_size", "many", "not an integer"),
        ("broadcast.activity_timeout", 0, "at least 1"),
    ],
)
def test_bad_settings_are_reported_by_name(base, key, value, message):
    app = Application(base, providers=[BroadcastServiceProvider], discover=False)
    app.load()
    app.config.set(key, value)
    app.boot()
    with pytest.raises(Exception, match=message):
        app.make(BroadcastSettings)


def test_the_secret_is_derived_from_app_key_when_unset(base, monkeypatch):
    key = "base64:" + base64.b64encode(b"a" * 32).decode()
    monkeypatch.setenv("APP_KEY", key)
    app = Application(base, providers=[BroadcastServiceProvider], discover=False).boot()
    secret = app.make(BroadcastSettings).secret
    assert len(secret) == 64
    assert key not in secret


async def test_without_any_secret_private_channels_are_refused_and_public_work(base):
    from .conftest import serve

    app = build_app(base, secret="")
    async with serve(app) as running:
        client = await Client.connect(running.ws_url())
        assert (await client.subscribe("public"))[
            "event"
        ] == "pusher_internal:subscription_succeeded"
        answer = await client.subscribe("private-x", sign(client.socket_id, "private-x"))
        assert answer["data"]["code"] == 4009
        assert "no secret" in answer["data"]["message"]
        await client.close()


async def test_broadcast_test_sends_a_real_event(served):
    client = await Client.connect(served.ws_url())
    await client.subscribe("news")
    runner = served.app.make(CommandRunner)
    outcome = await runner.run(
        "broadcast:test",
        ["--channel", "news", "--event", "hello", "--payload", '{"a": 1}'],
        format="json",
    )
    assert outcome.exit_code == 0, outcome.error
    assert outcome.result.data == {
        "driver": "memory",
        "channel": "news",
        "event": "hello",
        "payload": {"a": 1},
    }
    assert (await client.expect("hello"))["data"] == {"a": 1}
    await client.close()


async def test_broadcast_test_defaults_and_dry_run(served):
    client = await Client.connect(served.ws_url())
    await client.subscribe("test-channel")
    runner = served.app.make(CommandRunner)
    dry = await runner.run("broadcast:test", dry_run=True, format="json")
    assert dry.exit_code == 0
    assert dry.result.data["dry_run"] is True
    await client.nothing()
    sent = await runner.run("broadcast:test", format="json")
    assert sent.exit_code == 0
    event = await client.expect("test-event")
    assert "message" in event["data"]
    await client.close()


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["--payload", "{not json"], "not valid JSON"),
        (["--payload", "[1, 2]"], "JSON object"),
        (["--channel", "bad channel"], "invalid"),
    ],
)
async def test_broadcast_test_rejects_bad_input(base, argv, fragment):
    app = build_app(base).boot()
    outcome = await app.make(CommandRunner).run("broadcast:test", argv, format="json")
    assert outcome.exit_code != 0
    assert fragment in (outcome.error or "")


async def test_broadcast_connections_shows_local_figures_for_the_memory_driver(served):
    clients = [await Client.connect(served.ws_url()) for _ in range(2)]
    await clients[0].subscribe("orders")
    await clients[1].subscribe("orders")
    await clients[1].subscribe("news")
    outcome = await served.app.make(CommandRunner).run("broadcast:connections", format="json")
    assert outcome.exit_code == 0
    data = outcome.result.data
    assert data["driver"] == "memory"
    assert data["connections"] == 2
    assert data["channels"] == {"news": 1, "orders": 2}
    assert data["instances"][0]["id"] == served.hub.instance_id
    for client in clients:
        await client.close()


async def test_health_check_reports_the_driver(base, redis_url, redis_prefix):
    app = build_app(base).boot()
    (check,) = BroadcastServiceProvider().health_checks(app)
    assert (await check.check()).status is HealthStatus.OK
    down = build_app(base, driver="redis", redis_url="redis://127.0.0.1:1/0").boot()
    (check,) = BroadcastServiceProvider().health_checks(down)
    result = await check.check()
    assert result.status is HealthStatus.FAILED
    assert "redis://127.0.0.1:1/0" in result.message
    await down.terminate()
    up = build_app(base, driver="redis", redis_url=redis_url, redis_prefix=redis_prefix).boot()
    (check,) = BroadcastServiceProvider().health_checks(up)
    assert (await check.check()).status is HealthStatus.OK
    await up.terminate()


async def test_serving_starts_the_hub_and_terminating_stops_it(served):
    assert served.hub.started
    client = await Client.connect(served.ws_url())
    await served.app.terminate()
    assert (await client.expect("pusher:error"))["data"]["code"] == 4200
    assert not served.hub.started


async def test_commands_do_not_start_a_hub(base):
    app = build_app(base).boot()
    await app.startup()
    assert not app.make(Hub).started
    await app.terminate()
