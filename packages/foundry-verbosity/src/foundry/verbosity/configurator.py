"""``LoggingConfigurator``: the :class:`foundry.domain.console.LogConfigurator` for the CLI.

The CLI calls :meth:`LoggingConfigurator.apply` once per run with the verbosity from
``-q``/``-v``/``-vv``/``-vvv``. Commands speak to people through ``Output``; logs are the
extra detail a person asks for with ``-v``, and they always go to stderr.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Mapping
from typing import IO

from foundry.domain.commands import Verbosity
from foundry.domain.errors import ConfigurationError
from foundry.verbosity.handler import ConsoleFormatter, StderrHandler, find_handlers
from foundry.verbosity.levels import (
    LOG_LEVELS,
    NOISY_LOGGERS,
    NOTICE,
    LevelPlan,
    parse_log_level,
    plan_for,
)

__all__ = ["LoggingConfigurator"]

logger = logging.getLogger("foundry.verbosity")


def _verbosity(value: Verbosity | int) -> Verbosity:
    try:
        return Verbosity(value)
    except ValueError:
        levels = ", ".join(f"{v.name}={v.value}" for v in Verbosity)
        raise ConfigurationError(
            f"Verbosity {value!r} is not a level; use one of {levels}.",
            context={"verbosity": repr(value)},
        ) from None


class LoggingConfigurator:
    """Configures the standard :mod:`logging` module for one console run.

    Args:
        log_level: the baseline (``"debug"`` ... ``"critical"``); when None, the
            ``LOG_LEVEL`` environment variable is read at each :meth:`apply`, so a
            ``.env`` loaded after construction still counts. Unset means no baseline:
            the verbosity alone decides.
        environ: where ``LOG_LEVEL`` is read (default :data:`os.environ`).
        stream: where log lines go (default ``sys.stderr``, looked up per record).
        noisy: library loggers held back until ``-vvv`` (default :data:`NOISY_LOGGERS`).

    Raises:
        ConfigurationError: ``log_level`` is given and is not a level name.
    """

    def __init__(
        self,
        *,
        log_level: str | None = None,
        environ: Mapping[str, str] | None = None,
        stream: IO[str] | None = None,
        noisy: Iterable[str] = NOISY_LOGGERS,
    ) -> None:
        self._baseline: int | None = None
        if log_level is not None:
            try:
                self._baseline = parse_log_level(log_level)
            except ValueError as exc:
                raise ConfigurationError(
                    f"Log level {log_level!r} {exc}; pass one of them to LoggingConfigurator.",
                    context={"log_level": log_level},
                ) from None
        self._fixed_baseline = log_level is not None
        self._environ = environ
        self._stream = stream
        self._noisy = tuple(noisy)
        self._applied: LevelPlan | None = None

    @property
    def applied(self) -> LevelPlan | None:
        """The levels set by the last :meth:`apply` (None before the first)."""
        return self._applied

    def plan(self, verbosity: Verbosity) -> LevelPlan:
        """The levels :meth:`apply` would set, without touching :mod:`logging`."""
        baseline, _ = self._baseline_level()
        return plan_for(_verbosity(verbosity), baseline)

    def apply(self, verbosity: Verbosity) -> None:
        """Set logger levels and install the stderr handler (once, however often called).

        An invalid ``LOG_LEVEL`` is ignored with a warning naming it, rather than failing
        every command (``foundry env:validate`` reports it too).
        """
        if logging.getLevelName(NOTICE) != "NOTICE":
            logging.addLevelName(NOTICE, "NOTICE")
        baseline, problem = self._baseline_level()
        plan = plan_for(_verbosity(verbosity), baseline)
        logging.getLogger("foundry").setLevel(plan.foundry)
        for name in self._noisy:
            logging.getLogger(name).setLevel(plan.noisy)
        root = logging.getLogger()
        root.setLevel(plan.root)
        self._install(root, plan)
        self._applied = plan
        if problem is not None:
            logger.warning(
                "LOG_LEVEL=%s is not one of %s; ignoring it. Fix it in .env or the environment.",
                problem,
                ", ".join(LOG_LEVELS),
            )

    def shows_tracebacks(self, verbosity: Verbosity) -> bool:
        """Only at ``-vvv``: below it a failing command prints its one-line reason."""
        return _verbosity(verbosity) >= Verbosity.DEBUG

    def _baseline_level(self) -> tuple[int | None, str | None]:
        """The baseline level and, when ``LOG_LEVEL`` is malformed, its raw value."""
        if self._fixed_baseline:
            return self._baseline, None
        environ = os.environ if self._environ is None else self._environ
        raw = environ.get("LOG_LEVEL", "").strip()
        if not raw:
            return None, None
        try:
            return parse_log_level(raw), None
        except ValueError:
            return None, raw

    def _install(self, root: logging.Logger, plan: LevelPlan) -> None:
        ours = find_handlers(root)
        keep = next((h for h in ours if isinstance(h, StderrHandler)), None)
        for stale in ours:
            if stale is not keep:  # a duplicate, or one from a reloaded copy of this module
                root.removeHandler(stale)
        handler = keep if keep is not None else StderrHandler()
        if keep is None:
            root.addHandler(handler)
        handler.stream = self._stream
        handler.setLevel(logging.NOTSET)
        handler.setFormatter(ConsoleFormatter(detailed=plan.detailed, tracebacks=plan.tracebacks))

    def __repr__(self) -> str:
        state = self._applied.names() if self._applied else "not applied"
        return f"<LoggingConfigurator {state}>"
