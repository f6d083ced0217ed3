"""Lifespan drives an ASGI app's start-up and shutdown around the test client."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from fastapi import FastAPI

from foundry.testing import Lifespan, LifespanError


def app_with(events: list[str], *, fail_on: str | None = None) -> FastAPI:
    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if fail_on == "startup":
            raise RuntimeError("the pool would not open")
        events.append("startup")
        yield
        if fail_on == "shutdown":
            raise RuntimeError("the pool would not close")
        events.append("shutdown")

    return FastAPI(lifespan=lifespan)


async def test_startup_runs_before_and_shutdown_after() -> None:
    events: list[str] = []
    async with Lifespan(app_with(events)):
        assert events == ["startup"]
    assert events == ["startup", "shutdown"]


async def test_a_failing_startup_is_raised_with_the_apps_error() -> None:
    with pytest.raises(LifespanError, match=r"lifespan.startup failed") as failure:
        async with Lifespan(app_with([], fail_on="startup")):
            raise AssertionError("the block must not run")
    assert isinstance(failure.value.__cause__, RuntimeError)


async def test_a_failing_shutdown_is_raised_too() -> None:
    with pytest.raises(LifespanError, match=r"lifespan.shutdown failed"):
        async with Lifespan(app_with([], fail_on="shutdown")):
            pass


async def test_an_app_without_lifespan_support_is_served_anyway() -> None:
    async def http_only(scope: Any, receive: Any, send: Any) -> None:
        assert scope["type"] == "http", "no lifespan here"

    async with Lifespan(http_only):
        pass


async def test_a_hanging_startup_fails_after_the_timeout() -> None:
    async def hangs(scope: Any, receive: Any, send: Any) -> None:
        await receive()
        await asyncio.Event().wait()

    with pytest.raises(LifespanError, match=r"did not answer lifespan.startup within 0.1 s"):
        async with Lifespan(hangs, timeout=0.1):
            pass
