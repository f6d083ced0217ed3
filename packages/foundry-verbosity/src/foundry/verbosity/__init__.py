"""``-q``/``-v``/``-vv``/``-vvv`` and ``LOG_LEVEL`` mapped to standard logging levels.

The CLI calls ``LogConfigurator.apply(verbosity)`` once per run: logger levels are set per
group (the framework, the application, noisy libraries), one stderr handler is installed,
and tracebacks are shown only at ``-vvv``. The names below load on first use so that
entry-point discovery stays cheap.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from foundry.verbosity.configurator import LoggingConfigurator
    from foundry.verbosity.levels import LOG_LEVELS, NOISY_LOGGERS, NOTICE, LevelPlan
    from foundry.verbosity.provider import LOG_LEVEL, VerbosityServiceProvider

__version__ = "0.1.0"

__all__ = [
    "LOG_LEVEL",
    "LOG_LEVELS",
    "NOISY_LOGGERS",
    "NOTICE",
    "LevelPlan",
    "LoggingConfigurator",
    "VerbosityServiceProvider",
    "__version__",
]

_LAZY = {
    "LOG_LEVEL": "foundry.verbosity.provider",
    "LOG_LEVELS": "foundry.verbosity.levels",
    "NOISY_LOGGERS": "foundry.verbosity.levels",
    "NOTICE": "foundry.verbosity.levels",
    "LevelPlan": "foundry.verbosity.levels",
    "LoggingConfigurator": "foundry.verbosity.configurator",
    "VerbosityServiceProvider": "foundry.verbosity.provider",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'foundry.verbosity' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
