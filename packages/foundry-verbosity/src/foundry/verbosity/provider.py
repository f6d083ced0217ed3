"""Binds :class:`foundry.domain.console.LogConfigurator` and declares ``LOG_LEVEL``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from foundry.domain.console import LogConfigurator
from foundry.domain.env import EnvVar
from foundry.domain.provider import ServiceProvider

if TYPE_CHECKING:
    from foundry.domain.application import Application

__all__ = ["LOG_LEVEL", "VerbosityServiceProvider"]

LOG_LEVEL = EnvVar(
    "LOG_LEVEL",
    "logging.level",
    "enum",
    "info",
    choices=("debug", "info", "notice", "warning", "error", "critical"),
    description=(
        "Baseline log level of the app's and the framework's loggers; -v/-vv/-vvv add detail "
        "above it and it can only add detail (notice is 25, between info and warning). Noisy "
        "libraries (SQL, HTTP clients) log below warning only at debug"
    ),
)


class VerbosityServiceProvider(ServiceProvider):
    """``-q``/``-v``/``-vv``/``-vvv`` mapped to logging levels for every command."""

    name = "verbosity"
    provides = (LogConfigurator,)
    env = (LOG_LEVEL,)

    def register(self, app: Application) -> None:
        app.singleton(LogConfigurator, _make_configurator)


def _make_configurator(_container: object) -> LogConfigurator:
    from foundry.verbosity.configurator import LoggingConfigurator

    return LoggingConfigurator()
