"""What the framework gives the app for free: health, docs, metrics, commands, errors."""

from __future__ import annotations

import pytest
from foundry.testing import assert_error, assert_json_path, assert_status


async def test_liveness_and_readiness(client):
    assert (await client.get("/health")).json() == {"status": "ok"}
    ready = await client.get("/health/ready")
    assert_status(ready, 200)
    assert assert_json_path(ready, "checks.database.status") == "ok"


async def test_openapi_documents_the_product_api(client):
    schema = (await client.get("/openapi.json")).json()
    assert {"/api/products", "/api/products/{product_id}"} <= set(schema["paths"])
    assert_status(await client.get("/docs"), 200)


async def test_metrics_count_requests_by_route_template(client):
    await client.get("/api/products/1")
    metrics = (await client.get("/metrics")).text
    assert 'route="/api/products/{product_id}",status="404"' in metrics


async def test_unknown_route_is_an_envelope(client):
    assert_error(await client.get("/nowhere"), "NOT_FOUND", status=404)


async def test_security_headers_and_request_id(client):
    response = await client.get("/health")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-request-id"]


async def test_seeding_fills_the_catalogue(run_command, client):
    seeded = await run_command("db:seed")
    assert seeded.exit_code == 0, seeded.output
    assert (await client.get("/api/products")).json()["meta"]["total"] == 50


async def test_route_list_shows_the_app_routes(run_command):
    listed = await run_command("route:list", format="json")
    assert listed.exit_code == 0, listed.output
    paths = {route["path"] for route in listed.data["routes"]}
    assert "/api/products/{product_id}" in paths
    assert listed.data["middleware"][0] == "container-scope"


@pytest.fixture
def foundry_env():
    return {"API_BODY_LIMIT": "2048"}


async def test_oversized_bodies_are_refused_before_reading(client):
    response = await client.post("/api/products", content=b"x" * 4096)
    assert_error(response, "PAYLOAD_TOO_LARGE", status=413)
