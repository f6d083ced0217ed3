"""Two instances of the reference app behind one imaginary load balancer.

Two `foundry serve` processes on distinct ports share one PostgreSQL database and one
Redis (cache, sessions, broadcasting and rate limits, each under this run's own key
prefix), one `APP_KEY` and one set of Pusher credentials — what a deployment of several
instances shares. Each test shows one piece of state that must not live in a process: a
session, a cached value, a lock, a rate-limit count, a broadcast, maintenance mode.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis
from it_support import (
    AppServer,
    Instances,
    PusherClient,
    api_token,
    foundry,
    redis_service,
    shared_instances,
    spawn_foundry,
    sql,
    wait_until,
)

AS_JSON = {"accept": "application/json"}
PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="module")
def instances(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Instances]:
    # The default limiter of the rate-limit middleware (60/minute per client) would count
    # every request of this module; made generous, the headers a write gets are those of
    # the route's own `product-writes` limiter (60/minute per user), the one under test.
    with shared_instances(
        tmp_path_factory.mktemp("multi-instance"),
        redis_service(),
        [{}, {}],
        RATE_LIMIT_DEFAULT="10000/minute",
    ) as shared:
        yield shared


@pytest.fixture(scope="module")
def writer(instances: Instances) -> dict[str, str]:
    """The headers of an account holding a `products:write` token (made on B, signed up
    on A: that alone needs the session A started to be found by B)."""
    a, b = instances.servers
    token = api_token(a.url, "writer@example.test", ["products:write"], create_at=b.url)
    return {**AS_JSON, "authorization": f"Bearer {token}"}


def servers(instances: Instances) -> tuple[AppServer, AppServer]:
    a, b = instances.servers
    return a, b


def create_product(server: AppServer, writer: dict[str, str], sku: str, name: str) -> int:
    body = {"sku": sku, "name": name, "price": "19.90", "stock": 5}
    created = httpx.post(f"{server.url}/api/products", json=body, headers=writer, timeout=10)
    assert created.status_code == 201, created.text
    return int(created.json()["data"]["id"])


def show(server: AppServer, product_id: int) -> dict[str, Any]:
    shown = httpx.get(f"{server.url}/api/products/{product_id}", headers=AS_JSON, timeout=10)
    assert shown.status_code == 200, shown.text
    data: dict[str, Any] = shown.json()["data"]
    return data


def test_a_session_started_on_one_instance_is_recognised_by_the_other(
    instances: Instances,
) -> None:
    a, b = servers(instances)
    with httpx.Client(timeout=30, headers=AS_JSON) as browser:
        signed_up = browser.post(
            f"{a.url}/auth/register",
            json={
                "name": "Grace Hopper",
                "email": "grace@example.test",
                "password": PASSWORD,
                "password_confirmation": PASSWORD,
            },
        )
        assert signed_up.status_code in (200, 201), signed_up.text
        store = redis.Redis.from_url(instances.redis_url)
        try:  # kept under this run's SESSION_PREFIX, apart from anything else on the Redis
            assert any(store.scan_iter(match=f"{instances.prefix}session:*"))
        finally:
            store.close()
        me = browser.get(f"{b.url}/auth/user")
        assert me.status_code == 200, me.text
        assert me.json()["data"]["email"] == "grace@example.test"
        assert browser.post(f"{b.url}/auth/logout", headers=csrf(browser, b)).status_code < 400
        assert browser.get(f"{a.url}/auth/user").status_code == 401  # ended for both


def csrf(browser: httpx.Client, server: AppServer) -> dict[str, str]:
    token = browser.get(f"{server.url}/auth/csrf-token").json()["csrf_token"]
    return {"x-csrf-token": token}


def test_a_value_cached_through_one_instance_is_read_and_invalidated_through_the_other(
    instances: Instances, writer: dict[str, str]
) -> None:
    a, b = servers(instances)
    product_id = create_product(a, writer, "CACHE-1", "Kettle")
    key = f"{instances.env['CACHE_PREFIX']}products:{product_id}"
    store = redis.Redis.from_url(instances.redis_url)
    try:
        assert not store.exists(key)
        assert show(b, product_id)["name"] == "Kettle"
        assert store.exists(key), "B's read did not write the shared cache"

        # Changed behind the app's back: an instance that reads the database would see it;
        # A, which never read this product, answers from the value B cached.
        change = f"UPDATE products SET name = 'Unseen' WHERE id = {product_id}"  # noqa: S608 - an int
        sql(instances.database_url, change)
        assert show(a, product_id)["name"] == "Kettle"

        patched = httpx.patch(
            f"{a.url}/api/products/{product_id}", json={"name": "Teapot"}, headers=writer
        )
        assert patched.status_code == 200, patched.text
        assert show(b, product_id)["name"] == "Teapot"  # A's write invalidated B's read
        assert show(a, product_id)["name"] == "Teapot"
    finally:
        store.close()


def test_a_cache_lock_held_by_one_app_process_blocks_another(
    instances: Instances, tmp_path: Path
) -> None:
    """No route of the reference app takes a lock (the scheduler's `on_one_server` and
    unique jobs do, between processes of the app), so the holder and the contender here
    are two `foundry tinker` processes booted with the instances' environment: each
    resolves the app's own `Cache` and calls `lock(...)`, as code on A and on B would."""
    held, release = tmp_path / "held", tmp_path / "release"
    holder = spawn_foundry(
        "tinker",
        "--execute",
        "import asyncio, pathlib\n"
        "from foundry.domain.cache import Cache\n"
        "lock = make(Cache).lock('nightly-export', 60)\n"
        "assert await lock.acquire(), 'the lock was taken already'\n"
        f"pathlib.Path({str(held)!r}).write_text(lock.owner)\n"
        f"while not pathlib.Path({str(release)!r}).exists():\n"
        "    await asyncio.sleep(0.05)\n"
        "assert await lock.release(), 'the lock was lost while held'\n",
        env=instances.env,
        log=tmp_path / "holder.log",
    )
    contend = (
        "from foundry.domain.cache import Cache\n"
        "lock = make(Cache).lock('nightly-export', 60)\n"
        "got = await lock.block(1)\n"
        "if got:\n"
        "    await lock.release()\n"
        "got"
    )
    try:
        wait_until(held.exists, timeout=60, what="the holder taking the lock", detail=holder.tail)
        owner = held.read_text()
        store = redis.Redis.from_url(instances.redis_url)
        try:
            stored = store.get(f"{instances.env['CACHE_PREFIX']}lock:nightly-export")
        finally:
            store.close()
        assert stored is not None  # in the shared store,
        assert owner.encode() in stored  # held by the holder's owner token

        refused = json.loads(
            foundry("tinker", "--format", "json", "--execute", contend, env=instances.env)
        )
        assert refused["data"]["result"] is False, refused  # `block(1)` gave up after 1 s

        release.touch()
        assert holder.popen.wait(60) == 0, holder.tail()
        granted = json.loads(
            foundry("tinker", "--format", "json", "--execute", contend, env=instances.env)
        )
        assert granted["data"]["result"] is True, granted
    finally:
        release.touch()
        holder.stop()


def test_a_rate_limit_is_counted_across_both_instances(instances: Instances) -> None:
    a, b = servers(instances)
    token = api_token(b.url, "limits@example.test", ["products:write"])  # a fresh count
    writer = {**AS_JSON, "authorization": f"Bearer {token}"}
    start_in_a_quiet_window()
    body = {"sku": "LIMIT-1", "name": "Anvil", "price": "49.90", "stock": 0}
    created = httpx.post(f"{a.url}/api/products", json=body, headers=writer)
    assert created.status_code == 201, created.text
    assert created.headers["ratelimit-limit"] == "60"
    product_id = created.json()["data"]["id"]
    remaining = [int(created.headers["ratelimit-remaining"])]
    for number in range(1, 60):  # alternately on B and A: 30 writes on each in all
        server = b if number % 2 else a
        answer = httpx.patch(
            f"{server.url}/api/products/{product_id}", json={"stock": number}, headers=writer
        )
        assert answer.status_code == 200, (number, answer.text)
        remaining.append(int(answer.headers["ratelimit-remaining"]))
    assert remaining == list(range(59, -1, -1))

    refused = httpx.patch(f"{b.url}/api/products/{product_id}", json={"stock": 99}, headers=writer)
    assert refused.status_code == 429, refused.text
    assert refused.json()["error"]["code"] == "TOO_MANY_REQUESTS"
    assert int(refused.headers["retry-after"]) > 0
    assert show(a, product_id)["stock"] == 59  # the refused write changed nothing


def start_in_a_quiet_window() -> None:
    """The sliding-window limiter counts in epoch-aligned minutes (on the Redis server's
    clock, this machine's); 60 writes take a few seconds, and a minute boundary among them
    would let the previous minute's count fade, so start early in a minute."""
    into = time.time() % 60
    if into > 45:
        time.sleep(60.5 - into)


async def test_a_broadcast_from_one_instance_reaches_a_client_of_the_other(
    instances: Instances, writer: dict[str, str]
) -> None:
    a, b = servers(instances)
    client = await PusherClient.connect(a.url, instances.env["PUSHER_APP_KEY"])
    try:
        await client.subscribe("products")
        body = {"sku": "LIVE-1", "name": "Lamp", "price": "12.00", "stock": 1}
        async with httpx.AsyncClient(timeout=10) as http:
            created = await http.post(f"{b.url}/api/products", json=body, headers=writer)
        assert created.status_code == 201, created.text
        event = await client.event(
            "products", "product.created", where=lambda data: data.get("sku") == "LIVE-1"
        )
        assert event["id"] == created.json()["data"]["id"]
        assert event["name"] == "Lamp"
    finally:
        await client.close()


def test_maintenance_mode_set_through_one_instance_answers_503_on_the_other(
    instances: Instances,
) -> None:
    """`foundry down` runs beside A with the environment the instances share, so the
    state goes to the shared cache; B reads it within `MAINTENANCE_CACHE_TTL` (1 s)."""
    a, b = servers(instances)
    catalogue = f"{b.url}/api/products"

    def answer(url: str) -> httpx.Response:
        return httpx.get(url, headers=AS_JSON, timeout=10)

    foundry("down", "--message", "Moving shelves", "--retry", "30", env=instances.env)
    try:
        down = wait_until(
            lambda: [r for r in [answer(catalogue)] if r.status_code == 503],
            timeout=15,
            what="B answering 503 after `foundry down`",
        )[0]
        assert down.json()["error"]["code"] == "MAINTENANCE"
        assert down.json()["error"]["message"] == "Moving shelves"
        assert down.headers["retry-after"] == "30"
        assert answer(f"{a.url}/api/products").status_code == 503
        assert answer(f"{b.url}/health").status_code == 200  # the load balancer's probe
    finally:
        foundry("up", env=instances.env)
    wait_until(
        lambda: answer(catalogue).status_code == 200,
        timeout=15,
        what="B serving again after `foundry up`",
    )
    assert answer(f"{a.url}/api/products").status_code == 200
