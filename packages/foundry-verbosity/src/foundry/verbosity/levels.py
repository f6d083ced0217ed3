"""Which logging level each verbosity gets, and how ``LOG_LEVEL`` lowers it.

Three groups of loggers are configured, because "more detail" means different things for
each:

* ``foundry`` — the framework's own loggers;
* the root logger — the application's loggers and every library not named below;
* noisy libraries (:data:`NOISY_LOGGERS`: SQLAlchemy, httpx, asyncio ...) whose INFO and
  DEBUG lines are floods (every SQL statement, every connection), held back until ``-vvv``.

=============  =========  =========  =========
verbosity      foundry    root       noisy
=============  =========  =========  =========
QUIET (-q)     ERROR      ERROR      ERROR
NORMAL         WARNING    WARNING    WARNING
VERBOSE (-v)   INFO       INFO       WARNING
VERY (-vv)     DEBUG      INFO       WARNING
DEBUG (-vvv)   DEBUG      DEBUG      DEBUG
=============  =========  =========  =========

A ``LOG_LEVEL`` that is set lowers ``foundry`` and the root to at most its level, so it can
only add detail and never hides an error. The noisy libraries follow it down to WARNING
only; their INFO and DEBUG floods open with ``LOG_LEVEL=debug`` (or ``-vvv``) alone, since
``.env.example`` writes ``LOG_LEVEL=info`` and a plain command must not print every SQL
statement. ``notice`` is :data:`NOTICE` (25, between INFO and
WARNING), registered with :mod:`logging` under the name ``NOTICE``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from foundry.domain.commands import Verbosity

__all__ = [
    "LOG_LEVELS",
    "NOISY_LOGGERS",
    "NOTICE",
    "LevelPlan",
    "level_name",
    "parse_log_level",
    "plan_for",
]

NOTICE = logging.INFO + 5
"""``LOG_LEVEL=notice``: normal but significant events, as in syslog (RFC 5424)."""

LOG_LEVELS: dict[str, int] = {
    "debug": logging.DEBUG,
    "info": logging.INFO,
    "notice": NOTICE,
    "warning": logging.WARNING,
    "error": logging.ERROR,
    "critical": logging.CRITICAL,
}
"""``LOG_LEVEL`` value -> :mod:`logging` level."""

NOISY_LOGGERS: tuple[str, ...] = (
    "sqlalchemy",
    "aiosqlite",
    "asyncpg",
    "asyncmy",
    "aiomysql",
    "httpx",
    "httpcore",
    "h11",
    "h2",
    "hpack",
    "urllib3",
    "asyncio",
    "multipart",
    "python_multipart",
    "charset_normalizer",
    "watchfiles",
    "filelock",
    "aiosmtplib",
    "redis",
    "botocore",
    "boto3",
    "s3transfer",
    "PIL",
    "markdown_it",
)
"""Libraries whose INFO/DEBUG output is shown only at ``-vvv`` (or ``LOG_LEVEL=debug``)."""

_FOUNDRY = {
    Verbosity.QUIET: logging.ERROR,
    Verbosity.NORMAL: logging.WARNING,
    Verbosity.VERBOSE: logging.INFO,
    Verbosity.VERY_VERBOSE: logging.DEBUG,
    Verbosity.DEBUG: logging.DEBUG,
}
_ROOT = {**_FOUNDRY, Verbosity.VERY_VERBOSE: logging.INFO}
_NOISY = {
    **_FOUNDRY,
    Verbosity.VERBOSE: logging.WARNING,
    Verbosity.VERY_VERBOSE: logging.WARNING,
}


def level_name(level: int) -> str:
    """``"DEBUG"``, ``"NOTICE"`` ...: the upper-case name of a level."""
    for name, value in LOG_LEVELS.items():
        if value == level:
            return name.upper()
    return logging.getLevelName(level)


def parse_log_level(raw: str) -> int:
    """The level a ``LOG_LEVEL`` value names (any case, surrounding spaces ignored).

    Raises:
        ValueError: not one of ``debug, info, notice, warning, error, critical``; the
            message is fit to follow ``LOG_LEVEL=<value>``.
    """
    level = LOG_LEVELS.get(raw.strip().lower())
    if level is None:
        raise ValueError(f"is not one of {', '.join(LOG_LEVELS)}")
    return level


@dataclass(frozen=True, slots=True)
class LevelPlan:
    """The levels one run sets (numbers from :mod:`logging`).

    Attributes:
        foundry: the ``foundry`` logger.
        root: the root logger (the application and unlisted libraries).
        noisy: each of the noisy library loggers.
        detailed: whether lines carry the time and the logger name (``-vv`` and up).
        tracebacks: whether logged exceptions show their traceback (``-vvv`` only).
    """

    foundry: int
    root: int
    noisy: int
    detailed: bool
    tracebacks: bool

    def names(self) -> dict[str, str]:
        """The levels by name (``{"foundry": "INFO", ...}``), for display and tests."""
        return {
            "foundry": level_name(self.foundry),
            "root": level_name(self.root),
            "noisy": level_name(self.noisy),
        }


def plan_for(verbosity: Verbosity, baseline: int | None = None) -> LevelPlan:
    """The levels for ``verbosity``, lowered to ``baseline`` (``LOG_LEVEL``) when given.

    The noisy libraries are lowered to ``baseline`` only down to WARNING, unless
    ``baseline`` is DEBUG.
    """

    def lowered(level: int, floor: int = logging.NOTSET) -> int:
        return level if baseline is None else min(level, max(baseline, floor))

    opens_noisy = baseline is not None and baseline <= logging.DEBUG
    noisy_floor = logging.NOTSET if opens_noisy else logging.WARNING
    return LevelPlan(
        foundry=lowered(_FOUNDRY[verbosity]),
        root=lowered(_ROOT[verbosity]),
        noisy=lowered(_NOISY[verbosity], noisy_floor),
        detailed=verbosity >= Verbosity.VERY_VERBOSE,
        tracebacks=verbosity >= Verbosity.DEBUG,
    )
