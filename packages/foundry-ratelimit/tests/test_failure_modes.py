"""A store that is down: fail open (pass, warn once per interval) or fail closed (503),
and a request never waits longer than RATE_LIMIT_REDIS_TIMEOUT."""

from __future__ import annotations

import logging

import pytest
from fastapi import APIRouter, Depends

from foundry.domain.clock import FrozenClock
from foundry.domain.ratelimit import RateLimiter
from foundry.ratelimit import (
    FailSafeRateLimiter,
    FailurePolicy,
    InvalidRateError,
    RateLimit,
    RateLimitStoreError,
    RateLimitUnavailable,
    limiter,
)


def redis_down(port: int, mode: str, **more: str) -> dict[str, str]:
    return {
        "RATE_LIMIT_STORE": "redis",
        "REDIS_URL": f"redis://127.0.0.1:{port}/0",
        "RATE_LIMIT_FAIL_MODE": mode,
        **more,
    }


def warnings_of(caplog) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.name == "foundry.ratelimit" and r.levelno == logging.WARNING
    ]


async def test_failing_open_lets_requests_through_without_headers(site, closed_port, caplog):
    with caplog.at_level(logging.WARNING, logger="foundry.ratelimit"):
        async with site(env=redis_down(closed_port, "open", RATE_LIMIT_DEFAULT="1/minute")) as http:
            answers = [await http.get("/") for _ in range(20)]
    assert {a.status_code for a in answers} == {200}
    assert all("ratelimit-limit" not in a.headers for a in answers)
    warned = warnings_of(caplog)
    assert len(warned) == 1  # once per interval, not once per request
    assert "failing open" in warned[0]
    assert f"127.0.0.1:{closed_port}" in warned[0]


async def test_failing_closed_answers_503_with_the_envelope(site, closed_port, caplog):
    with caplog.at_level(logging.WARNING, logger="foundry.ratelimit"):
        async with site(env=redis_down(closed_port, "closed")) as http:
            answers = [await http.get("/") for _ in range(5)]
    assert {a.status_code for a in answers} == {503}
    body = answers[0].json()
    assert body == {
        "error": {
            "code": "SERVICE_UNAVAILABLE",
            "message": "Rate limiting is temporarily unavailable; retry in a few seconds.",
            "status": 503,
        }
    }
    assert str(closed_port) not in answers[0].text  # the store's address stays in the logs
    assert len(warnings_of(caplog)) == 1


async def test_failing_closed_through_a_dependency(site, closed_port):
    limiter("search").per_minute(10)
    router = APIRouter()

    @router.get("/search", dependencies=[Depends(RateLimit("search"))])
    async def search() -> dict[str, bool]:
        return {"ok": True}

    env = redis_down(closed_port, "closed", RATE_LIMIT_MIDDLEWARE="false")
    async with site(routers=[router], env=env) as http:
        answer = await http.get("/search")
        free = await http.get("/")
    assert answer.status_code == 503
    assert answer.json()["error"]["code"] == "SERVICE_UNAVAILABLE"
    assert free.status_code == 200


async def test_failing_open_through_a_dependency(site, closed_port):
    limiter("search").per_minute(1)
    router = APIRouter()

    @router.get("/search", dependencies=[Depends(RateLimit("search"))])
    async def search() -> dict[str, bool]:
        return {"ok": True}

    env = redis_down(closed_port, "open", RATE_LIMIT_MIDDLEWARE="false")
    async with site(routers=[router], env=env) as http:
        answers = [await http.get("/search") for _ in range(3)]
    assert {a.status_code for a in answers} == {200}


@pytest.mark.parametrize(("mode", "status"), [("open", 200), ("closed", 503)])
async def test_a_hung_redis_costs_at_most_the_timeout(site, silent_port, mode, status):
    env = redis_down(silent_port, mode, RATE_LIMIT_REDIS_TIMEOUT="0.1")
    async with site(env=env) as http:
        answer = await http.get("/")  # finishing at all is the point: nothing hangs
    assert answer.status_code == status


async def test_the_bound_rate_limiter_applies_the_fail_mode(make_app, closed_port):
    app = make_app(env=redis_down(closed_port, "open"))
    bound = app.make(RateLimiter)
    assert isinstance(bound, FailSafeRateLimiter)
    result = await bound.hit("k", 5, 60)
    assert (result.allowed, result.remaining) == (True, 5)
    with pytest.raises(RateLimitStoreError):
        await bound.reset("k")  # an administrator must know a reset did not happen

    closed = make_app(env=redis_down(closed_port, "closed")).make(RateLimiter)
    with pytest.raises(RateLimitUnavailable):
        await closed.hit("k", 5, 60)
    with pytest.raises(RateLimitUnavailable):
        await closed.peek("k", 5, 60)


@pytest.mark.parametrize("mode", ["open", "closed"])
async def test_a_redis_restart_neither_refuses_nor_waves_through_a_request(
    site, redis_server, mode, caplog
):
    env = {
        "RATE_LIMIT_STORE": "redis",
        "REDIS_URL": redis_server.url,
        "RATE_LIMIT_FAIL_MODE": mode,
        "RATE_LIMIT_DEFAULT": "100/minute",
    }
    with caplog.at_level(logging.WARNING, logger="foundry.ratelimit"):
        async with site(env=env) as http:
            first = await http.get("/")  # leaves a pooled connection
            redis_server.restart()
            answers = [await http.get("/") for _ in range(3)]
    assert first.status_code == 200
    assert first.headers["ratelimit-remaining"] == "99"
    assert [a.status_code for a in answers] == [200, 200, 200]  # closed: none refused
    # open: none let through unchecked; counted anew on the restarted, empty server
    assert [a.headers.get("ratelimit-remaining") for a in answers] == ["99", "98", "97"]
    assert warnings_of(caplog) == []


def test_the_policy_warns_again_after_the_interval_with_the_count(caplog):
    clock = FrozenClock()
    policy = FailurePolicy("open", interval=60, clock=clock)
    error = RateLimitStoreError("redis redis://cache:6379/0", "DEL failed")
    with caplog.at_level(logging.WARNING, logger="foundry.ratelimit"):
        for _ in range(10):
            policy.failed(error)
        clock.advance(59)
        policy.failed(error)
        clock.advance(1)
        policy.failed(error)
    warned = warnings_of(caplog)
    assert len(warned) == 2
    assert "[1 failed check(s)" in warned[0]
    assert "[11 failed check(s)" in warned[1]
    assert policy.failures == 12


def test_an_unknown_fail_mode_is_refused():
    with pytest.raises(InvalidRateError, match="RATE_LIMIT_FAIL_MODE='ajar'"):
        FailurePolicy("ajar")
