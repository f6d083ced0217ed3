from __future__ import annotations

import pytest

from foundry.domain.errors import CommandError
from foundry.interactive.answers import (
    AnswerRejected,
    check_choices,
    parse_choice,
    parse_confirm,
    parse_multi_choice,
    parse_text,
    rank,
)

DATABASES = ["sqlite", "postgres", "mysql"]


def test_text_empty_answer_takes_the_default() -> None:
    assert parse_text("", default="world") == "world"
    assert parse_text("Ada", default="world") == "Ada"


def test_text_empty_answer_without_default_is_refused() -> None:
    with pytest.raises(AnswerRejected, match="A value is required"):
        parse_text("", default=None)


def test_text_empty_default_makes_the_answer_optional() -> None:
    assert parse_text("", default="") == ""


def test_text_validator_message_is_the_rejection() -> None:
    def at_least_three(value: str) -> str | None:
        return None if len(value) >= 3 else "Use at least 3 characters."

    with pytest.raises(AnswerRejected, match="Use at least 3 characters"):
        parse_text("ab", default=None, validate=at_least_three)
    assert parse_text("abc", default=None, validate=at_least_three) == "abc"


def test_text_validator_also_checks_the_default() -> None:
    with pytest.raises(AnswerRejected, match="bad"):
        parse_text("", default="x", validate=lambda value: "bad")


@pytest.mark.parametrize(
    ("raw", "expected"), [("y", True), ("YES", True), ("n", False), ("No", False)]
)
def test_confirm_understands_yes_and_no(raw: str, expected: bool) -> None:
    assert parse_confirm(raw, default=not expected) is expected


def test_confirm_empty_takes_the_default_and_anything_else_is_refused() -> None:
    assert parse_confirm("  ", default=True) is True
    with pytest.raises(AnswerRejected, match="yes or no"):
        parse_confirm("maybe", default=True)


def test_choice_by_value_by_number_or_by_case() -> None:
    assert parse_choice("postgres", DATABASES, default=None) == "postgres"
    assert parse_choice(" 3 ", DATABASES, default=None) == "mysql"
    assert parse_choice("SQLite", DATABASES, default=None) == "sqlite"


def test_choice_value_wins_over_number_when_choices_are_numeric() -> None:
    assert parse_choice("1", ["3", "1"], default=None) == "1"
    assert parse_choice("2", ["3", "1"], default=None) == "1"


def test_choice_out_of_range_or_unknown_is_refused_with_the_options() -> None:
    for raw in ("0", "4", "oracle"):
        with pytest.raises(AnswerRejected, match=r"type a number from 1 to 3 or one of sqlite"):
            parse_choice(raw, DATABASES, default=None)


def test_choice_empty_takes_the_default_or_is_refused() -> None:
    assert parse_choice("", DATABASES, default="mysql") == "mysql"
    with pytest.raises(AnswerRejected, match="Choose one"):
        parse_choice("", DATABASES, default=None)


def test_multi_choice_mixes_numbers_and_values_in_typed_order_without_repeats() -> None:
    assert parse_multi_choice("3, sqlite,3,  ,1", DATABASES, default=()) == ["mysql", "sqlite"]


def test_multi_choice_one_bad_item_rejects_the_whole_answer() -> None:
    with pytest.raises(AnswerRejected, match='"oracle" is not one of the choices'):
        parse_multi_choice("1,oracle", DATABASES, default=())


def test_multi_choice_empty_takes_the_default_list() -> None:
    assert parse_multi_choice(" , ", DATABASES, default=("sqlite", "mysql")) == ["sqlite", "mysql"]
    with pytest.raises(AnswerRejected, match="at least one"):
        parse_multi_choice("", DATABASES, default=())


def test_choice_calls_without_choices_or_with_a_foreign_default_are_command_errors() -> None:
    with pytest.raises(CommandError, match="was given no choices"):
        check_choices("Which database?", [], [], "choice")
    with pytest.raises(CommandError, match='default "oracle" is not one of the choices'):
        check_choices("Which database?", DATABASES, ["oracle"], "choice")


def test_rank_puts_prefix_matches_before_substring_matches() -> None:
    names = ["postgres", "sqlite", "mysql", "PostGIS", "sqlite"]
    assert rank(names, "sql") == ["sqlite", "mysql"]
    assert rank(names, "POST") == ["postgres", "PostGIS"]
    assert rank(names, "") == ["postgres", "sqlite", "mysql", "PostGIS"]
    assert rank(names, "oracle") == []
