"""Database pool gauges, read from Database.engine.pool when /metrics is scraped."""

from __future__ import annotations

import logging
from contextlib import AsyncExitStack

import httpx
import pytest
from sqlalchemy import text

from foundry.application.http import create_app
from foundry.observability import Metrics, ObservabilityServiceProvider


async def scrape(api) -> str:
    transport = httpx.ASGITransport(app=api)
    async with httpx.AsyncClient(transport=transport, base_url="http://shop") as http:
        response = await http.get("/metrics")
    assert response.status_code == 200
    return response.text


def gauge(body: str, name: str) -> float | None:
    for line in body.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[1])
    return None


async def test_pool_gauges_follow_checked_out_connections(
    tmp_path, database, database_provider_of
) -> None:
    api = create_app(
        tmp_path,
        providers=[ObservabilityServiceProvider, database_provider_of(database)],
        discover=False,
    )
    idle = await scrape(api)
    assert gauge(idle, "foundry_db_pool_size") == 2
    assert gauge(idle, "foundry_db_pool_checked_out") == 0
    assert gauge(idle, "foundry_db_pool_overflow") == 0
    async with AsyncExitStack() as held:
        for _ in range(2):
            connection = await held.enter_async_context(database.engine.connect())
            await connection.execute(text("SELECT 1"))
        assert gauge(await scrape(api), "foundry_db_pool_checked_out") == 2
        assert gauge(await scrape(api), "foundry_db_pool_overflow") == 0
        extra = await held.enter_async_context(database.engine.connect())
        await extra.execute(text("SELECT 1"))
        busy = await scrape(api)
        assert gauge(busy, "foundry_db_pool_checked_out") == 3
        assert gauge(busy, "foundry_db_pool_overflow") == 1
    after = await scrape(api)
    assert gauge(after, "foundry_db_pool_checked_out") == 0
    assert gauge(after, "foundry_db_pool_overflow") == 0


async def test_no_database_bound_means_no_pool_gauges(tmp_path) -> None:
    api = create_app(tmp_path, providers=[ObservabilityServiceProvider], discover=False)
    body = await scrape(api)
    assert "db_pool" not in body
    assert "foundry_app_info" in body


async def test_unsized_pools_report_nothing(tmp_path) -> None:
    from sqlalchemy.ext.asyncio import create_async_engine

    memory = create_async_engine("sqlite+aiosqlite://")  # StaticPool: one shared connection
    metrics = Metrics(engine=lambda: memory)
    assert b"db_pool" not in metrics.render()[0]
    await memory.dispose()


def test_a_failing_pool_read_does_not_break_the_scrape(caplog: pytest.LogCaptureFixture) -> None:
    def broken() -> object:
        raise RuntimeError("engine is gone")

    metrics = Metrics(engine=broken)
    with caplog.at_level(logging.WARNING, logger="foundry.observability"):
        body, _ = metrics.render()
    assert b"foundry_app_info" in body
    assert "engine is gone" in caplog.text
