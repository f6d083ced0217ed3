"""Redis stopped under two running instances, and started again.

The instances run against a throwaway `redis-server` of this module (nothing on disk, so
it comes back empty, like a crashed cache server), on a fresh PostgreSQL database. A is
configured to let requests through when the rate limiter's store is down
(`RATE_LIMIT_FAIL_MODE=open`, the default), B to refuse them (`closed`). Each test stops
Redis, shows what the instances do meanwhile — fail fast with a clear error, never hang —
then starts it again on the same port and shows the instances recover by themselves: the
same processes, never restarted.

"Never hangs" is a bound, not a measurement: every request must be answered within
`HANG_BOUND` seconds (the stores' own timeouts are fractions of a second).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import redis
from it_support import (
    AppServer,
    Instances,
    PusherClient,
    RedisServer,
    api_token,
    shared_instances,
    wait_until,
)

HANG_BOUND = 10.0
RECOVERY_BOUND = 30.0
AS_JSON = {"accept": "application/json"}


@dataclass
class Outage:
    redis: RedisServer
    instances: Instances
    open: AppServer  # RATE_LIMIT_FAIL_MODE=open
    closed: AppServer  # RATE_LIMIT_FAIL_MODE=closed
    writer: dict[str, str]


@pytest.fixture(scope="module")
def outage(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Outage]:
    directory = tmp_path_factory.mktemp("redis-faults")
    server = RedisServer(directory)
    server.start()
    try:
        with shared_instances(
            directory,
            server.url,
            [{"RATE_LIMIT_FAIL_MODE": "open"}, {"RATE_LIMIT_FAIL_MODE": "closed"}],
            clean_redis=False,  # the whole server goes away with the test
            RATE_LIMIT_DEFAULT="10000/minute",
        ) as instances:
            a, b = instances.servers
            token = api_token(a.url, "ops@example.test", ["products:write"])
            writer = {**AS_JSON, "authorization": f"Bearer {token}"}
            yield Outage(server, instances, a, b, writer)
    finally:
        server.stop()


@pytest.fixture(autouse=True)
def redis_is_back_after_each_test(outage: Outage) -> Iterator[None]:
    yield
    if not outage.redis.running:
        outage.redis.start()


def request(method: str, url: str, **options: Any) -> httpx.Response:
    """One request that must be answered within HANG_BOUND seconds."""
    started = time.monotonic()
    try:
        answer = httpx.request(method, url, timeout=HANG_BOUND, **options)
    except httpx.TimeoutException:
        raise AssertionError(f"{method} {url} hung: no answer within {HANG_BOUND:g} s") from None
    assert time.monotonic() - started < HANG_BOUND
    return answer


def new_product(server: AppServer, writer: dict[str, str], sku: str) -> httpx.Response:
    body = {"sku": sku, "name": f"Product {sku}", "price": "5.00", "stock": 1}
    return request("POST", f"{server.url}/api/products", json=body, headers=writer)


def assert_same_processes(outage: Outage) -> None:
    for server in (outage.open, outage.closed):
        assert server.alive(), server.tail()  # recovered without a restart


def broadcasting_ok(server: AppServer) -> bool:
    """The instance's readiness check says its Redis subscriber is listening again."""
    ready = request("GET", f"{server.url}/health/ready", headers=AS_JSON)
    checks = ready.json().get("checks", {})
    return bool(checks.get("broadcast", {}).get("status") == "ok")


def test_cache_calls_fail_fast_with_a_clear_error_and_work_again_when_redis_returns(
    outage: Outage,
) -> None:
    a = outage.open
    created = new_product(a, outage.writer, "FAULT-CACHE")
    assert created.status_code == 201, created.text
    product = f"{a.url}/api/products/{created.json()['data']['id']}"
    assert request("GET", product, headers=AS_JSON).status_code == 200

    outage.redis.stop()
    failed = request("GET", product, headers=AS_JSON)
    assert failed.status_code == 503, failed.text
    error = failed.json()["error"]
    assert error["code"] == "CACHE_STORE_UNAVAILABLE"
    assert f"127.0.0.1:{outage.redis.port}" in error["message"]  # names the server to check
    # What needs no Redis goes on: the list reads the database only; liveness answers.
    assert request("GET", f"{a.url}/api/products", headers=AS_JSON).status_code == 200
    assert request("GET", f"{a.url}/health").status_code == 200

    outage.redis.start()
    wait_until(
        lambda: request("GET", product, headers=AS_JSON).status_code == 200,
        timeout=RECOVERY_BOUND,
        what="the cached read answering again after Redis came back",
    )
    key = f"{outage.instances.env['CACHE_PREFIX']}products:{created.json()['data']['id']}"
    store = redis.Redis.from_url(outage.redis.url)
    try:
        assert store.exists(key), "the read succeeded without the cache"  # really cached
    finally:
        store.close()
    assert_same_processes(outage)


def test_rate_limiting_fails_open_or_closed_as_configured_and_counts_again_after(
    outage: Outage,
) -> None:
    a, b = outage.open, outage.closed
    outage.redis.stop()

    passed = new_product(a, outage.writer, "FAULT-OPEN")
    assert passed.status_code == 201, passed.text  # open: the write passes, unlimited
    refused = new_product(b, outage.writer, "FAULT-CLOSED")
    assert refused.status_code == 503, refused.text  # closed: refused, nothing written
    assert refused.json()["error"]["code"] == "SERVICE_UNAVAILABLE"
    assert "Rate limiting" in refused.json()["error"]["message"]
    listed = request("GET", f"{a.url}/api/products", params={"search": "FAULT-CLOSED"})
    assert listed.json()["meta"]["total"] == 0

    outage.redis.start()
    wait_until(
        lambda: request("GET", f"{b.url}/api/products", headers=AS_JSON).status_code == 200,
        timeout=RECOVERY_BOUND,
        what="the fail-closed instance serving again after Redis came back",
    )
    counted = new_product(b, outage.writer, "FAULT-AFTER")
    assert counted.status_code == 201, counted.text
    assert int(counted.headers["ratelimit-remaining"]) < int(counted.headers["ratelimit-limit"])
    assert_same_processes(outage)


async def pusher_error(client: PusherClient) -> dict[str, Any]:
    """The ``pusher:error`` frame a client is told, and the close that follows it: a code
    of the protocol's "reconnect after backing off" range (4100-4199), the same in both."""
    import websockets

    error = await client.expect(
        lambda f: f["event"] == "pusher:error", HANG_BOUND, "a pusher:error frame"
    )
    code = error["data"]["code"]
    assert 4100 <= code <= 4199, error  # back off: reconnecting at once would be refused
    with contextlib.suppress(websockets.ConnectionClosed):
        while True:
            await asyncio.wait_for(client.socket.recv(), HANG_BOUND)
    assert client.socket.close_code == code
    return error


async def refused(server: AppServer, key: str) -> dict[str, Any]:
    """A connection attempt the instance turns away (never established)."""
    import websockets

    url = "ws" + server.url.removeprefix("http") + f"/app/{key}?protocol=7&client=it&version=1"
    client = PusherClient(await websockets.connect(url, open_timeout=HANG_BOUND))
    try:
        return await pusher_error(client)
    finally:
        await client.close()


async def reconnect(server: AppServer, key: str) -> PusherClient:
    """Connect the way pusher-js does after a 41xx code: retry each second until accepted."""
    import websockets

    deadline = time.monotonic() + RECOVERY_BOUND
    while True:
        with contextlib.suppress(websockets.ConnectionClosed, AssertionError, OSError):
            return await PusherClient.connect(server.url, key)
        if time.monotonic() > deadline:
            raise AssertionError(f"{server.url} accepted no connection within {RECOVERY_BOUND:g} s")
        await asyncio.sleep(1.0)


async def test_websocket_clients_are_told_refused_while_down_and_get_broadcasts_after(
    outage: Outage,
) -> None:
    a, b = outage.open, outage.closed
    key = outage.instances.env["PUSHER_APP_KEY"]
    wait_until(  # a previous test's outage may still be wearing off
        functools.partial(broadcasting_ok, a), timeout=RECOVERY_BOUND, what="A subscribed"
    )
    client = await PusherClient.connect(a.url, key)
    fresh: PusherClient | None = None
    try:
        await client.subscribe("products")
        outage.redis.stop()

        await pusher_error(client)  # told, and closed: it must reconnect and refetch
        # A write still succeeds: a failed broadcast never undoes the change.
        during = new_product(a, outage.writer, "WS-DURING")
        assert during.status_code == 201, during.text
        # While the instance cannot receive broadcasts it refuses connections, with backoff.
        await refused(a, key)

        outage.redis.start()
        for server in (a, b):
            wait_until(
                functools.partial(broadcasting_ok, server),
                timeout=RECOVERY_BOUND,
                what=f"{server.url} subscribed to Redis again",
                detail=server.tail,
            )
        fresh = await reconnect(a, key)  # the same process accepts clients again
        await fresh.subscribe("products")

        wait_until(  # B fails closed: it must serve again once Redis is back
            lambda: request("GET", f"{b.url}/api/products", headers=AS_JSON).status_code == 200,
            timeout=RECOVERY_BOUND,
            what="the fail-closed instance serving again after Redis came back",
        )
        after = new_product(b, outage.writer, "WS-AFTER")  # through the other instance
        assert after.status_code == 201, after.text
        data = await fresh.event(
            "products", "product.created", where=lambda d: d.get("sku") == "WS-AFTER"
        )
        assert data["id"] == after.json()["data"]["id"]
        assert_same_processes(outage)
    finally:
        with contextlib.suppress(Exception):
            await client.close()
        if fresh is not None:
            await fresh.close()


async def test_websocket_clients_are_told_when_redis_goes_away(outage: Outage) -> None:
    wait_until(
        functools.partial(broadcasting_ok, outage.open),
        timeout=RECOVERY_BOUND,
        what="A subscribed",
    )
    client = await PusherClient.connect(outage.open.url, outage.instances.env["PUSHER_APP_KEY"])
    try:
        await client.subscribe("products")
        outage.redis.stop()
        error = await pusher_error(client)
        assert "reconnect" in error["data"]["message"]
    finally:
        with contextlib.suppress(Exception):
            await client.close()


def test_a_quick_redis_restart_costs_a_fail_closed_instance_no_refused_request(
    outage: Outage,
) -> None:
    listing = f"{outage.closed.url}/api/products"
    assert request("GET", listing, headers=AS_JSON).status_code == 200  # a pooled connection
    outage.redis.stop()
    outage.redis.start()
    answer = request("GET", listing, headers=AS_JSON)  # Redis is up and answering again
    assert answer.status_code == 200, answer.text
