"""Each declared type converts what people type, and says plainly what it cannot convert."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from foundry.advanced_input import ArgvParser
from foundry.domain.commands import Argument, Option, ParamType
from foundry.domain.errors import InputError

PARSER = ArgvParser()


def value(kind: ParamType, raw: str, **extra: Any) -> Any:
    return PARSER.parse((), (Option("v", type=kind, **extra),), [f"--v={raw}"]).options["v"]


def problem(kind: ParamType, raw: str, **extra: Any) -> str:
    with pytest.raises(InputError) as caught:
        value(kind, raw, **extra)
    return caught.value.message


@pytest.mark.parametrize(
    ("kind", "raw", "expected"),
    [
        ("str", "hello world", "hello world"),
        ("str", "", ""),
        ("int", "42", 42),
        ("int", "-7", -7),
        ("int", "+7", 7),
        ("int", "007", 7),
        ("float", "2.5", 2.5),
        ("float", "-0.5", -0.5),
        ("float", ".5", 0.5),
        ("float", "3", 3.0),
        ("float", "1e3", 1000.0),
        ("bool", "true", True),
        ("bool", "FALSE", False),
        ("bool", "on", True),
        ("bool", "no", False),
        ("path", "storage/app", Path("storage/app")),
        ("path", "~/notes.txt", Path("~/notes.txt")),  # no expansion behind the user's back
        ("list", "a,b", ["a", "b"]),
    ],
)
def test_values_convert_to_the_declared_type(kind: ParamType, raw: str, expected: Any) -> None:
    converted = value(kind, raw)
    assert converted == expected
    assert type(converted) is type(expected)


def test_int_values_are_python_ints_and_float_values_are_floats() -> None:
    assert isinstance(value("int", "10"), int)
    assert isinstance(value("float", "10"), float)


@pytest.mark.parametrize(
    ("kind", "raw", "message"),
    [
        ("int", "abc", '--v: "abc" is not an integer'),
        ("int", "1.5", '--v: "1.5" is not an integer'),
        ("int", "", '--v: "" is not an integer'),
        ("int", " 1", '--v: " 1" is not an integer'),
        ("int", "1_000", '--v: "1_000" is not an integer'),
        ("int", "١٢", '--v: "١٢" is not an integer'),  # non-ASCII digits
        ("float", "abc", '--v: "abc" is not a number'),
        ("float", "nan", '--v: "nan" is not a number'),
        ("float", "inf", '--v: "inf" is not a number'),
        ("float", "1,5", '--v: "1,5" is not a number'),
        ("path", "", "--v: the path is empty"),
    ],
)
def test_values_that_cannot_convert_are_named_with_their_text(
    kind: ParamType, raw: str, message: str
) -> None:
    assert problem(kind, raw) == message


def test_a_flag_given_a_value_that_is_not_a_boolean_says_what_is_accepted() -> None:
    assert problem("bool", "maybe") == (
        '--v: "maybe" is not true or false (use true/false, yes/no, on/off or 1/0)'
    )


def test_a_bool_argument_is_typed_as_a_word() -> None:
    declared = (Argument("enabled", type="bool"),)
    assert PARSER.parse(declared, (), ["yes"]).arguments == {"enabled": True}
    with pytest.raises(InputError) as caught:
        PARSER.parse(declared, (), ["maybe"])
    assert caught.value.message == (
        'ENABLED: "maybe" is not true or false (use true/false, yes/no, on/off or 1/0)'
    )


DRIVER = Option("driver", type="enum", choices=("memory", "redis"))


def test_enum_accepts_only_its_choices() -> None:
    assert PARSER.parse((), (DRIVER,), ["--driver", "redis"]).options == {"driver": "redis"}


def test_enum_refusal_lists_the_choices() -> None:
    with pytest.raises(InputError) as caught:
        PARSER.parse((), (DRIVER,), ["--driver", "disk"])
    assert caught.value.message == '--driver: "disk" is not one of memory, redis'


def test_enum_is_case_sensitive_and_hints_the_right_case() -> None:
    with pytest.raises(InputError) as caught:
        PARSER.parse((), (DRIVER,), ["--driver", "Redis"])
    assert caught.value.message == (
        '--driver: "Redis" is not one of memory, redis (did you mean redis?)'
    )


def test_enum_hints_a_near_miss() -> None:
    with pytest.raises(InputError) as caught:
        PARSER.parse((), (DRIVER,), ["--driver", "memroy"])
    assert caught.value.message.endswith("(did you mean memory?)")


def test_choices_also_restrict_str_and_list_declarations() -> None:
    env = Option("env", choices=("local", "production"))
    only = Option("only", type="list", choices=("users", "posts"))
    assert PARSER.parse((), (env, only), ["--env=local", "--only=users,posts"]).options == {
        "env": "local",
        "only": ["users", "posts"],
    }
    with pytest.raises(InputError) as caught:
        PARSER.parse((), (env, only), ["--only=users,tags"])
    assert caught.value.message == '--only: "tags" is not one of users, posts'


def test_enum_arguments_name_the_argument() -> None:
    declared = (Argument("driver", type="enum", choices=("memory", "redis")),)
    with pytest.raises(InputError) as caught:
        PARSER.parse(declared, (), ["disk"])
    assert caught.value.message == 'DRIVER: "disk" is not one of memory, redis'


@pytest.mark.parametrize(
    ("declared", "expected"),
    [
        (Option("v"), None),
        (Option("v", default="x"), "x"),
        (Option("v", type="int", default=8000), 8000),
        (Option("v", type="path", default=Path("out")), Path("out")),
        (Option("v", type="bool"), False),
        (Option("v", type="bool", default=True), True),
        (Option("v", type="list"), []),
        (Option("v", type="list", default=("a", "b")), ["a", "b"]),
        (Option("v", type="list", default="a,b"), ["a", "b"]),
        (Option("v", type="enum", choices=("a", "b"), default="b"), "b"),
    ],
)
def test_absent_values_take_the_declared_default(declared: Option, expected: Any) -> None:
    assert PARSER.parse((), (declared,), []).options == {"v": expected}


@pytest.mark.parametrize(
    ("declared", "expected"),
    [
        (Argument("v", required=False), None),
        (Argument("v", required=False, default="x"), "x"),
        (Argument("v", type="int", required=False, default=3), 3),
        (Argument("v", type="list", required=False), []),
        (Argument("v", type="list", required=False, default=["a"]), ["a"]),
    ],
)
def test_absent_arguments_take_the_declared_default(declared: Argument, expected: Any) -> None:
    assert PARSER.parse((declared,), (), []).arguments == {"v": expected}


def test_list_defaults_are_copied_so_one_run_cannot_change_the_next() -> None:
    shared = ["a"]
    declared = (Option("tags", type="list", default=shared),)
    first = PARSER.parse((), declared, []).options["tags"]
    first.append("mutated")
    assert PARSER.parse((), declared, []).options["tags"] == ["a"]
    assert shared == ["a"]


def test_list_items_are_strings() -> None:
    assert value("list", "1,2") == ["1", "2"]
