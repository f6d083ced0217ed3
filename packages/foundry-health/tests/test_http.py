"""/health and /health/ready through create_app() and httpx."""

from __future__ import annotations

import asyncio
import shutil
from collections import namedtuple

from foundry.domain.health import HealthResult, HealthStatus


class Counting:
    """Counts its runs, to prove liveness never runs a check."""

    name, critical = "counting", True

    def __init__(self) -> None:
        self.runs = 0

    async def check(self) -> HealthResult:
        self.runs += 1
        return HealthResult(HealthStatus.OK)


async def test_liveness_answers_ok_without_running_any_check(client, kit):
    counting = Counting()
    async with client(kit.Contributing(counting)) as http:
        response = await http.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response.headers["cache-control"] == "no-store"
    assert counting.runs == 0


async def test_readiness_is_503_when_the_database_cannot_be_reached(client, kit, closed_port):
    database = kit.TcpDatabase("127.0.0.1", closed_port)
    async with client(kit.Binding(database=database)) as http:
        response = await http.get("/health/ready")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "failed"
    assert set(body["checks"]) == {"database", "disk", "memory"}
    entry = body["checks"]["database"]
    assert set(entry) == {"status", "message", "duration_ms", "details"}
    assert entry["status"] == "failed"
    assert entry["message"].startswith(f"Database at 127.0.0.1:{closed_port} is unreachable")


async def test_readiness_is_200_when_every_critical_check_passes(client, kit, open_port):
    database = kit.TcpDatabase("127.0.0.1", open_port)
    async with client(kit.Binding(database=database, cache=kit.CacheFake())) as http:
        response = await http.get("/health/ready")
    body = response.json()
    assert response.status_code == 200, body
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["cache"]["status"] == "ok"
    assert body["status"] in ("ok", "degraded")  # memory may be degraded on a busy machine


async def test_readiness_is_200_but_degraded_when_only_a_non_critical_check_fails(client, kit):
    class Flaky:
        name, critical = "flaky", False

        async def check(self) -> HealthResult:
            raise ConnectionError("search cluster unreachable")

    async with client(kit.Contributing(Flaky())) as http:
        response = await http.get("/health/ready")
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["checks"]["flaky"]["message"] == (
        "ConnectionError: search cluster unreachable"
    )


async def test_readiness_reports_a_hanging_check_as_timed_out(client, kit, monkeypatch):
    class Hanging:
        name, critical = "hanging", True

        async def check(self) -> HealthResult:
            await asyncio.Event().wait()
            return HealthResult(HealthStatus.OK)

    monkeypatch.setenv("HEALTH_TIMEOUT", "0.05")
    async with client(kit.Contributing(Hanging())) as http:
        response = await http.get("/health/ready")
    assert response.status_code == 503
    assert response.json()["checks"]["hanging"]["message"] == "timed out after 0.05s"
    assert "disk" in response.json()["checks"]


async def test_readiness_is_503_when_the_disk_is_below_the_critical_threshold(client, monkeypatch):
    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(shutil, "disk_usage", lambda path: usage(10**12, 10**12 - 5, 5))
    async with client() as http:
        response = await http.get("/health/ready")
    assert response.status_code == 503
    assert response.json()["checks"]["disk"]["status"] == "failed"


async def test_both_routes_are_documented_in_openapi(client):
    async with client() as http:
        schema = (await http.get("/openapi.json")).json()
    assert schema["paths"]["/health"]["get"]["summary"] == "Liveness"
    ready = schema["paths"]["/health/ready"]["get"]
    assert ready["summary"] == "Readiness"
    assert set(ready["responses"]) >= {"200", "503"}
    assert "ReadinessBody" in schema["components"]["schemas"]
