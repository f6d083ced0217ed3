"""The errors a schedule raises: all of them name the event, the place and the fix.

Declaration mistakes (a cron expression with six fields, an unknown timezone, a lock with no
cache to hold it) are :class:`ScheduleError`, a configuration error: the app's code is
wrong, and no run can succeed until it is fixed. A task that fails when it runs is not an
exception at all: it comes back as a failed :class:`~foundry.scheduling.EventOutcome`.
"""

from __future__ import annotations

from foundry.domain.errors import ConfigurationError, FoundryError

__all__ = ["CronExpressionError", "ScheduleError", "reason_of"]


class ScheduleError(ConfigurationError):
    """The schedule cannot be built as declared; the message says where and how to fix it."""

    code = "SCHEDULE_ERROR"


class CronExpressionError(ScheduleError):
    """A cron expression is not a valid standard five-field expression."""

    code = "INVALID_CRON_EXPRESSION"


def reason_of(exc: BaseException) -> str:
    """The one-line reason of a failure: a Foundry error's message, else type and text."""
    if isinstance(exc, FoundryError):
        return exc.message
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
