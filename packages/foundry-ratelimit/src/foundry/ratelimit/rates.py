"""A rate: how many hits per how many seconds, written the way people say it.

``"60/minute"``, ``"5/second"``, ``"1000 per hour"``, ``"10/30s"`` and ``"100/5 minutes"``
all parse; anything else is an :class:`InvalidRateError` that names the text and shows
the forms that work.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from foundry.ratelimit.errors import InvalidRateError

__all__ = ["UNITS", "Rate", "check_cost", "check_limit", "check_window"]

UNITS: dict[str, float] = {
    **dict.fromkeys(("s", "sec", "secs", "second", "seconds"), 1.0),
    **dict.fromkeys(("m", "min", "mins", "minute", "minutes"), 60.0),
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours"), 3600.0),
    **dict.fromkeys(("d", "day", "days"), 86400.0),
}
_NAMES = ((86400.0, "day"), (3600.0, "hour"), (60.0, "minute"), (1.0, "second"))
_RATE = re.compile(
    r"^\s*(?P<limit>\d+)\s*(?:/|per\s)\s*(?P<count>\d+(?:\.\d+)?)?\s*(?P<unit>[a-z]+)\s*$",
    re.IGNORECASE,
)
_FORMS = "60/minute, 5/second, 1000/hour, 10000/day or 10/30s"


def check_limit(limit: int, where: str = "limit") -> int:
    """A limit must be a whole number of hits, 1 or more."""
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise InvalidRateError(f"{where} must be a whole number of 1 or more, not {limit!r}.")
    return limit


def check_window(window: float, where: str = "window") -> float:
    """A window must be a finite number of seconds above 0."""
    if isinstance(window, bool) or not isinstance(window, int | float):
        raise InvalidRateError(f"{where} must be a number of seconds, not {window!r}.")
    if not math.isfinite(window) or window <= 0:
        raise InvalidRateError(f"{where} must be more than 0 seconds, not {window!r}.")
    return float(window)


def check_cost(cost: int, where: str = "cost") -> int:
    """A cost must be a whole number of hits, 1 or more."""
    if isinstance(cost, bool) or not isinstance(cost, int) or cost < 1:
        raise InvalidRateError(f"{where} must be a whole number of 1 or more, not {cost!r}.")
    return cost


@dataclass(frozen=True, slots=True)
class Rate:
    """``limit`` hits per ``window`` seconds."""

    limit: int
    window: float

    def __post_init__(self) -> None:
        check_limit(self.limit)
        object.__setattr__(self, "window", check_window(self.window))

    @classmethod
    def parse(cls, text: str, *, where: str = "rate") -> Rate:
        """Parse ``"60/minute"`` and friends.

        Args:
            text: the rate as written.
            where: what the text came from (``RATE_LIMIT_DEFAULT``), for the error.

        Raises:
            InvalidRateError: the text is not a rate; the message shows forms that are.
        """
        match = _RATE.match(str(text))
        unit = match.group("unit").lower() if match else ""
        if match is None or unit not in UNITS:
            raise InvalidRateError(
                f"{where}={text!r} is not a rate; write it as {_FORMS}.",
                context={"value": str(text)},
            )
        count = float(match.group("count") or 1)
        limit = int(match.group("limit"))
        if limit < 1 or count <= 0:
            raise InvalidRateError(
                f"{where}={text!r} allows nothing; the number of hits and the period must "
                f"be above 0 (e.g. {_FORMS}).",
                context={"value": str(text)},
            )
        return cls(limit, count * UNITS[unit])

    def __str__(self) -> str:
        return f"{self.limit}/{self.period}"

    def describe(self) -> str:
        """In words: ``60 per minute``, ``10 per 30 seconds``."""
        return f"{self.limit} per {self.period}"

    @property
    def period(self) -> str:
        """The window in words: ``minute``, ``30 seconds``, ``2 hours``."""
        for seconds, name in _NAMES:
            if self.window == seconds:
                return name
        for seconds, name in _NAMES:
            count = self.window / seconds
            if count >= 1 and count == int(count):
                return f"{int(count)} {name}s"
        return f"{self.window:g} seconds"
