"""One application's logs, metrics and traces, each made on first use.

The provider binds one :class:`Observability` per application. Nothing heavy happens for
a console command: prometheus-client and OpenTelemetry are imported only when the HTTP app
is assembled (:meth:`Observability.prepare_http`, from ``create_app``), when ``/metrics``
is scraped, or when a command finishes in a process that has metrics to report to.
"""

from __future__ import annotations

import logging
import os
from typing import TYPE_CHECKING, Any

from foundry.observability.settings import ObservabilitySettings

if TYPE_CHECKING:
    from foundry.domain.application import Application
    from foundry.observability.metrics import Metrics
    from foundry.observability.pool import EngineSource
    from foundry.observability.tracing import Tracing

__all__ = ["Observability"]

logger = logging.getLogger("foundry.observability")

_prepared: set[tuple[int, str]] = set()  # (pid, folder) already cleaned by this process


class Observability:
    """The observability of one application.

    Args:
        settings: what to do (see :class:`ObservabilitySettings`).
        engine: returns the database engine, or None when no database is bound.
        set_global_tracer: let tracing become the global tracer provider when none is.
    """

    def __init__(
        self,
        settings: ObservabilitySettings,
        *,
        engine: EngineSource | None = None,
        set_global_tracer: bool = True,
    ) -> None:
        self.settings = settings
        self._engine = engine
        self._set_global = set_global_tracer
        self._metrics: Metrics | None = None
        self._tracing: Tracing | None = None
        self._logging_installed = False
        self._exposed = False
        self._stopped = False
        self._folder_ready = False
        self._metrics_broken = False

    @classmethod
    def for_app(cls, app: Application) -> Observability:
        """Settings from the app's configuration; the engine from its bound ``Database``."""
        from foundry.domain.database import Database

        version = str(app.config.get("app.version") or app.version)

        def engine() -> Any:
            return app.make(Database).engine if app.bound(Database) else None

        return cls(ObservabilitySettings.load(app.config, version=version), engine=engine)

    # --- the parts -------------------------------------------------------------------

    @property
    def metrics(self) -> Metrics | None:
        """The metrics (created now if enabled), or None with ``METRICS_ENABLED=false``."""
        if self._metrics is None and self.settings.metrics_enabled:
            from foundry.observability.metrics import Metrics

            s = self.settings
            self._metrics = Metrics(
                prefix=s.metrics_prefix,
                version=s.version,
                environment=s.environment,
                engine=self._engine,
                multiprocess_dir=s.multiprocess_dir,
            )
        return self._metrics

    @property
    def metrics_active(self) -> bool:
        """Whether this process records metrics someone can scrape: it serves ``/metrics``
        (or already made its metrics), or shares a multiprocess folder with one that does."""
        if not self.settings.metrics_enabled or self._metrics_broken:
            return False
        return (
            self._exposed or self._metrics is not None or self.settings.multiprocess_dir is not None
        )

    def expose(self) -> None:
        """Note that this process serves ``/metrics``: from now on commands run here are
        counted too (the metrics themselves are still made on first use)."""
        self._exposed = True

    @property
    def tracing(self) -> Tracing | None:
        """The tracer (created now if ``OTEL_EXPORTER_OTLP_ENDPOINT`` is set), or None.

        Raises:
            MissingDependencyError: the endpoint is set but the ``otel`` extra is missing.
        """
        endpoint = self.settings.otlp_endpoint
        if self._tracing is None and endpoint and not self._stopped:
            from foundry.observability.tracing import Tracing

            s = self.settings
            self._tracing = Tracing(
                endpoint=endpoint,
                service_name=s.service_name,
                version=s.version,
                environment=s.environment,
                set_global=self._set_global,
            )
            engine = self._engine() if self._engine is not None else None
            if engine is not None:
                self._tracing.instrument_engine(engine)
        return self._tracing

    # --- lifecycle -------------------------------------------------------------------

    def prepare_http(self) -> None:
        """Get ready to serve: clear a stale multiprocess folder, create the metrics and
        the tracer. Called when the HTTP app is assembled, so configuration errors
        (a missing extra, an unusable folder) stop ``create_app`` with their message."""
        folder = self.settings.multiprocess_dir
        if self.settings.metrics_enabled and folder is not None:
            key = (os.getpid(), os.path.abspath(folder))
            if key not in _prepared:
                from foundry.observability.multiprocess import prepare_directory

                removed = prepare_directory(folder)
                _prepared.add(key)
                if removed:
                    logger.info("Removed %d stale metrics files from %s", len(removed), folder)
        metrics = self.metrics
        if metrics is not None and metrics.multiprocess:
            metrics.follow_pool()
        _ = self.tracing

    def start_server(self) -> None:
        """Install the server log handler (once): the ASGI server started the app."""
        if self._logging_installed:
            return
        from foundry.observability.log_setup import configure_logging

        configure_logging(format=self.settings.log_format, level=self.settings.log_level)
        self._logging_installed = True
        if self.settings.log_level_problem is not None:
            logger.warning(
                "LOG_LEVEL=%s is not one of debug, info, notice, warning, error, critical; "
                "logging at info. Fix it in .env or the environment.",
                self.settings.log_level_problem,
            )

    def shutdown(self) -> None:
        """Export the last spans and drop this process's live gauges (idempotent)."""
        if self._stopped:
            return
        self._stopped = True
        if self._tracing is not None:
            self._tracing.shutdown()
        folder = self.settings.multiprocess_dir
        if self._metrics is not None and folder is not None:
            from foundry.observability.multiprocess import mark_process_dead

            mark_process_dead(folder)

    def observe_command(self, command: str, status: str, duration_ms: float) -> None:
        """Count a finished command, when this process has metrics someone reads.

        A console process does not prepare the multiprocess folder the way a server does
        (it must not clear a running server's files), but it writes there: the folder is
        created when missing. When it cannot be created or written, one warning says so
        and this process records no metrics from then on.
        """
        if not self.metrics_active:
            return
        try:
            self._ensure_folder()
            metrics = self.metrics
            if metrics is not None:
                metrics.observe_command(command, status, duration_ms / 1000.0)
        except OSError as exc:
            self._metrics_broken = True
            logger.warning(
                "PROMETHEUS_MULTIPROC_DIR=%s cannot be used for metrics (%s); commands in "
                "this process are not counted. Point it at a writable folder (serve uses "
                "storage/framework/metrics).",
                self.settings.multiprocess_dir,
                exc.strerror or exc,
            )

    def _ensure_folder(self) -> None:
        """Create the multiprocess folder (once) before prometheus-client writes to it."""
        folder = self.settings.multiprocess_dir
        if folder is not None and not self._folder_ready:
            os.makedirs(folder, exist_ok=True)
            self._folder_ready = True
