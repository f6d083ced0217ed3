"""Laravel's frequency helpers: each writes the expected fields and is due when it should
be, in the event's timezone, daylight-saving transitions included."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from foundry.scheduling.errors import CronExpressionError, ScheduleError
from foundry.scheduling.schedule import Schedule

ZURICH = ZoneInfo("Europe/Zurich")
MINUTE = timedelta(minutes=1)


def noop() -> None:
    """A task that does nothing."""


def event(tz: str = "UTC"):
    return Schedule(timezone=tz).call(noop)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def local(*parts: int, tz=ZURICH) -> datetime:
    return datetime(*parts, tzinfo=tz)


@pytest.mark.parametrize(
    ("configure", "expression"),
    [
        (lambda e: e, "* * * * *"),
        (lambda e: e.every_minute(), "* * * * *"),
        (lambda e: e.every_two_minutes(), "*/2 * * * *"),
        (lambda e: e.every_three_minutes(), "*/3 * * * *"),
        (lambda e: e.every_four_minutes(), "*/4 * * * *"),
        (lambda e: e.every_five_minutes(), "*/5 * * * *"),
        (lambda e: e.every_ten_minutes(), "*/10 * * * *"),
        (lambda e: e.every_fifteen_minutes(), "*/15 * * * *"),
        (lambda e: e.every_thirty_minutes(), "0,30 * * * *"),
        (lambda e: e.hourly(), "0 * * * *"),
        (lambda e: e.hourly_at(17), "17 * * * *"),
        (lambda e: e.hourly_at([0, 15, 30]), "0,15,30 * * * *"),
        (lambda e: e.every_odd_hour(), "0 1-23/2 * * *"),
        (lambda e: e.every_two_hours(5), "5 */2 * * *"),
        (lambda e: e.every_three_hours(), "0 */3 * * *"),
        (lambda e: e.every_four_hours(), "0 */4 * * *"),
        (lambda e: e.every_six_hours(), "0 */6 * * *"),
        (lambda e: e.daily(), "0 0 * * *"),
        (lambda e: e.daily_at("13:00"), "0 13 * * *"),
        (lambda e: e.daily_at("8:05"), "5 8 * * *"),
        (lambda e: e.at(time(22, 30)), "30 22 * * *"),
        (lambda e: e.twice_daily(), "0 1,13 * * *"),
        (lambda e: e.twice_daily(9, 17), "0 9,17 * * *"),
        (lambda e: e.twice_daily_at(9, 17, 30), "30 9,17 * * *"),
        (lambda e: e.weekly(), "0 0 * * 0"),
        (lambda e: e.weekly_on(1, "8:00"), "0 8 * * 1"),
        (lambda e: e.weekly_on("friday", "17:30"), "30 17 * * 5"),
        (lambda e: e.monthly(), "0 0 1 * *"),
        (lambda e: e.monthly_on(4, "15:00"), "0 15 4 * *"),
        (lambda e: e.twice_monthly(1, 16, "13:00"), "0 13 1,16 * *"),
        (lambda e: e.last_day_of_month("23:00"), "0 23 L * *"),
        (lambda e: e.quarterly(), "0 0 1 1-12/3 *"),
        (lambda e: e.quarterly_on(15, "6:00"), "0 6 15 1-12/3 *"),
        (lambda e: e.yearly(), "0 0 1 1 *"),
        (lambda e: e.yearly_on(6, 1, "17:00"), "0 17 1 6 *"),
        (lambda e: e.weekdays(), "* * * * 1-5"),
        (lambda e: e.weekends(), "* * * * 6,0"),
        (lambda e: e.mondays(), "* * * * 1"),
        (lambda e: e.tuesdays(), "* * * * 2"),
        (lambda e: e.wednesdays(), "* * * * 3"),
        (lambda e: e.thursdays(), "* * * * 4"),
        (lambda e: e.fridays(), "* * * * 5"),
        (lambda e: e.saturdays(), "* * * * 6"),
        (lambda e: e.sundays(), "* * * * 0"),
        (lambda e: e.days("mon", "wednesday", 5), "* * * * 1,3,5"),
        (lambda e: e.weekdays().daily_at("8:00"), "0 8 * * 1-5"),
        (lambda e: e.daily_at("8:00").weekdays(), "0 8 * * 1-5"),
        (lambda e: e.sundays().hourly(), "0 * * * 0"),
        (lambda e: e.cron("@daily"), "0 0 * * *"),
    ],
)
def test_each_helper_writes_laravels_expression(configure, expression):
    assert configure(event()).expression == expression


@pytest.mark.parametrize(
    ("configure", "due", "not_due"),
    [
        (lambda e: e.every_minute(), [utc(2026, 3, 2, 9, 7)], []),
        (
            lambda e: e.every_five_minutes(),
            [utc(2026, 3, 2, 9, 0), utc(2026, 3, 2, 9, 55)],
            [utc(2026, 3, 2, 9, 3), utc(2026, 3, 2, 9, 59)],
        ),
        (
            lambda e: e.every_fifteen_minutes(),
            [utc(2026, 3, 2, 9, 45)],
            [utc(2026, 3, 2, 9, 5)],
        ),
        (lambda e: e.every_thirty_minutes(), [utc(2026, 3, 2, 9, 30)], [utc(2026, 3, 2, 9, 15)]),
        (lambda e: e.hourly(), [utc(2026, 3, 2, 13, 0)], [utc(2026, 3, 2, 13, 1)]),
        (lambda e: e.hourly_at(17), [utc(2026, 3, 2, 4, 17)], [utc(2026, 3, 2, 4, 0)]),
        (lambda e: e.every_odd_hour(), [utc(2026, 3, 2, 3, 0)], [utc(2026, 3, 2, 4, 0)]),
        (lambda e: e.every_two_hours(), [utc(2026, 3, 2, 4, 0)], [utc(2026, 3, 2, 3, 0)]),
        (lambda e: e.daily(), [utc(2026, 3, 2, 0, 0)], [utc(2026, 3, 2, 12, 0)]),
        (lambda e: e.daily_at("13:00"), [utc(2026, 3, 2, 13, 0)], [utc(2026, 3, 2, 13, 1)]),
        (
            lambda e: e.twice_daily(1, 13),
            [utc(2026, 3, 2, 1, 0), utc(2026, 3, 2, 13, 0)],
            [utc(2026, 3, 2, 7, 0)],
        ),
        (lambda e: e.weekly(), [utc(2026, 3, 1, 0, 0)], [utc(2026, 3, 2, 0, 0)]),
        (lambda e: e.weekly_on(1, "8:00"), [utc(2026, 3, 2, 8, 0)], [utc(2026, 3, 3, 8, 0)]),
        (lambda e: e.monthly(), [utc(2026, 4, 1, 0, 0)], [utc(2026, 4, 2, 0, 0)]),
        (lambda e: e.monthly_on(4, "15:00"), [utc(2026, 3, 4, 15, 0)], [utc(2026, 3, 5, 15, 0)]),
        (
            lambda e: e.last_day_of_month(),
            [utc(2026, 2, 28, 0, 0), utc(2028, 2, 29, 0, 0)],
            [utc(2028, 2, 28, 0, 0)],
        ),
        (
            lambda e: e.quarterly(),
            [utc(2026, 1, 1), utc(2026, 4, 1), utc(2026, 10, 1)],
            [utc(2026, 2, 1), utc(2026, 5, 1)],
        ),
        (lambda e: e.yearly(), [utc(2027, 1, 1)], [utc(2026, 2, 1)]),
        (lambda e: e.yearly_on(6, 1, "17:00"), [utc(2026, 6, 1, 17)], [utc(2026, 6, 2, 17)]),
        (
            lambda e: e.weekdays(),
            [utc(2026, 3, 2, 10), utc(2026, 3, 6, 10)],
            [utc(2026, 3, 7, 10), utc(2026, 3, 8, 10)],
        ),
        (
            lambda e: e.weekends(),
            [utc(2026, 3, 7, 10), utc(2026, 3, 8, 10)],
            [utc(2026, 3, 2, 10)],
        ),
        (lambda e: e.mondays(), [utc(2026, 3, 2, 10)], [utc(2026, 3, 3, 10)]),
        (lambda e: e.sundays(), [utc(2026, 3, 8, 10)], [utc(2026, 3, 7, 10)]),
    ],
)
def test_each_helper_is_due_exactly_when_it_should_be(configure, due, not_due):
    scheduled = configure(event())
    for minute in due:
        assert scheduled.is_due_at(minute), minute
    for minute in not_due:
        assert not scheduled.is_due_at(minute), minute


# --- timezones ---------------------------------------------------------------------------


def test_times_are_read_on_the_wall_clock_of_the_events_timezone():
    scheduled = event().daily_at("9:00").timezone("Europe/Zurich")
    assert scheduled.is_due_at(utc(2026, 1, 15, 8, 0))  # 09:00 CET
    assert scheduled.is_due_at(utc(2026, 7, 15, 7, 0))  # 09:00 CEST
    assert not scheduled.is_due_at(utc(2026, 7, 15, 9, 0))


def test_the_schedules_timezone_is_the_default_of_its_events():
    scheduled = event("Europe/Zurich").daily_at("9:00")
    assert str(scheduled.tz) == "Europe/Zurich"
    assert scheduled.is_due_at(utc(2026, 1, 15, 8, 0))


def test_daily_at_a_time_the_spring_gap_skips_runs_at_the_end_of_the_gap():
    scheduled = event("Europe/Zurich").daily_at("2:30")
    assert not scheduled.is_due_at(local(2026, 3, 29, 1, 59))
    assert scheduled.is_due_at(local(2026, 3, 29, 3, 0))  # the first minute after the gap
    assert not scheduled.is_due_at(local(2026, 3, 29, 3, 30))
    assert scheduled.next_due(utc(2026, 3, 28, 12)) == local(2026, 3, 29, 3, 0)


def test_daily_at_a_time_the_fall_back_repeats_runs_once():
    scheduled = event("Europe/Zurich").daily_at("2:30")
    first = utc(2026, 10, 25, 0, 30)  # 02:30 CEST
    second = utc(2026, 10, 25, 1, 30)  # 02:30 CET
    assert scheduled.is_due_at(first)
    assert not scheduled.is_due_at(second)


def test_hourly_runs_every_real_hour_across_both_transitions():
    scheduled = event("Europe/Zurich").hourly()
    spring = [utc(2026, 3, 28, 22) + timedelta(hours=h) for h in range(6)]
    autumn = [utc(2026, 10, 24, 22) + timedelta(hours=h) for h in range(6)]
    assert all(scheduled.is_due_at(minute) for minute in spring + autumn)
    assert not scheduled.is_due_at(utc(2026, 10, 25, 1, 30))


def test_every_five_minutes_runs_through_the_repeated_hour_twice():
    scheduled = event("Europe/Zurich").every_five_minutes()
    runs = 0
    minute = utc(2026, 10, 25, 0, 0)  # 02:00 CEST
    while minute < utc(2026, 10, 25, 2, 0):  # 03:00 CET: two real hours later
        runs += scheduled.is_due_at(minute)
        minute += MINUTE
    assert runs == 24


def test_weekly_on_across_the_spring_transition_keeps_the_local_time():
    scheduled = event("Europe/Zurich").weekly_on("sunday", "4:00")
    assert scheduled.is_due_at(utc(2026, 3, 22, 3, 0))  # 04:00 CET
    assert scheduled.is_due_at(utc(2026, 3, 29, 2, 0))  # 04:00 CEST
    assert not scheduled.is_due_at(utc(2026, 3, 29, 3, 0))


def test_cron_expressions_are_read_in_the_events_timezone_too():
    scheduled = event().cron("0 9 * * 1-5").timezone("America/New_York")
    assert scheduled.is_due_at(utc(2026, 3, 6, 14, 0))  # 09:00 EST
    assert scheduled.is_due_at(utc(2026, 3, 9, 13, 0))  # 09:00 EDT, after the US change
    assert not scheduled.is_due_at(utc(2026, 3, 9, 14, 0))


# --- between / unless_between ------------------------------------------------------------


def test_between_keeps_runs_inside_the_window_inclusive():
    scheduled = event().hourly().between("8:00", "17:00")
    assert not scheduled.is_due_at(utc(2026, 3, 2, 7, 0))
    assert scheduled.is_due_at(utc(2026, 3, 2, 8, 0))
    assert scheduled.is_due_at(utc(2026, 3, 2, 17, 0))
    assert not scheduled.is_due_at(utc(2026, 3, 2, 18, 0))


def test_unless_between_keeps_runs_outside_the_window():
    scheduled = event().hourly().unless_between("23:00", "4:00")
    assert scheduled.is_due_at(utc(2026, 3, 2, 22, 0))
    assert not scheduled.is_due_at(utc(2026, 3, 2, 23, 0))
    assert not scheduled.is_due_at(utc(2026, 3, 3, 2, 0))
    assert not scheduled.is_due_at(utc(2026, 3, 3, 4, 0))
    assert scheduled.is_due_at(utc(2026, 3, 3, 5, 0))


def test_a_window_across_midnight_is_read_as_one_night():
    scheduled = event().every_minute().between("22:00", "6:00")
    assert scheduled.is_due_at(utc(2026, 3, 2, 23, 30))
    assert scheduled.is_due_at(utc(2026, 3, 3, 5, 59))
    assert not scheduled.is_due_at(utc(2026, 3, 3, 12, 0))


def test_windows_are_read_in_the_events_timezone():
    scheduled = event().hourly().between("8:00", "9:00").timezone("Europe/Zurich")
    assert scheduled.is_due_at(utc(2026, 1, 15, 7, 0))  # 08:00 CET
    assert not scheduled.is_due_at(utc(2026, 1, 15, 9, 0))  # 10:00 CET


def test_next_due_skips_minutes_outside_the_window():
    scheduled = event().every_fifteen_minutes().between("8:00", "9:00")
    assert scheduled.next_due(utc(2026, 3, 2, 9, 0)) == utc(2026, 3, 3, 8, 0)


# --- mistakes fail at declaration --------------------------------------------------------


@pytest.mark.parametrize(
    ("configure", "message"),
    [
        (lambda e: e.daily_at("25:00"), 'daily_at("25:00"): "25:00" is not a time of day'),
        (lambda e: e.daily_at("9"), 'daily_at("9"): "9" is not a time of day'),
        (lambda e: e.between("8:00", "17:60"), 'between("17:60")'),
        (lambda e: e.hourly_at(60), "hourly_at(60): a minute must be a whole number from 0"),
        (lambda e: e.hourly_at([]), "hourly_at([]): give at least one minute"),
        (lambda e: e.twice_daily(1, 24), "twice_daily(24): an hour must be a whole number"),
        (lambda e: e.monthly_on(32), "monthly_on(32): a day of the month must be"),
        (lambda e: e.yearly_on(13), "yearly_on(13): a month must be"),
        (lambda e: e.days("someday"), 'days("someday"): not a day of the week'),
        (lambda e: e.days(), "days(): give at least one day"),
        (lambda e: e.timezone("Mars/Olympus"), 'Unknown timezone "Mars/Olympus" in Scheduled'),
    ],
)
def test_bad_helper_arguments_fail_when_declared(configure, message):
    with pytest.raises(ScheduleError) as caught:
        configure(event())
    assert message in caught.value.message


def test_a_bad_cron_expression_names_the_event_it_belongs_to():
    with pytest.raises(CronExpressionError) as caught:
        event().cron("*/5 * * *")
    assert 'test_frequencies.noop": Cron expression "*/5 * * *" has 4 fields' in (
        caught.value.message
    )
    assert caught.value.message.startswith('Scheduled event "')


def test_a_rejected_helper_leaves_the_previous_expression_in_place():
    scheduled = event().daily_at("8:00")
    with pytest.raises(ScheduleError):
        scheduled.daily_at("8:75")
    assert scheduled.expression == "0 8 * * *"


def runs_on_local_day(configure, year: int, month: int, day: int) -> int:
    """How many times the event runs from local midnight to local midnight in Zurich."""
    scheduled = configure(event("Europe/Zurich"))
    minute = datetime(year, month, day, tzinfo=ZURICH).astimezone(UTC)
    end = datetime(year, month, day + 1, tzinfo=ZURICH).astimezone(UTC)
    count = 0
    while minute < end:
        count += scheduled.is_due_at(minute)
        minute += MINUTE
    return count


@pytest.mark.parametrize(
    ("configure", "spring", "autumn"),
    [
        # the spring day has 23 real hours, the autumn day 25
        (lambda e: e.every_minute(), 23 * 60, 25 * 60),
        (lambda e: e.every_five_minutes(), 23 * 12, 25 * 12),
        (lambda e: e.every_thirty_minutes(), 46, 50),
        (lambda e: e.hourly(), 23, 25),
        (lambda e: e.hourly_at(17), 23, 25),
        (lambda e: e.every_two_hours(), 11, 13),  # 02:00 never happens / happens twice
        (lambda e: e.every_odd_hour(), 12, 12),
        (lambda e: e.daily(), 1, 1),
        (lambda e: e.daily_at("2:30"), 1, 1),  # moved to 03:00 / first pass only
        (lambda e: e.twice_daily(2, 14), 2, 2),
        (lambda e: e.weekly_on("sunday", "2:15"), 1, 1),
        (lambda e: e.sundays(), 23 * 60, 25 * 60),
        (lambda e: e.cron("30 2 * * 0"), 1, 1),
        (lambda e: e.cron("*/20 1-3 * * *"), 6, 12),  # 01,03 each 3 / 01,02,02,03 each 3
        (lambda e: e.every_minute().between("1:00", "3:30"), 60 + 31, 60 + 120 + 31),
        (lambda e: e.hourly().unless_between("1:30", "2:30"), 23, 23),  # 02:00 never / twice
    ],
)
def test_every_helper_on_the_days_the_clocks_change(configure, spring, autumn):
    assert runs_on_local_day(configure, 2026, 3, 29) == spring
    assert runs_on_local_day(configure, 2026, 10, 25) == autumn
