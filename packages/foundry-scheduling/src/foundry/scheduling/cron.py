"""Cron expressions, and when they are due in a timezone that has daylight saving time.

An expression is the standard five fields (minute, hour, day of month, month, day of week)
or one of the macros ``@hourly``, ``@daily``/``@midnight``, ``@weekly``, ``@monthly``,
``@yearly``/``@annually``. It is matched against the *wall clock* of the event's timezone,
as cron does, with the two daylight-saving rules of Vixie cron, so that a job at a fixed
time runs exactly once a day whatever the clocks do:

* When clocks spring forward, wall times in the gap never happen. A job at a fixed time
  (neither the minute nor the hour field starts with ``*``) whose time fell in the gap runs
  at the first minute after it; interval jobs (``*/5 * * * *``, ``0 * * * *``) simply go on
  with the new time.
* When clocks fall back, an hour of wall times happens twice. A fixed-time job runs in the
  first pass only; interval jobs run in both, since both passes are real time going by.

croniter (imported on first use) parses the fields and matches naive wall times.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from functools import lru_cache
from typing import Any

from foundry.scheduling.errors import CronExpressionError, ScheduleError

__all__ = ["MACROS", "CronExpression", "floor_minute", "zone"]

MINUTE = timedelta(minutes=1)

MACROS = {
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
    "@monthly": "0 0 1 * *",
    "@weekly": "0 0 * * 0",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
    "@hourly": "0 * * * *",
}

FIELDS = (
    ("minute", "0-59"),
    ("hour", "0-23"),
    ("day-of-month", "1-31, L"),
    ("month", "1-12 or jan-dec"),
    ("day-of-week", "0-7 or sun-sat"),
)

# croniter's extensions that make an expression mean different times on different
# machines: H (a hash of an id we do not pass) and R (random).
_NONDETERMINISTIC = re.compile(r"(?<![a-z])[hr](?![a-z])")

# Longest daylight-saving shift of any timezone (Antarctica/Troll moves two hours),
# with room to spare: how far wall order and real order can disagree.
_SHIFT = timedelta(hours=3)

# A gap longer than a day has happened once (Samoa skipped 30 December 2011).
_GAP_LIMIT = 2 * 24 * 60


def floor_minute(moment: datetime) -> datetime:
    """The UTC minute ``moment`` (an aware datetime) falls in.

    Minutes are counted in UTC so that adding one is always sixty real seconds, whatever
    the timezone of the clock that produced ``moment``.
    """
    return moment.astimezone(UTC).replace(second=0, microsecond=0)


def _wall(moment: datetime) -> datetime:
    """The naive wall-clock minute of an aware datetime."""
    return moment.replace(tzinfo=None, fold=0, second=0, microsecond=0)


def zone(name: str | tzinfo, *, where: str = "") -> tzinfo:
    """A timezone from its IANA name (``Europe/Zurich``), checked now, not at 3 a.m.

    Raises:
        ScheduleError: no such timezone in the system's (or tzdata's) database.
    """
    if isinstance(name, tzinfo):
        return name
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(str(name))
    except (ZoneInfoNotFoundError, ValueError):
        place = f" {where}" if where else ""
        raise ScheduleError(
            f'Unknown timezone "{name}"{place}: use an IANA name such as "Europe/Zurich" or '
            '"UTC" (on Windows, pip install tzdata).',
            context={"timezone": str(name)},
        ) from None


@dataclass(frozen=True, slots=True)
class CronExpression:
    """A validated five-field cron expression (macros are stored expanded)."""

    text: str

    @classmethod
    def parse(cls, expression: str) -> CronExpression:
        """Validate ``expression`` now, so a typo fails when the schedule loads.

        Raises:
            CronExpressionError: not five fields, a field out of range, or a croniter
                extension (``H``, ``R``, a seconds or year field) that standard cron lacks.
        """
        if not isinstance(expression, str) or not expression.strip():
            raise CronExpressionError(
                f"A cron expression must be text such as '*/5 * * * *', not {expression!r}."
            )
        words = expression.split()
        text = MACROS.get(words[0].lower(), "") if len(words) == 1 else ""
        if words[0].startswith("@") and not text:
            raise CronExpressionError(
                f'Cron expression "{expression}": unknown macro; use one of '
                f"{', '.join(MACROS)} or five fields."
            )
        fields = (text or " ".join(words)).split(" ")
        if len(fields) != len(FIELDS):
            raise CronExpressionError(
                f'Cron expression "{expression}" has {len(fields)} fields; standard cron has '
                "five: minute hour day-of-month month day-of-week (for example "
                '"*/5 * * * *").',
                context={"expression": expression},
            )
        for index, value in enumerate(fields):
            _check_field(expression, index, value)
        return cls(" ".join(fields))

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(self.text.split(" "))

    @property
    def fixed_time(self) -> bool:
        """True when the job runs at set times of day (no ``*`` heading minute or hour).

        Only such jobs are moved out of a spring-forward gap and kept to one run in a
        fall-back overlap; interval jobs follow real time.
        """
        minute, hour = self.fields[:2]
        return not (minute.startswith("*") or hour.startswith("*"))

    def matches(self, wall: datetime) -> bool:
        """Whether the naive wall-clock minute ``wall`` matches the fields."""
        plain = _plain_fields(self.text)
        if plain is None:  # L, W or #: croniter's own matching
            from croniter import croniter  # type: ignore[import-untyped]

            return bool(croniter.match(self.text, _wall(wall)))
        minutes, hours, days, months, weekdays = plain
        if not (_has(minutes, wall.minute) and _has(hours, wall.hour)):
            return False
        if not _has(months, wall.month):
            return False
        by_date = _has(days, wall.day)
        by_weekday = _has(weekdays, (wall.weekday() + 1) % 7)
        if days is not None and weekdays is not None:
            return by_date or by_weekday  # both restricted: either will do, as in cron
        return by_date and by_weekday

    def is_due(self, minute: datetime, tz: tzinfo) -> bool:
        """Whether the expression is due in the aware ``minute``, read in timezone ``tz``."""
        minute = floor_minute(minute)  # in UTC: aware arithmetic is wall arithmetic
        local = minute.astimezone(tz)
        wall = _wall(local)
        if self.matches(wall):
            return not self.fixed_time or local.fold == 0
        if not self.fixed_time:
            return False
        previous = _wall((minute - MINUTE).astimezone(tz))
        skipped = (wall - previous) // MINUTE - 1
        return any(
            self.matches(previous + MINUTE * step)
            for step in range(1, min(skipped, _GAP_LIMIT) + 1)
        )

    def next_due(
        self,
        after: datetime,
        tz: tzinfo,
        accept: Callable[[datetime], bool] | None = None,
        *,
        limit: int = 5000,
    ) -> datetime | None:
        """The first minute strictly after ``after`` (UTC) when the event is due.

        ``accept`` adds a further test of each candidate minute (a ``between`` window).
        None when no minute passes within ``limit`` candidate times (``0 0 31 2 *``).
        """
        from croniter import CroniterError, croniter

        after = after.astimezone(UTC)
        start = _wall(after.astimezone(tz)) - _SHIFT
        best: datetime | None = None
        best_wall: datetime | None = None
        iterator: Any = croniter(self.text, start)
        for _ in range(limit):
            try:
                wall: datetime = iterator.get_next(datetime)
            except (CroniterError, ValueError, OverflowError):
                break
            if best_wall is not None and wall > best_wall + _SHIFT:
                break
            for instant in _instants(wall, tz):
                if instant <= after or (best is not None and instant >= best):
                    continue
                if self.is_due(instant, tz) and (accept is None or accept(instant)):
                    best, best_wall = instant, wall
        return best

    def __str__(self) -> str:
        return self.text


Field = frozenset[int] | None  # None: any value


def _has(field: Field, value: int) -> bool:
    return field is None or value in field


@lru_cache(maxsize=512)
def _plain_fields(text: str) -> tuple[Field, Field, Field, Field, Field] | None:
    """The allowed values of each field (None for ``*``), matched without croniter on
    every minute; None when a field uses L, W or # (left to croniter)."""
    fields = text.split(" ")
    if re.search(r"[lw#]", fields[2].lower()) or re.search(r"[l#]", fields[4].lower()):
        return None
    from croniter import croniter

    expanded, _ = croniter.expand(text)
    sets = [None if values == ["*"] else frozenset(int(v) for v in values) for values in expanded]
    return sets[0], sets[1], sets[2], sets[3], sets[4]


def _check_field(expression: str, index: int, value: str) -> None:
    from croniter import CroniterError, croniter

    name, allowed = FIELDS[index]
    problem = ""
    if _NONDETERMINISTIC.search(value.lower()):
        problem = "uses H or R, croniter's hashed and random values, which standard cron lacks"
    else:
        probe = ["*"] * len(FIELDS)
        probe[index] = value
        try:
            croniter.expand(" ".join(probe))
        except (CroniterError, ValueError) as exc:
            detail = str(exc).rpartition("] ")[2]  # croniter quotes the probe, not the user
            problem = detail if detail.startswith("is ") else f"is not valid ({detail})"
    if problem:
        raise CronExpressionError(
            f'Cron expression "{expression}": the {name} field "{value}" {problem}; '
            f"allowed: {allowed}, with * , - and /.",
            context={"expression": expression, "field": name, "value": value},
        )


def _instants(wall: datetime, tz: tzinfo) -> list[datetime]:
    """The UTC minutes whose wall clock in ``tz`` reads ``wall`` (two in a fall-back hour);
    for a wall time inside a spring-forward gap, the first minute after the gap."""
    earlier = wall.replace(tzinfo=tz, fold=0).astimezone(UTC)
    later = wall.replace(tzinfo=tz, fold=1).astimezone(UTC)
    real = sorted({u for u in (earlier, later) if _wall(u.astimezone(tz)) == wall})
    if real:
        return real
    moment = min(earlier, later)
    for _ in range(_GAP_LIMIT):
        if _wall(moment.astimezone(tz)) > wall:
            break
        moment += MINUTE
    return [moment]
