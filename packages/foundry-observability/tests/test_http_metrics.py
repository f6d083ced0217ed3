"""Request metrics through the real kernel: create_app, the middleware, GET /metrics."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import APIRouter, FastAPI
from prometheus_client.parser import text_string_to_metric_families

from foundry.application.http import create_app
from foundry.domain.http import Priority
from foundry.domain.provider import ServiceProvider
from foundry.observability import Observability, ObservabilityServiceProvider

entered = asyncio.Event()
release = asyncio.Event()


def shop_router() -> APIRouter:
    router = APIRouter()

    @router.get("/products/{id}")
    async def product(id: int) -> dict[str, int]:
        return {"id": id}

    @router.post("/products", status_code=201)
    async def create() -> dict[str, str]:
        return {"status": "created"}

    @router.get("/broken")
    async def broken() -> None:
        raise RuntimeError("the handler failed")

    @router.get("/slow/{n}")
    async def slow(n: int) -> dict[str, int]:
        entered.set()
        await release.wait()
        return {"n": n}

    return router


class ShopProvider(ServiceProvider):
    name = "shop"

    def routes(self, app: Any) -> list[APIRouter]:
        return [shop_router()]


def build(tmp_path: Any) -> FastAPI:
    return create_app(
        tmp_path, providers=[ObservabilityServiceProvider, ShopProvider], discover=False
    )


@pytest.fixture
async def client(tmp_path) -> AsyncIterator[httpx.AsyncClient]:
    api = build(tmp_path)
    transport = httpx.ASGITransport(app=api, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://shop") as http:
        yield http


async def scrape(http: httpx.AsyncClient, **headers: str) -> dict[tuple[str, frozenset], float]:
    response = await http.get("/metrics", headers=headers)
    assert response.status_code == 200, response.text
    samples = {}
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            samples[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return samples


def value(samples: dict, name: str, **labels: str) -> float | None:
    return samples.get((name, frozenset(labels.items())))


async def test_requests_are_counted_by_route_template_not_raw_path(client) -> None:
    for n in (1, 2, 3):
        assert (await client.get(f"/products/{n}")).status_code == 200
    samples = await scrape(client)
    labels = {"method": "GET", "route": "/products/{id}", "status": "200"}
    assert value(samples, "foundry_http_requests_total", **labels) == 3
    assert not any("/products/1" in str(key) for key in samples)
    count = value(
        samples,
        "foundry_http_request_duration_seconds_count",
        method="GET",
        route="/products/{id}",
    )
    assert count == 3


async def test_unknown_paths_share_one_unmatched_series(client) -> None:
    for path in ("/wp-admin", "/.env", "/phpmyadmin/index.php", "/a/b/c/d"):
        assert (await client.get(path)).status_code == 404
    samples = await scrape(client)
    labels = {"method": "GET", "route": "<unmatched>", "status": "404"}
    assert value(samples, "foundry_http_requests_total", **labels) == 4
    routes = {dict(key[1]).get("route") for key in samples if key[0].startswith("foundry_http")}
    assert routes == {"<unmatched>"}


async def test_status_codes_are_labelled(client) -> None:
    assert (await client.post("/products")).status_code == 201
    assert (await client.get("/products/abc")).status_code == 422
    assert (await client.delete("/products/1")).status_code == 405
    assert (await client.get("/broken")).status_code == 500
    samples = await scrape(client)
    total = "foundry_http_requests_total"
    assert value(samples, total, method="POST", route="/products", status="201") == 1
    assert value(samples, total, method="GET", route="/products/{id}", status="422") == 1
    assert value(samples, total, method="DELETE", route="/products/{id}", status="405") == 1
    assert value(samples, total, method="GET", route="/broken", status="500") == 1


async def test_unknown_methods_are_folded_into_other(client) -> None:
    await client.request("BREW", "/products/1")
    samples = await scrape(client)
    total = "foundry_http_requests_total"
    assert value(samples, total, method="OTHER", route="/products/{id}", status="405") == 1


async def test_in_progress_gauge_counts_requests_being_answered(client) -> None:
    entered.clear()
    release.clear()
    pending = asyncio.create_task(client.get("/slow/1"))
    await entered.wait()
    gauge = "foundry_http_requests_in_progress"
    during = await scrape(client)
    assert value(during, gauge, method="GET", route="/slow/{n}") == 1
    release.set()
    assert (await pending).status_code == 200
    after = await scrape(client)
    assert value(after, gauge, method="GET", route="/slow/{n}") == 0


async def test_metrics_endpoint_is_not_counted_in_its_own_metrics(client) -> None:
    await scrape(client)
    await scrape(client)
    samples = await scrape(client)
    assert not any(dict(key[1]).get("route") == "/metrics" for key in samples)


async def test_app_info_reports_version_and_environment(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("APP_ENV", "staging")
    transport = httpx.ASGITransport(app=build(tmp_path))
    async with httpx.AsyncClient(transport=transport, base_url="http://shop") as http:
        samples = await scrape(http)
    info = {dict(k[1])["env"]: v for k, v in samples.items() if k[0] == "foundry_app_info"}
    assert info == {"staging": 1.0}


async def test_prefix_is_configurable(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("METRICS_PREFIX", "shop_")
    transport = httpx.ASGITransport(app=build(tmp_path))
    async with httpx.AsyncClient(transport=transport, base_url="http://shop") as http:
        await http.get("/products/1")
        samples = await scrape(http)
    names = {key[0] for key in samples}
    assert "shop_http_requests_total" in names
    assert not any(name.startswith("foundry_") for name in names)


async def test_token_protects_the_endpoint(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("METRICS_TOKEN", "scrape-secret")
    transport = httpx.ASGITransport(app=build(tmp_path))
    async with httpx.AsyncClient(transport=transport, base_url="http://shop") as http:
        missing = await http.get("/metrics")
        wrong = await http.get("/metrics", headers={"Authorization": "Bearer nope"})
        basic = await http.get("/metrics", headers={"Authorization": "Basic scrape-secret"})
        samples = await scrape(http, Authorization="Bearer scrape-secret")
    for refused in (missing, wrong, basic):
        assert refused.status_code == 401
        assert refused.headers["www-authenticate"].startswith("Bearer")
        error = refused.json()["error"]
        assert error["code"] == "UNAUTHENTICATED"
        assert "METRICS_TOKEN" in error["message"]
        assert "scrape-secret" not in refused.text
    assert any(key[0] == "foundry_app_info" for key in samples)


async def test_disabled_metrics_serve_no_endpoint_and_record_nothing(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("METRICS_ENABLED", "false")
    api = build(tmp_path)
    transport = httpx.ASGITransport(app=api)
    async with httpx.AsyncClient(transport=transport, base_url="http://shop") as http:
        assert (await http.get("/products/1")).status_code == 200
        assert (await http.get("/metrics")).status_code == 404
    observability = api.state.foundry.make(Observability)
    assert observability.metrics is None


async def test_openmetrics_is_served_when_prometheus_asks_for_it(client) -> None:
    response = await client.get(
        "/metrics", headers={"Accept": "application/openmetrics-text; version=1.0.0"}
    )
    assert response.headers["content-type"].startswith("application/openmetrics-text")
    assert response.text.rstrip().endswith("# EOF")


def test_middleware_is_placed_at_the_observability_priority(tmp_path) -> None:
    from foundry.application.http import middleware_stack
    from foundry.observability import ObservabilityMiddleware

    api = build(tmp_path)
    [spec] = middleware_stack(api.state.foundry)
    assert spec.cls is ObservabilityMiddleware
    assert spec.priority == Priority.OBSERVABILITY


async def test_metrics_path_is_configurable_and_still_left_out(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("METRICS_PATH", "/internal/prometheus")
    transport = httpx.ASGITransport(app=build(tmp_path))
    async with httpx.AsyncClient(transport=transport, base_url="http://shop") as http:
        assert (await http.get("/metrics")).status_code == 404
        await http.get("/internal/prometheus")
        body = (await http.get("/internal/prometheus")).text
    assert "/internal/prometheus" not in body
    assert 'route="<unmatched>",status="404"} 1.0' in body
