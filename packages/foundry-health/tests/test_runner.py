"""The runner: concurrency, per-check timeouts, exceptions as one-line failures."""

from __future__ import annotations

import asyncio
import json

import pytest

from foundry.domain.errors import ServiceUnavailableError
from foundry.domain.health import HealthCheck, HealthResult, HealthStatus
from foundry.health import HealthRunner, UnknownHealthCheckError
from foundry.health.report import CheckReport, HealthReport


class Fixed:
    def __init__(self, name: str, status: HealthStatus, *, critical: bool = True) -> None:
        self.name, self.critical, self.status = name, critical, status

    async def check(self) -> HealthResult:
        return HealthResult(self.status, f"{self.name} is {self.status.value}")


class Hanging:
    """Never answers (until cancelled)."""

    def __init__(self, name: str = "hanging", *, critical: bool = True, timeout=None) -> None:
        self.name, self.critical = name, critical
        if timeout is not None:
            self.timeout = timeout
        self.started = asyncio.Event()

    async def check(self) -> HealthResult:
        self.started.set()
        await asyncio.Event().wait()
        return HealthResult(HealthStatus.OK)


class Stubborn:
    """Ignores cancellation until released: the runner must not wait for it."""

    name, critical = "stubborn", False

    def __init__(self) -> None:
        self.release = asyncio.Event()

    async def check(self) -> HealthResult:
        while not self.release.is_set():
            try:
                await self.release.wait()
            except asyncio.CancelledError:
                continue
        return HealthResult(HealthStatus.OK)


class Raising:
    def __init__(self, error: BaseException, name: str = "raising") -> None:
        self.name, self.critical, self.error = name, True, error

    async def check(self) -> HealthResult:
        raise self.error


def test_test_checks_satisfy_the_contract():
    assert isinstance(Fixed("a", HealthStatus.OK), HealthCheck)
    assert isinstance(Hanging(), HealthCheck)


async def test_all_checks_are_reported_in_registration_order():
    runner = HealthRunner(
        [Fixed("b", HealthStatus.OK), Fixed("a", HealthStatus.DEGRADED, critical=False)]
    )
    report = await runner.run()
    assert [c.name for c in report.checks] == ["b", "a"]
    assert report.to_dict()["checks"]["a"]["message"] == "a is degraded"


async def test_a_hanging_check_times_out_and_the_others_are_still_reported():
    runner = HealthRunner(
        [Hanging(), Fixed("database", HealthStatus.OK), Fixed("disk", HealthStatus.OK)],
        timeout=0.05,
    )
    report = await runner.run()
    hanging = report.get("hanging")
    assert hanging is not None
    assert hanging.status is HealthStatus.FAILED
    assert hanging.result.message == "timed out after 0.05s"
    assert report.get("database").status is HealthStatus.OK
    assert report.get("disk").status is HealthStatus.OK
    assert report.status is HealthStatus.FAILED


async def test_checks_run_concurrently_not_one_after_another():
    # Two hanging checks only both start if they run at the same time: if the runner
    # ran them in turn, the second would start only after the first timed out.
    first, second = Hanging("first"), Hanging("second")
    started: list[bool] = []

    class Observer:
        name, critical = "observer", False

        async def check(self) -> HealthResult:
            await asyncio.wait_for(
                asyncio.gather(first.started.wait(), second.started.wait()), timeout=5
            )
            started.append(True)
            return HealthResult(HealthStatus.OK)

    report = await HealthRunner([first, second, Observer()], timeout=0.2).run()
    assert started == [True]
    assert report.get("observer").status is HealthStatus.OK


async def test_a_check_that_ignores_cancellation_does_not_hold_up_the_report():
    stubborn = Stubborn()
    runner = HealthRunner([stubborn, Fixed("disk", HealthStatus.OK)], timeout=0.05)
    report = await runner.run()
    assert report.get("stubborn").result.message == "timed out after 0.05s"
    assert report.get("disk").status is HealthStatus.OK
    stubborn.release.set()
    for _ in range(5):
        await asyncio.sleep(0)


async def test_a_check_can_set_its_own_timeout():
    runner = HealthRunner([Hanging(timeout=0.03)], timeout=30)
    report = await runner.run()
    assert report.get("hanging").result.message == "timed out after 0.03s"


async def test_exceptions_become_failed_results_with_a_one_line_message():
    runner = HealthRunner(
        [
            Raising(RuntimeError("first line\nsecond line"), "runtime"),
            Raising(ServiceUnavailableError("Redis at cache:6379 refused"), "foundry"),
            Raising(ConnectionResetError(), "bare"),
        ]
    )
    report = await runner.run()
    body = report.to_dict()
    assert body["checks"]["runtime"]["message"] == "RuntimeError: first line"
    assert body["checks"]["foundry"]["message"] == "Redis at cache:6379 refused"
    assert body["checks"]["bare"]["message"] == "ConnectionResetError"
    assert body["checks"]["runtime"]["details"] == {"error": "RuntimeError"}
    assert "Traceback" not in json.dumps(body)
    assert "second line" not in json.dumps(body)


async def test_a_check_returning_something_else_fails_clearly():
    class Sloppy:
        name, critical = "sloppy", True

        async def check(self):
            return True

    report = await HealthRunner([Sloppy()]).run()
    assert report.get("sloppy").result.message == "returned bool, not a HealthResult"


async def test_only_runs_the_named_checks_and_refuses_unknown_names():
    runner = HealthRunner([Fixed("a", HealthStatus.OK), Fixed("b", HealthStatus.OK)])
    report = await runner.run(["b"])
    assert [c.name for c in report.checks] == ["b"]
    with pytest.raises(UnknownHealthCheckError) as raised:
        await runner.run(["b", "nope"])
    assert raised.value.message == 'Unknown health check "nope". Registered checks: a, b.'


def test_status_is_failed_only_when_a_critical_check_failed():
    def report(*entries: tuple[bool, HealthStatus]) -> HealthReport:
        return HealthReport(
            tuple(
                CheckReport(f"c{i}", crit, HealthResult(s)) for i, (crit, s) in enumerate(entries)
            )
        )

    assert report().status is HealthStatus.OK
    assert report((True, HealthStatus.OK)).status is HealthStatus.OK
    assert report((True, HealthStatus.DEGRADED)).status is HealthStatus.DEGRADED
    assert report((False, HealthStatus.FAILED)).status is HealthStatus.DEGRADED
    assert report((False, HealthStatus.FAILED)).healthy
    failed = report((True, HealthStatus.FAILED), (False, HealthStatus.OK))
    assert failed.status is HealthStatus.FAILED
    assert not failed.healthy


async def test_details_that_json_cannot_hold_are_reported_as_text():
    from pathlib import Path

    class Odd:
        name, critical = "odd", True

        async def check(self) -> HealthResult:
            return HealthResult(
                HealthStatus.OK, details={"path": Path("/srv"), "nested": {"n": float("nan")}}
            )

    body = (await HealthRunner([Odd()]).run()).to_dict()
    assert body["checks"]["odd"]["details"] == {"path": "/srv", "nested": {"n": "nan"}}
    json.dumps(body, allow_nan=False)
