"""Several instances behind one load balancer: one shared cache, one maintenance state,
read at most once per MAINTENANCE_CACHE_TTL by each instance."""

from __future__ import annotations

import asyncio

from foundry.domain.clock import FrozenClock
from foundry.maintenance import CACHE_KEY

JSON = {"accept": "application/json"}


def instance(make_app, kit, base, name, cache, clock=None):
    root = base.parent / name
    root.mkdir(exist_ok=True)
    return make_app(kit.Pages, kit.Bind(cache=cache, clock=clock), root=root)


async def test_down_on_one_instance_answers_503_on_another(make_app, serve, kit, base, run):
    cache = kit.CacheFake()
    a = instance(make_app, kit, base, "a", cache)
    b = instance(make_app, kit, base, "b", cache)
    async with serve(a) as on_a, serve(b) as on_b:
        ran = await run(a, "down", "--message", "Deploying v2")
        assert ran.outcome.exit_code == 0
        from_b = await on_b.get("/", headers=JSON)
        from_a = await on_a.get("/", headers=JSON)
        assert from_b.status_code == 503
        assert from_b.json()["error"]["message"] == "Deploying v2"
        assert from_a.status_code == 503


async def test_a_down_reaches_other_instances_within_the_cache_ttl(make_app, serve, kit, base, run):
    cache = kit.CacheFake()
    clock = FrozenClock()
    a = instance(make_app, kit, base, "a", cache, clock)
    b = instance(make_app, kit, base, "b", cache, clock)
    async with serve(b) as on_b:
        assert (await on_b.get("/", headers=JSON)).status_code == 200  # b caches "up"
        await run(a, "down")
        clock.advance(0.5)
        assert (await on_b.get("/", headers=JSON)).status_code == 200  # still within the TTL
        clock.advance(0.5)
        assert (await on_b.get("/", headers=JSON)).status_code == 503  # TTL passed: re-read
        await run(a, "up")
        assert (await on_b.get("/", headers=JSON)).status_code == 503
        clock.advance(1.0)
        assert (await on_b.get("/", headers=JSON)).status_code == 200


async def test_the_store_is_read_once_per_ttl_however_many_requests(make_app, serve, kit, base):
    cache = kit.CacheFake()
    clock = FrozenClock()
    app = instance(make_app, kit, base, "a", cache, clock)
    async with serve(app) as http:
        responses = await asyncio.gather(*(http.get("/", headers=JSON) for _ in range(25)))
        assert {r.status_code for r in responses} == {200}
        assert cache.reads[CACHE_KEY] == 1
        for _ in range(10):
            await http.get("/", headers=JSON)
        assert cache.reads[CACHE_KEY] == 1
        clock.advance(1.0)
        await http.get("/", headers=JSON)
        assert cache.reads[CACHE_KEY] == 2


async def test_a_ttl_of_zero_reads_the_store_on_every_request(
    make_app, serve, kit, base, monkeypatch
):
    monkeypatch.setenv("MAINTENANCE_CACHE_TTL", "0")
    cache = kit.CacheFake()
    app = instance(make_app, kit, base, "a", cache, FrozenClock())
    async with serve(app) as http:
        for _ in range(3):
            await http.get("/", headers=JSON)
    assert cache.reads[CACHE_KEY] == 3


async def test_an_unreachable_cache_keeps_the_last_known_state(make_app, serve, kit, base, run):
    cache = kit.CacheFake()
    clock = FrozenClock()
    app = instance(make_app, kit, base, "a", cache, clock)
    async with serve(app) as http:
        await run(app, "down")
        assert (await http.get("/", headers=JSON)).status_code == 503
        cache.failing = True
        clock.advance(5)
        assert (await http.get("/", headers=JSON)).status_code == 503
        cache.failing = False
        await run(app, "up")
        clock.advance(5)
        assert (await http.get("/", headers=JSON)).status_code == 200


async def test_an_unreachable_cache_on_first_read_lets_traffic_through(make_app, serve, kit, base):
    cache = kit.CacheFake()
    cache.failing = True
    app = instance(make_app, kit, base, "a", cache, FrozenClock())
    async with serve(app) as http:
        assert (await http.get("/", headers=JSON)).status_code == 200
