"""Cron expressions: standard five fields, validated when declared, due on the wall clock
of their timezone, with Vixie cron's daylight-saving rules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from foundry.scheduling.cron import CronExpression, floor_minute, zone
from foundry.scheduling.errors import CronExpressionError, ScheduleError

ZURICH = ZoneInfo("Europe/Zurich")  # CET/CEST: forward 2026-03-29 01:00 UTC, back 2026-10-25
MINUTE = timedelta(minutes=1)


def due_minutes(expression: str, start: datetime, end: datetime, tz=ZURICH) -> list[str]:
    """Every minute in [start, end) the expression is due, as local wall time with zone."""
    cron = CronExpression.parse(expression)
    found, minute = [], start
    while minute < end:
        if cron.is_due(minute, tz):
            found.append(minute.astimezone(tz).strftime("%m-%d %H:%M %Z"))
        minute += MINUTE
    return found


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


# --- parsing -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expression", "stored"),
    [
        ("*/5 * * * *", "*/5 * * * *"),
        ("  0   13 *  * 1-5 ", "0 13 * * 1-5"),
        ("@daily", "0 0 * * *"),
        ("@HOURLY", "0 * * * *"),
        ("@weekly", "0 0 * * 0"),
        ("0 0 * jan mon-fri", "0 0 * jan mon-fri"),
        ("0 0 L * *", "0 0 L * *"),
    ],
)
def test_standard_five_field_expressions_and_macros_are_accepted(expression, stored):
    assert CronExpression.parse(expression).text == stored


def test_five_field_expressions_are_accepted_where_rustforge_rejected_them():
    cron = CronExpression.parse("*/5 * * * *")
    assert cron.is_due(utc(2026, 1, 1, 10, 5), UTC)
    assert not cron.is_due(utc(2026, 1, 1, 10, 6), UTC)


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("* * * *", "has 4 fields; standard cron has five: minute hour day-of-month month"),
        ("0 * * * * *", "has 6 fields"),
        ("61 * * * *", 'the minute field "61" is not acceptable, out of range; allowed: 0-59'),
        ("0 24 * * *", 'the hour field "24" is not acceptable, out of range; allowed: 0-23'),
        ("0 0 0 * *", 'the day-of-month field "0"'),
        ("0 0 * 13 *", 'the month field "13"'),
        ("0 0 * * 8", 'the day-of-week field "8"'),
        ("*/0 * * * *", 'the minute field "*/0" is not valid'),
        ("H * * * *", "uses H or R, croniter's hashed and random values"),
        ("0 R * * *", 'the hour field "R" uses H or R'),
        ("@often", "unknown macro; use one of @yearly"),
        ("", "A cron expression must be text"),
    ],
)
def test_invalid_expressions_fail_with_a_message_naming_the_field(expression, message):
    with pytest.raises(CronExpressionError) as caught:
        CronExpression.parse(expression)
    assert message in caught.value.message
    assert caught.value.code == "INVALID_CRON_EXPRESSION"


def test_an_unknown_timezone_is_refused_with_the_fix():
    with pytest.raises(ScheduleError, match=r'Unknown timezone "Europe/Zurch".*IANA name'):
        zone("Europe/Zurch")


def test_floor_minute_drops_seconds():
    assert floor_minute(utc(2026, 1, 1, 9, 0, 59)) == utc(2026, 1, 1, 9, 0)


def test_minutes_are_counted_in_utc_whatever_the_clocks_timezone():
    local = datetime(2026, 10, 25, 2, 30, 45, tzinfo=ZURICH, fold=1)  # 02:30 CET
    minute = floor_minute(local)
    assert (minute, minute.tzinfo) == (utc(2026, 10, 25, 1, 30), UTC)
    assert floor_minute(minute + MINUTE) - minute == MINUTE


# --- spring forward: 02:00-02:59 never happens in Zurich on 2026-03-29 ------------------


def test_a_fixed_time_in_the_spring_gap_runs_once_at_the_first_minute_after_it():
    runs = due_minutes("30 2 * * *", utc(2026, 3, 27, 22), utc(2026, 3, 30, 6))
    assert runs == ["03-28 02:30 CET", "03-29 03:00 CEST", "03-30 02:30 CEST"]


def test_a_fixed_time_outside_the_gap_is_untouched_by_it():
    runs = due_minutes("15 3 * * *", utc(2026, 3, 28, 22), utc(2026, 3, 29, 6))
    assert runs == ["03-29 03:15 CEST"]


def test_an_interval_job_follows_real_time_through_the_spring_gap():
    runs = due_minutes("0 * * * *", utc(2026, 3, 28, 23), utc(2026, 3, 29, 3))
    assert runs == ["03-29 00:00 CET", "03-29 01:00 CET", "03-29 03:00 CEST", "03-29 04:00 CEST"]


# --- fall back: 02:00-02:59 happens twice in Zurich on 2026-10-25 ------------------------


def test_a_fixed_time_in_the_repeated_hour_runs_in_the_first_pass_only():
    runs = due_minutes("30 2 * * *", utc(2026, 10, 24, 20), utc(2026, 10, 26, 6))
    assert runs == ["10-25 02:30 CEST", "10-26 02:30 CET"]


def test_an_interval_job_runs_in_both_passes_of_the_repeated_hour():
    runs = due_minutes("*/30 * * * *", utc(2026, 10, 24, 23, 30), utc(2026, 10, 25, 2, 1))
    assert runs == [
        "10-25 01:30 CEST",
        "10-25 02:00 CEST",
        "10-25 02:30 CEST",
        "10-25 02:00 CET",
        "10-25 02:30 CET",
        "10-25 03:00 CET",
    ]


def test_a_daily_job_runs_exactly_once_a_day_in_the_weeks_of_both_transitions():
    weeks = [  # eight local days around each transition, midnight to midnight
        (datetime(2026, 3, 25, tzinfo=ZURICH), datetime(2026, 4, 2, tzinfo=ZURICH)),
        (datetime(2026, 10, 21, tzinfo=ZURICH), datetime(2026, 10, 29, tzinfo=ZURICH)),
    ]
    for expression in ("30 2 * * *", "0 3 * * *", "59 1 * * *"):
        cron = CronExpression.parse(expression)
        for first, last in weeks:
            minute, end = first.astimezone(UTC), last.astimezone(UTC)
            days = []
            while minute < end:
                if cron.is_due(minute, ZURICH):
                    days.append(minute.astimezone(ZURICH).date())
                minute += MINUTE
            assert len(days) == 8 == len(set(days)), (expression, first)


# --- next due ----------------------------------------------------------------------------


def test_next_due_is_strictly_after_the_given_minute():
    cron = CronExpression.parse("*/5 * * * *")
    assert cron.next_due(utc(2026, 1, 1, 10, 5), UTC) == utc(2026, 1, 1, 10, 10)
    assert cron.next_due(utc(2026, 1, 1, 10, 5, 30), UTC) == utc(2026, 1, 1, 10, 10)


def test_next_due_moves_a_fixed_time_out_of_the_spring_gap():
    cron = CronExpression.parse("30 2 * * *")
    assert cron.next_due(utc(2026, 3, 28, 12), ZURICH) == utc(2026, 3, 29, 1)  # 03:00 CEST
    assert cron.next_due(utc(2026, 3, 29, 1), ZURICH) == utc(2026, 3, 30, 0, 30)  # 02:30 CEST


def test_next_due_finds_the_second_pass_of_the_repeated_hour():
    cron = CronExpression.parse("*/5 * * * *")
    # 02:58 CEST: next is 02:00 CET (01:00 UTC), which is earlier on the wall clock.
    assert cron.next_due(utc(2026, 10, 25, 0, 58), ZURICH) == utc(2026, 10, 25, 1)
    fixed = CronExpression.parse("0 2 * * *")
    assert fixed.next_due(utc(2026, 10, 25, 0, 30), ZURICH) == utc(2026, 10, 26, 1)


def test_next_due_agrees_with_is_due_across_both_transitions():
    for expression in ("30 2 * * *", "*/20 * * * *", "0 2,3 * * *", "45 1-3 * * 0"):
        cron = CronExpression.parse(expression)
        after = utc(2026, 3, 28, 20)
        for _ in range(30):
            upcoming = cron.next_due(after, ZURICH)
            assert upcoming is not None
            walk = floor_minute(after) + MINUTE
            while not cron.is_due(walk, ZURICH):
                walk += MINUTE
            assert upcoming == walk, expression
            after = upcoming
        after = utc(2026, 10, 24, 20)
        for _ in range(30):
            upcoming = cron.next_due(after, ZURICH)
            walk = floor_minute(after) + MINUTE
            while not cron.is_due(walk, ZURICH):
                walk += MINUTE
            assert upcoming == walk, expression
            after = upcoming


def test_an_expression_that_never_happens_has_no_next_due_time():
    assert CronExpression.parse("0 0 31 2 *").next_due(utc(2026, 1, 1), UTC) is None


def test_day_of_month_and_day_of_week_are_either_or_as_in_cron():
    cron = CronExpression.parse("0 0 1 * 1")  # the 1st, or any Monday
    assert cron.is_due(utc(2026, 3, 1), UTC)  # a Sunday, the 1st
    assert cron.is_due(utc(2026, 3, 2), UTC)  # a Monday
    assert not cron.is_due(utc(2026, 3, 3), UTC)


def test_the_fast_matcher_agrees_with_croniter_minute_by_minute():
    from croniter import croniter

    expressions = (
        "*/7 3-5,22 * * *",
        "0 0 1,15 * 1",
        "30 12 * feb-apr sun,sat",
        "5-1 * * * *",
        "0 9 * * 1-7",
        "15 */4 10-20 * 2-4",
        "0 0 L * *",
        "0 0 * * 5#2",
    )
    start = datetime(2026, 1, 25, 0, 0)
    for expression in expressions:
        cron = CronExpression.parse(expression)
        for step in range(0, 60 * 24 * 40, 43):
            wall = start + MINUTE * step
            assert cron.matches(wall) == croniter.match(expression, wall), (expression, wall)
