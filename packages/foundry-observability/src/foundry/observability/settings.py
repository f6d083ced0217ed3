"""The variables this package reads, and the settings they make.

Every value is read once, when the application assembles its HTTP app or a process
configures its logs, from the configuration repository (which already folds in ``.env``
and the environment) with the process environment as the fallback for variables another
package declares (``LOG_LEVEL``). A malformed value fails loudly with the variable's name
instead of silently becoming a default.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from foundry.domain.env import EnvVar
from foundry.domain.errors import ConfigurationError
from foundry.observability.provider import (
    LOG_FORMAT,
    METRICS_ENABLED,
    METRICS_PATH,
    METRICS_PREFIX,
    METRICS_TOKEN,
    OTEL_EXPORTER_OTLP_ENDPOINT,
    OTEL_SERVICE_NAME,
    PROMETHEUS_MULTIPROC_DIR,
)

if TYPE_CHECKING:
    from foundry.domain.config import ConfigRepository

__all__ = [
    "NOTICE",
    "LogFormat",
    "ObservabilitySettings",
    "parse_log_level",
]

LogFormat = Literal["json", "pretty"]

NOTICE = logging.INFO + 5
"""``LOG_LEVEL=notice`` (25), as foundry-verbosity and syslog define it."""

_LEVELS = {
    "debug": logging.DEBUG,
    "info": logging.INFO,
    "notice": NOTICE,
    "warning": logging.WARNING,
    "error": logging.ERROR,
    "critical": logging.CRITICAL,
}
_METRIC_PREFIX = re.compile(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)?$")


def parse_log_level(raw: str) -> int:
    """The :mod:`logging` level a ``LOG_LEVEL`` value names (any case).

    Raises:
        ConfigurationError: not one of debug, info, notice, warning, error, critical.
    """
    level = _LEVELS.get(raw.strip().lower())
    if level is None:
        raise ConfigurationError(
            f"LOG_LEVEL={raw} is not one of {', '.join(_LEVELS)}; fix it in .env or the "
            "environment.",
            context={"variable": "LOG_LEVEL"},
        )
    return level


@dataclass(frozen=True, slots=True)
class ObservabilitySettings:
    """What the logs, metrics and traces of one application are configured to do.

    Attributes:
        app_name: ``APP_NAME``; the default service name of traces.
        environment: ``APP_ENV``; the ``env`` label of ``app_info``.
        version: the application version (``version`` label of ``app_info``).
        log_format: ``json`` or ``pretty``.
        log_level: the :mod:`logging` level from ``LOG_LEVEL`` (default INFO).
        metrics_enabled: ``METRICS_ENABLED``.
        metrics_prefix: ``METRICS_PREFIX``.
        metrics_token: ``METRICS_TOKEN``, or None for an open endpoint.
        metrics_path: ``METRICS_PATH``.
        multiprocess_dir: ``PROMETHEUS_MULTIPROC_DIR``, or None for one process.
        otlp_endpoint: ``OTEL_EXPORTER_OTLP_ENDPOINT``, or None (no tracing).
        service_name: ``OTEL_SERVICE_NAME`` or the app name.
        log_level_problem: a ``LOG_LEVEL`` value that is not a level. It is reported when
            the server installs its logs and INFO is used, as foundry-verbosity does for
            console runs, rather than refusing to start over a log setting.
    """

    app_name: str = "Foundry"
    environment: str = "local"
    version: str = "0.1.0"
    log_format: LogFormat = "pretty"
    log_level: int = logging.INFO
    metrics_enabled: bool = True
    metrics_prefix: str = "foundry_"
    metrics_token: str | None = None
    metrics_path: str = "/metrics"
    multiprocess_dir: str | None = None
    otlp_endpoint: str | None = None
    service_name: str = "Foundry"
    log_level_problem: str | None = None

    def __post_init__(self) -> None:
        if not _METRIC_PREFIX.match(self.metrics_prefix):
            raise ConfigurationError(
                f"METRICS_PREFIX={self.metrics_prefix} is not a valid metric name prefix; use "
                "letters, digits, underscores and colons, not starting with a digit "
                "(foundry_).",
                context={"variable": "METRICS_PREFIX"},
            )
        if not self.metrics_path.startswith("/"):
            raise ConfigurationError(
                f"METRICS_PATH={self.metrics_path} must start with /; use /metrics.",
                context={"variable": "METRICS_PATH"},
            )

    @property
    def tracing_enabled(self) -> bool:
        return bool(self.otlp_endpoint)

    @classmethod
    def load(
        cls,
        config: ConfigRepository | None = None,
        environ: Mapping[str, str] | None = None,
        *,
        version: str = "0.1.0",
    ) -> ObservabilitySettings:
        """Settings from the configuration repository, falling back to the environment.

        Args:
            config: the application's configuration (None reads the environment only).
            environ: the process environment (default :data:`os.environ`).
            version: the application version for ``app_info``.

        Raises:
            ConfigurationError: a variable is malformed; the message names it.
        """
        env = os.environ if environ is None else environ

        def read(var: EnvVar, *, fallback: Any = None) -> Any:
            value = config.get(var.key) if config is not None and var.key else None
            if value is None:
                raw = env.get(var.name)
                if raw is None or not raw.strip():
                    return var.default if var.default is not None else fallback
                value = raw
            if isinstance(value, str):
                try:
                    return var.parse(value)
                except ValueError as exc:
                    raise ConfigurationError(
                        f"{var.name}={'******' if var.secret else value} {exc}; fix it in "
                        ".env or the environment.",
                        context={"variable": var.name},
                    ) from None
            return value

        def app_value(key: str, name: str, default: str) -> str:
            value = config.get(key) if config is not None else None
            return str(value if value is not None else env.get(name) or default)

        app_name = app_value("app.name", "APP_NAME", "Foundry")
        environment = app_value("app.env", "APP_ENV", "local")
        chosen = read(LOG_FORMAT)
        fmt: LogFormat = (
            chosen
            if chosen in ("json", "pretty")
            else ("json" if environment == "production" else "pretty")
        )
        level_value = config.get("logging.level") if config is not None else None
        raw_level = str(level_value if level_value is not None else env.get("LOG_LEVEL") or "")
        token = read(METRICS_TOKEN)
        endpoint = read(OTEL_EXPORTER_OTLP_ENDPOINT)
        service = read(OTEL_SERVICE_NAME)
        multiproc = env.get(PROMETHEUS_MULTIPROC_DIR.name, "").strip()
        level, problem = logging.INFO, None
        if raw_level.strip():
            try:
                level = parse_log_level(raw_level)
            except ConfigurationError:
                problem = raw_level
        return cls(
            app_name=app_name,
            environment=environment,
            version=version,
            log_format=fmt,
            log_level=level,
            log_level_problem=problem,
            metrics_enabled=bool(read(METRICS_ENABLED)),
            metrics_prefix=str(read(METRICS_PREFIX)),
            metrics_token=str(token) if token else None,
            metrics_path=str(read(METRICS_PATH)),
            multiprocess_dir=multiproc or None,
            otlp_endpoint=str(endpoint) if endpoint else None,
            service_name=str(service) if service else app_name,
        )
