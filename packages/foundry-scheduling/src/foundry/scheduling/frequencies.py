"""Laravel's frequency helpers: ``daily_at("13:00")`` instead of ``0 13 * * *``.

Each helper rewrites some fields of the event's cron expression and leaves the others,
so helpers combine as in Laravel: ``.weekdays().daily_at("8:00")`` is ``0 8 * * 1-5``.
``between`` and ``unless_between`` are windows of the day checked besides the expression.
All times are wall-clock times in the event's timezone (``.timezone(...)``; by default
``APP_TIMEZONE``). Every argument is checked when declared, so a mistake fails when the
schedule loads rather than silently never running.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, tzinfo
from typing import Self

from foundry.scheduling.cron import CronExpression, zone
from foundry.scheduling.errors import CronExpressionError, ScheduleError

__all__ = ["DAYS", "ManagesFrequencies", "TimeWindow", "parse_time"]

DAYS = {
    "sunday": 0,
    "monday": 1,
    "tuesday": 2,
    "wednesday": 3,
    "thursday": 4,
    "friday": 5,
    "saturday": 6,
}


def parse_time(value: str | time, method: str) -> time:
    """``"8:00"`` / ``"13:05"`` (or a :class:`datetime.time`) as a time of day.

    Raises:
        ScheduleError: not ``H:MM`` with hours 0-23 and minutes 0-59.
    """
    if isinstance(value, time):
        return value.replace(second=0, microsecond=0, tzinfo=None)
    hour, sep, minute = str(value).strip().partition(":")
    digits = sep and hour.isdigit() and minute.isdigit() and len(minute) == 2 and len(hour) <= 2
    if digits and int(hour) < 24 and int(minute) < 60:
        return time(int(hour), int(minute))
    raise ScheduleError(
        f'{method}("{value}"): "{value}" is not a time of day; write "H:MM" with hours 0-23 '
        'and minutes 0-59 (for example "8:00" or "13:30").',
        context={"method": method, "value": str(value)},
    )


@dataclass(frozen=True, slots=True)
class TimeWindow:
    """A window of the day, both ends included; ``start > end`` spans midnight.

    ``inside`` is True for ``between`` (run only inside) and False for ``unless_between``
    (run only outside).
    """

    start: time
    end: time
    inside: bool = True

    def contains(self, moment: time) -> bool:
        if self.start <= self.end:
            return self.start <= moment <= self.end
        return moment >= self.start or moment <= self.end

    def allows(self, moment: time) -> bool:
        return self.contains(moment) is self.inside

    def __str__(self) -> str:
        span = f"{self.start:%H:%M}-{self.end:%H:%M}"
        return f"between {span}" if self.inside else f"unless between {span}"


def _int_in(value: object, low: int, high: int, method: str, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ScheduleError(
            f"{method}({value!r}): {what} must be a whole number from {low} to {high}.",
            context={"method": method, "value": repr(value)},
        )
    return value


def _day(value: int | str, method: str) -> int:
    if isinstance(value, str):
        key = value.strip().lower()
        for name, number in DAYS.items():
            if key in (name, name[:3]):
                return number
        raise ScheduleError(
            f'{method}("{value}"): not a day of the week; use 0-6 (Sunday is 0) or a name '
            'such as "monday" or "mon".',
            context={"method": method, "value": value},
        )
    return _int_in(value, 0, 7, method, "a day of the week") % 7


class ManagesFrequencies:
    """The frequency helpers of a scheduled event (mixed into ``Event``)."""

    _expression: CronExpression
    _timezone: tzinfo
    _windows: list[TimeWindow]

    # --- raw expression and timezone ---------------------------------------------------

    def cron(self, expression: str) -> Self:
        """Run on a standard five-field cron expression (``"*/5 * * * *"``)."""
        try:
            self._expression = CronExpression.parse(expression)
        except CronExpressionError as exc:
            message = f"{self._where()}: {exc.message}"
            raise CronExpressionError(message, context=exc.context) from None
        return self

    def timezone(self, name: str | tzinfo) -> Self:
        """Read the expression and windows on the wall clock of ``name``
        (``"Europe/Zurich"``) instead of ``APP_TIMEZONE``."""
        self._timezone = zone(name, where=f"in {self._where()}")
        return self

    def _splice(self, position: int, value: object) -> Self:
        fields = list(self._expression.fields)
        fields[position - 1] = str(value)
        return self.cron(" ".join(fields))

    def _where(self) -> str:
        return "a scheduled event"

    # --- minutes -----------------------------------------------------------------------

    def every_minute(self) -> Self:
        return self._splice(1, "*")

    def every_two_minutes(self) -> Self:
        return self._splice(1, "*/2")

    def every_three_minutes(self) -> Self:
        return self._splice(1, "*/3")

    def every_four_minutes(self) -> Self:
        return self._splice(1, "*/4")

    def every_five_minutes(self) -> Self:
        return self._splice(1, "*/5")

    def every_ten_minutes(self) -> Self:
        return self._splice(1, "*/10")

    def every_fifteen_minutes(self) -> Self:
        return self._splice(1, "*/15")

    def every_thirty_minutes(self) -> Self:
        return self._splice(1, "0,30")

    # --- hours -------------------------------------------------------------------------

    def hourly(self) -> Self:
        return self._splice(1, 0)

    def hourly_at(self, minutes: int | Sequence[int]) -> Self:
        """Every hour at ``minutes`` past (``17``, or ``[0, 15, 30]``)."""
        values = [minutes] if isinstance(minutes, int) else list(minutes)
        if not values:
            raise ScheduleError("hourly_at([]): give at least one minute from 0 to 59.")
        checked = [_int_in(v, 0, 59, "hourly_at", "a minute") for v in values]
        return self._splice(1, ",".join(str(v) for v in checked))

    def every_odd_hour(self, minute: int = 0) -> Self:
        return self.hourly_at(minute)._splice(2, "1-23/2")

    def every_two_hours(self, minute: int = 0) -> Self:
        return self.hourly_at(minute)._splice(2, "*/2")

    def every_three_hours(self, minute: int = 0) -> Self:
        return self.hourly_at(minute)._splice(2, "*/3")

    def every_four_hours(self, minute: int = 0) -> Self:
        return self.hourly_at(minute)._splice(2, "*/4")

    def every_six_hours(self, minute: int = 0) -> Self:
        return self.hourly_at(minute)._splice(2, "*/6")

    # --- days --------------------------------------------------------------------------

    def daily(self) -> Self:
        return self._splice(1, 0)._splice(2, 0)

    def daily_at(self, at: str | time) -> Self:
        """Every day at ``at`` (``"13:00"``)."""
        moment = parse_time(at, "daily_at")
        return self._splice(2, moment.hour)._splice(1, moment.minute)

    def at(self, at: str | time) -> Self:
        """Alias of :meth:`daily_at`."""
        return self.daily_at(at)

    def twice_daily(self, first: int = 1, second: int = 13) -> Self:
        """Every day at ``first`` and ``second`` o'clock."""
        return self.twice_daily_at(first, second, 0)

    def twice_daily_at(self, first: int = 1, second: int = 13, minute: int = 0) -> Self:
        hours = [_int_in(h, 0, 23, "twice_daily", "an hour") for h in (first, second)]
        return self.hourly_at(minute)._splice(2, f"{hours[0]},{hours[1]}")

    def days(self, *days: int | str | Sequence[int | str]) -> Self:
        """Only on these days of the week (0 or ``"sunday"`` .. 6 or ``"saturday"``)."""
        flat: list[int | str] = []
        for day in days:
            flat.extend([day] if isinstance(day, int | str) else list(day))
        if not flat:
            raise ScheduleError("days(): give at least one day of the week.")
        numbers = sorted({_day(day, "days") for day in flat})
        return self._splice(5, ",".join(str(n) for n in numbers))

    def weekdays(self) -> Self:
        return self._splice(5, "1-5")

    def weekends(self) -> Self:
        return self._splice(5, "6,0")

    def mondays(self) -> Self:
        return self.days(1)

    def tuesdays(self) -> Self:
        return self.days(2)

    def wednesdays(self) -> Self:
        return self.days(3)

    def thursdays(self) -> Self:
        return self.days(4)

    def fridays(self) -> Self:
        return self.days(5)

    def saturdays(self) -> Self:
        return self.days(6)

    def sundays(self) -> Self:
        return self.days(0)

    # --- weeks, months, quarters, years ------------------------------------------------

    def weekly(self) -> Self:
        return self.daily()._splice(5, 0)

    def weekly_on(self, day: int | str | Sequence[int | str], at: str | time = "0:00") -> Self:
        """Every week on ``day`` (``1`` or ``"monday"``) at ``at``."""
        return self.days(day).daily_at(at)

    def monthly(self) -> Self:
        return self.daily()._splice(3, 1)

    def monthly_on(self, day: int = 1, at: str | time = "0:00") -> Self:
        _int_in(day, 1, 31, "monthly_on", "a day of the month")
        return self.daily_at(at)._splice(3, day)

    def twice_monthly(self, first: int = 1, second: int = 16, at: str | time = "0:00") -> Self:
        days = [_int_in(d, 1, 31, "twice_monthly", "a day of the month") for d in (first, second)]
        return self.daily_at(at)._splice(3, f"{days[0]},{days[1]}")

    def last_day_of_month(self, at: str | time = "0:00") -> Self:
        return self.daily_at(at)._splice(3, "L")

    def quarterly(self) -> Self:
        return self.monthly()._splice(4, "1-12/3")

    def quarterly_on(self, day: int = 1, at: str | time = "0:00") -> Self:
        return self.monthly_on(day, at)._splice(4, "1-12/3")

    def yearly(self) -> Self:
        return self.monthly()._splice(4, 1)

    def yearly_on(self, month: int = 1, day: int = 1, at: str | time = "0:00") -> Self:
        _int_in(month, 1, 12, "yearly_on", "a month")
        return self.monthly_on(day, at)._splice(4, month)

    # --- windows of the day ------------------------------------------------------------

    def between(self, start: str | time, end: str | time) -> Self:
        """Run only between ``start`` and ``end`` (inclusive; ``"22:00", "6:00"`` spans
        midnight)."""
        window = TimeWindow(parse_time(start, "between"), parse_time(end, "between"))
        self._windows.append(window)
        return self

    def unless_between(self, start: str | time, end: str | time) -> Self:
        """Do not run between ``start`` and ``end`` (inclusive)."""
        start_at = parse_time(start, "unless_between")
        window = TimeWindow(start_at, parse_time(end, "unless_between"), inside=False)
        self._windows.append(window)
        return self

    def _in_windows(self, minute: datetime) -> bool:
        if not self._windows:
            return True
        local = minute.astimezone(self._timezone).time().replace(second=0, microsecond=0)
        return all(window.allows(local) for window in self._windows)
