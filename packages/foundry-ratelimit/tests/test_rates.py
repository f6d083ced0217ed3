"""Rates as people write them, and clear errors for the rest."""

from __future__ import annotations

import pytest

from foundry.ratelimit import InvalidRateError, Rate


@pytest.mark.parametrize(
    ("text", "limit", "window"),
    [
        ("60/minute", 60, 60.0),
        ("5/second", 5, 1.0),
        ("1000/hour", 1000, 3600.0),
        ("10000/day", 10000, 86400.0),
        ("10/30s", 10, 30.0),
        ("100/5 minutes", 100, 300.0),
        ("1000 per hour", 1000, 3600.0),
        ("3/2.5sec", 3, 2.5),
        (" 7 / MIN ", 7, 60.0),
    ],
)
def test_rates_parse_in_the_common_spellings(text, limit, window):
    rate = Rate.parse(text)
    assert (rate.limit, rate.window) == (limit, window)


@pytest.mark.parametrize(
    "text", ["60", "minute", "60/fortnight", "60/ms", "-1/minute", "1.5/s", ""]
)
def test_malformed_rates_are_refused_naming_the_source_and_the_forms(text):
    with pytest.raises(InvalidRateError) as caught:
        Rate.parse(text, where="RATE_LIMIT_DEFAULT")
    assert caught.value.message.startswith(f"RATE_LIMIT_DEFAULT={text!r}")
    assert "60/minute" in caught.value.message


@pytest.mark.parametrize("text", ["0/minute", "5/0s"])
def test_rates_that_allow_nothing_are_refused(text):
    with pytest.raises(InvalidRateError, match="allows nothing"):
        Rate.parse(text)


def test_rates_describe_themselves():
    assert str(Rate(60, 60)) == "60/minute"
    assert Rate(10, 30).describe() == "10 per 30 seconds"
    assert Rate(5, 7200).describe() == "5 per 2 hours"
    assert Rate(5, 2.5).describe() == "5 per 2.5 seconds"


def test_a_rate_needs_a_positive_limit_and_window():
    with pytest.raises(InvalidRateError):
        Rate(0, 60)
    with pytest.raises(InvalidRateError):
        Rate(1, 0)
    with pytest.raises(InvalidRateError):
        Rate(1, float("inf"))
