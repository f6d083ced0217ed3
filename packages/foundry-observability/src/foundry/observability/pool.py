"""Database connection-pool gauges: checked out, pool size, overflow in use.

In one process they are read from ``Database.engine.pool`` at scrape time by
:class:`PoolCollector` — no background task, no cost between scrapes. With several worker
processes a scrape reaches one of them, so reading its pool alone would report a
different worker's pool each time; there :class:`PoolEvents` keeps per-process gauges up
to date from SQLAlchemy's pool events instead, and the multiprocess collector sums them
over the live workers.

Pools without a size (``NullPool``, ``StaticPool`` for in-memory SQLite) have nothing to
report and contribute no samples.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import Any

__all__ = ["PoolCollector", "PoolEvents", "pool_of", "pool_stats"]

logger = logging.getLogger("foundry.observability")

EngineSource = Callable[[], Any]
"""Returns the application's SQLAlchemy engine (async or sync), or None when unbound."""

_HELP = {
    "db_pool_checked_out": "Database connections currently checked out of the pool",
    "db_pool_size": "Configured size of the database connection pool",
    "db_pool_overflow": "Database connections open beyond the pool size",
}


def pool_of(engine: Any) -> Any:
    """The pool of an ``AsyncEngine`` or ``Engine``, or None."""
    return getattr(engine, "pool", None) if engine is not None else None


def pool_stats(pool: Any) -> dict[str, float] | None:
    """``{"db_pool_checked_out", "db_pool_size", "db_pool_overflow"}`` for a sized pool.

    SQLAlchemy's ``overflow()`` counts down from ``-pool_size`` while the pool fills; the
    gauge reports connections beyond the pool size, so it is never negative.
    """
    if pool is None or not all(
        callable(getattr(pool, name, None)) for name in ("checkedout", "size", "overflow")
    ):
        return None
    return {
        "db_pool_checked_out": float(pool.checkedout()),
        "db_pool_size": float(pool.size()),
        "db_pool_overflow": float(max(0, pool.overflow())),
    }


class PoolCollector:
    """A Prometheus collector reading the pool when scraped (one process).

    Args:
        prefix: the metric name prefix.
        engine: returns the engine, or None when no database is bound.
    """

    def __init__(self, prefix: str, engine: EngineSource) -> None:
        self._prefix = prefix
        self._engine = engine

    def describe(self) -> list[Any]:
        return []  # samples depend on the pool at scrape time

    def collect(self) -> Iterator[Any]:
        from prometheus_client.core import GaugeMetricFamily

        try:
            stats = pool_stats(pool_of(self._engine()))
        except Exception as exc:  # a broken pool must not break the whole scrape
            logger.warning("Reading the database pool for /metrics failed: %s", exc)
            return
        if stats is None:
            return
        for name, value in stats.items():
            yield GaugeMetricFamily(self._prefix + name, _HELP[name], value=value)


class PoolEvents:
    """Per-process pool gauges kept current by SQLAlchemy pool events (multiprocess mode).

    ``checked_out`` follows every checkout and checkin exactly; ``size`` is set once;
    ``overflow`` is re-read at each connect, checkout and checkin, so after an overflow
    connection is discarded it shows the drop at the next pool event. Gauges are
    ``livesum``: a scrape adds up the workers that are alive.

    Args:
        prefix: the metric name prefix.
        engine: the ``AsyncEngine`` or ``Engine`` to follow.
    """

    def __init__(self, prefix: str, engine: Any) -> None:
        from prometheus_client import Gauge
        from sqlalchemy import event

        sync_engine = getattr(engine, "sync_engine", engine)
        self._pool = pool_of(sync_engine)
        stats = pool_stats(self._pool)
        self.active = stats is not None
        if stats is None:
            return
        self._gauges = {
            name: Gauge(prefix + name, _HELP[name], registry=None, multiprocess_mode="livesum")
            for name in _HELP
        }
        for name, value in stats.items():
            self._gauges[name].set(value)
        self._checked_out = self._gauges["db_pool_checked_out"]
        self._overflow = self._gauges["db_pool_overflow"]
        event.listen(sync_engine, "checkout", self._on_checkout)
        event.listen(sync_engine, "checkin", self._on_checkin)
        event.listen(sync_engine, "connect", self._on_connect)

    def _refresh_overflow(self) -> None:
        self._overflow.set(max(0, self._pool.overflow()))

    def _on_checkout(self, *_: Any) -> None:
        self._checked_out.inc()
        self._refresh_overflow()

    def _on_checkin(self, *_: Any) -> None:
        self._checked_out.dec()
        self._refresh_overflow()

    def _on_connect(self, *_: Any) -> None:
        self._refresh_overflow()
