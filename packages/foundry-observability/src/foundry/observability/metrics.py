"""The application's Prometheus metrics and their exposition.

===========================================  =========  ==============================
metric (after ``METRICS_PREFIX``)             type       labels
===========================================  =========  ==============================
``http_requests_total``                       counter    method, route, status
``http_request_duration_seconds``             histogram  method, route
``http_requests_in_progress``                 gauge      method, route
``db_pool_checked_out`` / ``_size`` /
``_overflow``                                 gauge      (none)
``commands_total``                            counter    command, status
``command_duration_seconds``                  histogram  command
``app_info``                                  gauge (1)  version, env
===========================================  =========  ==============================

``route`` is the route template (:mod:`foundry.observability.routes`). The duration
histogram leaves ``status`` out: each label set of a histogram costs a series per bucket,
so adding status would multiply the largest family by the number of distinct statuses a
route answers, while error *rates* come from the counter, which has it.

Each :class:`Metrics` owns its registry, so several applications (tests, one app per
tenant) can live in one process. With ``PROMETHEUS_MULTIPROC_DIR`` the values live in
the shared folder and a scrape sums every worker's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from foundry.domain.errors import ConfigurationError
from foundry.observability.pool import EngineSource, PoolCollector, PoolEvents

__all__ = ["COMMAND_BUCKETS", "METHODS", "Metrics", "RequestSeries"]

METHODS = frozenset(
    {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT", "QUERY"}
)
"""Methods counted by name; any other (a client can send any token) is ``OTHER``."""

COMMAND_BUCKETS = (
    0.01,
    0.05,
    0.1,
    0.25,
    0.5,
    1.0,
    2.5,
    5.0,
    10.0,
    30.0,
    60.0,
    300.0,
    900.0,
    3600.0,
)
"""Commands run from milliseconds (``route:list``) to an hour (a large import)."""


class RequestSeries:
    """The cached label children of one ``(method, route)``: updating them costs no label
    lookup, no lock on the family and no new objects."""

    __slots__ = ("_by_status", "_counter", "_method", "_route", "duration", "in_progress")

    def __init__(self, metrics: Metrics, method: str, route: str) -> None:
        self.in_progress = metrics.in_progress.labels(method, route)
        self.duration = metrics.duration.labels(method, route)
        self._counter = metrics.requests
        self._method = method
        self._route = route
        self._by_status: dict[int, Any] = {}

    def count(self, status: int) -> None:
        """Count one finished request with this status."""
        child = self._by_status.get(status)
        if child is None:
            child = self._counter.labels(self._method, self._route, str(status))
            self._by_status[status] = child
        child.inc()


class _AppInfo:
    """``app_info{version, env} 1``: which build runs where, joinable to any series."""

    def __init__(self, name: str, version: str, environment: str) -> None:
        self._name, self._version, self._environment = name, version, environment

    def describe(self) -> list[Any]:
        return []

    def collect(self) -> Any:
        from prometheus_client.core import GaugeMetricFamily

        family = GaugeMetricFamily(
            self._name,
            "The running application's version and environment",
            labels=["version", "env"],
        )
        family.add_metric([self._version, self._environment], 1.0)
        yield family


class Metrics:
    """Every metric of one application.

    Args:
        prefix: prepended to every name (``METRICS_PREFIX``).
        version: the ``version`` label of ``app_info``.
        environment: the ``env`` label of ``app_info``.
        engine: returns the database engine, or None; read at scrape time.
        multiprocess_dir: the shared folder of several workers, or None.

    Raises:
        ConfigurationError: ``multiprocess_dir`` is given but prometheus-client was
            imported before ``PROMETHEUS_MULTIPROC_DIR`` was set, so values would stay in
            this process.
    """

    def __init__(
        self,
        *,
        prefix: str = "foundry_",
        version: str = "0.1.0",
        environment: str = "local",
        engine: EngineSource | None = None,
        multiprocess_dir: str | None = None,
    ) -> None:
        from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, values

        self.prefix = prefix
        self.multiprocess_dir = multiprocess_dir
        if multiprocess_dir is not None and not getattr(values.ValueClass, "_multiprocess", False):
            raise ConfigurationError(
                f"PROMETHEUS_MULTIPROC_DIR={multiprocess_dir} was set after prometheus-client "
                "was imported, so this process cannot share its metrics. Set it in the "
                "environment before the process starts (serve --workers N does).",
                context={"variable": "PROMETHEUS_MULTIPROC_DIR"},
            )
        registry = None if multiprocess_dir else CollectorRegistry(auto_describe=True)
        self._registry = registry
        self.requests = Counter(
            f"{prefix}http_requests_total",
            "HTTP requests answered, by route template and status",
            ("method", "route", "status"),
            registry=registry,
        )
        self.duration = Histogram(
            f"{prefix}http_request_duration_seconds",
            "Time to answer an HTTP request, by route template",
            ("method", "route"),
            registry=registry,
        )
        self.in_progress = Gauge(
            f"{prefix}http_requests_in_progress",
            "HTTP requests being answered now, by route template",
            ("method", "route"),
            registry=registry,
            multiprocess_mode="livesum",
        )
        self.commands = Counter(
            f"{prefix}commands_total",
            "Console commands run, by command and outcome",
            ("command", "status"),
            registry=registry,
        )
        self.command_duration = Histogram(
            f"{prefix}command_duration_seconds",
            "Time console commands took, by command",
            ("command",),
            buckets=COMMAND_BUCKETS,
            registry=registry,
        )
        self._collectors: list[Any] = [_AppInfo(f"{prefix}app_info", version, environment)]
        self._engine = engine
        self.pool_events: PoolEvents | None = None
        if multiprocess_dir is None:
            if engine is not None:
                self._collectors.append(PoolCollector(prefix, engine))
            for collector in self._collectors:
                registry.register(collector)  # type: ignore[union-attr]
        self._series: dict[str, dict[str, RequestSeries]] = {}
        self._commands: dict[tuple[str, str], Any] = {}

    @property
    def multiprocess(self) -> bool:
        return self.multiprocess_dir is not None

    def follow_pool(self) -> None:
        """In multiprocess mode, start following the database pool's events (once).

        Called by serving processes only: a console command sharing the folder must not
        add its own pool to the server's."""
        if not self.multiprocess or self.pool_events is not None or self._engine is None:
            return
        engine = self._engine()
        if engine is not None:
            self.pool_events = PoolEvents(self.prefix, engine)

    def series(self, method: str, route: str) -> RequestSeries:
        """The cached children for ``(method, route)``; callers bound both labels."""
        by_route = self._series.get(method)
        if by_route is None:
            by_route = self._series[method] = {}
        found = by_route.get(route)
        if found is None:
            found = by_route[route] = RequestSeries(self, method, route)
        return found

    def observe_command(self, command: str, status: str, seconds: float) -> None:
        """Count one command run and its duration."""
        key = (command, status)
        child = self._commands.get(key)
        if child is None:
            child = self._commands[key] = self.commands.labels(command, status)
        child.inc()
        self.command_duration.labels(command).observe(seconds)

    def registry(self) -> Any:
        """The registry a scrape reads: this process's, or every worker's files."""
        if self._registry is not None:
            return self._registry
        from prometheus_client import CollectorRegistry
        from prometheus_client.multiprocess import MultiProcessCollector

        registry = CollectorRegistry()
        MultiProcessCollector(registry, self.multiprocess_dir)  # type: ignore[no-untyped-call]
        for collector in self._collectors:
            registry.register(collector)
        return registry

    def render(self, accept: str | None = None) -> tuple[bytes, str]:
        """The exposition body and its content type (OpenMetrics when ``accept`` asks)."""
        from prometheus_client.exposition import choose_encoder

        encoder: Callable[[Any], bytes]
        encoder, content_type = choose_encoder(accept or "")
        return encoder(self.registry()), content_type

    def sample(self, name: str, labels: dict[str, str] | None = None) -> float | None:
        """One sample's current value (``name`` without the prefix), or None: for tests,
        health checks and the README."""
        value = self.registry().get_sample_value(self.prefix + name, labels or {})
        return None if value is None else float(value)
