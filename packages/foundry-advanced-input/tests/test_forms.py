"""Every way a user may write arguments and options reaches the same typed values."""

from __future__ import annotations

from typing import Any

import pytest

from foundry.advanced_input import ArgvParser
from foundry.domain.commands import Argument, Option

PARSER = ArgvParser()

PORT = Option("port", type="int", short="p")
NAME = Option("name", short="n")
FORCE = Option("force", type="bool", short="f")
VERBOSE = Option("loud", type="bool", short="l")
TAG = Option("tag", type="list", short="t")


def options(argv: list[str], *declared: Option) -> dict[str, Any]:
    return PARSER.parse((), declared, argv).options


def arguments(argv: list[str], *declared: Argument) -> dict[str, Any]:
    return PARSER.parse(declared, (), argv).arguments


@pytest.mark.parametrize(
    "argv",
    [
        ["--port", "8080"],
        ["--port=8080"],
        ["-p", "8080"],
        ["-p8080"],
        ["-p=8080"],
    ],
)
def test_an_option_value_may_be_written_in_every_usual_form(argv: list[str]) -> None:
    assert options(argv, PORT) == {"port": 8080}


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--name=a=b"], "a=b"),  # only the first "=" separates name and value
        (["--name", "a b"], "a b"),
        (["--name="], ""),
        (["--name=-x"], "-x"),  # an attached value may start with a dash
        (["-n-x"], "-x"),
        (["--name", "-"], "-"),  # a lone dash is a value (stdin by convention)
        (["--name", "first", "--name", "second"], "second"),  # the last one wins
    ],
)
def test_option_values_are_taken_verbatim(argv: list[str], expected: str) -> None:
    assert options(argv, NAME) == {"name": expected}


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([], False),
        (["--force"], True),
        (["-f"], True),
        (["--no-force"], False),
        (["--force", "--no-force"], False),
        (["--no-force", "--force"], True),
        (["--force=false"], False),
        (["--force=yes"], True),
        (["--force=0"], False),
    ],
)
def test_flags_are_set_by_name_and_cleared_by_no_prefix(argv: list[str], expected: bool) -> None:
    assert options(argv, FORCE) == {"force": expected}


def test_no_prefix_clears_a_flag_that_defaults_to_true() -> None:
    color = Option("color", type="bool", default=True)
    assert options([], color) == {"color": True}
    assert options(["--no-color"], color) == {"color": False}


def test_an_option_really_named_no_something_wins_over_negation() -> None:
    cache = Option("cache", type="bool", default=True)
    no_cache = Option("no-cache", type="bool")
    assert options(["--no-cache"], cache, no_cache) == {"cache": True, "no_cache": True}


def test_short_flags_combine_and_the_last_letter_may_take_a_value() -> None:
    declared = (FORCE, VERBOSE, PORT)
    assert options(["-fl"], *declared) == {"force": True, "loud": True, "port": None}
    assert options(["-flp", "90"], *declared) == {"force": True, "loud": True, "port": 90}
    assert options(["-fp90"], *declared) == {"force": True, "loud": False, "port": 90}


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([], []),
        (["--tag", "a"], ["a"]),
        (["--tag", "a", "--tag", "b"], ["a", "b"]),
        (["--tag=a,b"], ["a", "b"]),
        (["--tag", "a,b"], ["a", "b"]),
        (["--tag=a,b", "--tag", "c", "-t", "d,e", "-tf"], ["a", "b", "c", "d", "e", "f"]),
        (["--tag", "a, b ,c"], ["a", "b", "c"]),  # items are trimmed
        (["--tag", "a,,b,"], ["a", "b"]),  # empty items are dropped
        (["--tag="], []),  # an explicit empty list
    ],
)
def test_list_options_collect_repetitions_and_commas(argv: list[str], expected: list[str]) -> None:
    assert options(argv, TAG) == {"tag": expected}


def test_list_option_names_may_be_plural_with_commas() -> None:
    tags = Option("tags", type="list")
    assert options(["--tags=api,web", "--tags", "admin"], tags) == {"tags": ["api", "web", "admin"]}


def test_positional_arguments_fill_in_declaration_order() -> None:
    declared = (Argument("source"), Argument("target"), Argument("mode", required=False))
    assert arguments(["a", "b"], *declared) == {"source": "a", "target": "b", "mode": None}
    assert arguments(["a", "b", "c"], *declared) == {"source": "a", "target": "b", "mode": "c"}


def test_a_trailing_list_argument_collects_the_remaining_words() -> None:
    declared = (Argument("command"), Argument("files", type="list"))
    assert arguments(["lint", "a.py", "b.py", "c.py"], *declared) == {
        "command": "lint",
        "files": ["a.py", "b.py", "c.py"],
    }


def test_positional_list_words_are_not_split_on_commas() -> None:
    declared = Argument("words", type="list")
    assert arguments(["a,b", "c"], declared) == {"words": ["a,b", "c"]}


def test_options_may_come_before_between_and_after_arguments() -> None:
    parsed = PARSER.parse(
        (Argument("a"), Argument("b")), (PORT, FORCE), ["--port", "1", "x", "-f", "y"]
    )
    assert parsed.arguments == {"a": "x", "b": "y"}
    assert parsed.options == {"port": 1, "force": True}


def test_double_dash_ends_options() -> None:
    parsed = PARSER.parse(
        (Argument("words", type="list"),), (FORCE,), ["--force", "--", "--force", "-f", "--"]
    )
    assert parsed.arguments == {"words": ["--force", "-f", "--"]}
    assert parsed.options == {"force": True}


@pytest.mark.parametrize("word", ["-3", "-0.5", "-.5", "-1e3"])
def test_negative_numbers_are_values_not_options(word: str) -> None:
    offset = Option("offset", type="float")
    assert options(["--offset", word], offset) == {"offset": float(word)}
    assert arguments([word], Argument("n", type="float")) == {"n": float(word)}


def test_a_digit_short_option_takes_precedence_over_a_negative_number() -> None:
    one = Option("one", type="bool", short="1")
    parsed = PARSER.parse((Argument("n", required=False),), (one,), ["-1"])
    assert parsed.options == {"one": True}
    assert parsed.arguments == {"n": None}


def test_a_lone_dash_is_a_positional_word() -> None:
    assert arguments(["-"], Argument("file")) == {"file": "-"}


def test_option_keys_are_dests_with_underscores() -> None:
    dry_run = Option("dry-run", type="bool")
    assert options(["--dry-run"], dry_run) == {"dry_run": True}


def test_every_declared_field_has_a_key_even_when_absent() -> None:
    parsed = PARSER.parse(
        (Argument("path", required=False),),
        (PORT, NAME, FORCE, TAG),
        [],
    )
    assert parsed.arguments == {"path": None}
    assert parsed.options == {"port": None, "name": None, "force": False, "tag": []}


def test_empty_declarations_and_empty_argv_parse_to_nothing() -> None:
    parsed = PARSER.parse((), (), [])
    assert (parsed.arguments, parsed.options) == ({}, {})


def test_argv_may_be_any_sequence() -> None:
    assert PARSER.parse((), (PORT,), ("--port", "1")).options == {"port": 1}
