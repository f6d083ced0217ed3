"""Running checks: all at once, each under its own timeout, failures turned into results.

A readiness probe must answer even when a backing service hangs, so no check can hold up
another: each runs in its own task, is abandoned (and cancelled) when its timeout passes,
and is reported as failed. A check that raises becomes a failed result carrying the
error's one-line message; the traceback goes to the ``foundry.health`` logger at debug
level, never into the report.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any

from foundry.domain.errors import FoundryError
from foundry.domain.health import HealthCheck, HealthResult, HealthStatus
from foundry.health.errors import UnknownHealthCheckError
from foundry.health.report import CheckReport, HealthReport

__all__ = ["HealthRunner", "describe_error"]

log = logging.getLogger("foundry.health")

CheckSource = Iterable[HealthCheck] | Callable[[], Iterable[HealthCheck]]


def describe_error(exc: BaseException) -> str:
    """The one line a report shows for ``exc``: a Foundry error's message, otherwise the
    exception's type and the first line of its text."""
    if isinstance(exc, FoundryError):
        text = exc.message
    else:
        first = str(exc).strip().splitlines()
        text = f"{type(exc).__name__}: {first[0]}" if first else type(exc).__name__
    lines = text.strip().splitlines()
    return lines[0] if lines else type(exc).__name__


async def _call(check: HealthCheck) -> Any:
    value = check.check()
    if inspect.isawaitable(value):
        return await value
    return value


class HealthRunner:
    """Runs a set of health checks concurrently.

    Args:
        checks: the checks, or a callable returning them (called once, on first use, so
            a provider can bind the runner before the services it checks exist).
        timeout: seconds a check may take unless it sets its own ``timeout`` attribute.
    """

    def __init__(self, checks: CheckSource, *, timeout: float = 2.0) -> None:
        self._source = checks
        self._checks: list[HealthCheck] | None = None
        self.timeout = timeout
        self._abandoned: set[asyncio.Task[Any]] = set()

    def checks(self) -> list[HealthCheck]:
        """The registered checks, in order."""
        if self._checks is None:
            source = self._source() if callable(self._source) else self._source
            self._checks = list(source)
        return list(self._checks)

    def names(self) -> list[str]:
        return [check.name for check in self.checks()]

    def timeout_of(self, check: HealthCheck) -> float:
        """The check's own ``timeout`` attribute when it has a positive one, else the
        runner's."""
        own = getattr(check, "timeout", None)
        if isinstance(own, int | float) and not isinstance(own, bool) and own > 0:
            return float(own)
        return self.timeout

    async def run(self, only: Iterable[str] | None = None) -> HealthReport:
        """Run every check (or only the named ones) and report.

        Raises:
            UnknownHealthCheckError: ``only`` names a check that is not registered.
        """
        checks = self.checks()
        if only is not None:
            wanted = list(dict.fromkeys(only))
            known = [c.name for c in checks]
            unknown = [name for name in wanted if name not in known]
            if unknown:
                raise UnknownHealthCheckError(unknown, known)
            checks = [c for c in checks if c.name in wanted]
        reports = await asyncio.gather(*(self.run_check(check) for check in checks))
        return HealthReport(tuple(reports))

    async def run_check(self, check: HealthCheck) -> CheckReport:
        """Run one check under its timeout; never raises for the check's own failure."""
        timeout = self.timeout_of(check)
        critical = bool(getattr(check, "critical", True))
        started = time.perf_counter()
        task: asyncio.Task[Any] = asyncio.ensure_future(_call(check))
        try:
            done, _pending = await asyncio.wait({task}, timeout=timeout)
        except asyncio.CancelledError:
            task.cancel()
            raise
        elapsed = (time.perf_counter() - started) * 1000
        if not done:
            self._abandon(task)
            result = HealthResult(
                HealthStatus.FAILED, f"timed out after {timeout}s", {"timeout_s": timeout}
            )
        elif task.cancelled():
            result = HealthResult(HealthStatus.FAILED, "was cancelled")
        elif (error := task.exception()) is not None:
            message = describe_error(error)
            log.info("Health check %s failed: %s", check.name, message)
            log.debug("Health check %s raised", check.name, exc_info=error)
            result = HealthResult(HealthStatus.FAILED, message, {"error": type(error).__name__})
        else:
            value = task.result()
            if isinstance(value, HealthResult):
                result = value
            else:
                kind = type(value).__name__
                result = HealthResult(HealthStatus.FAILED, f"returned {kind}, not a HealthResult")
        return CheckReport(check.name, critical, replace(result, duration_ms=elapsed))

    def _abandon(self, task: asyncio.Task[Any]) -> None:
        """Cancel a check that outlived its timeout without waiting for it to stop (a
        check that ignores cancellation must not hold up the report)."""
        task.cancel()
        self._abandoned.add(task)

        def forget(finished: asyncio.Task[Any]) -> None:
            self._abandoned.discard(finished)
            if not finished.cancelled():
                finished.exception()  # retrieved, so asyncio does not warn about it

        task.add_done_callback(forget)
