"""Laravel-style rules: each one accepts what it should and explains what it refuses."""

from __future__ import annotations

from pathlib import Path

import pytest

from foundry.advanced_input import RULE_NAMES, ArgvParser
from foundry.domain.commands import Argument, Option, ParamType
from foundry.domain.errors import InputError

PARSER = ArgvParser()


def check(rule: str, raw: str, kind: ParamType = "str") -> str | None:
    """The problems ``--v=raw`` meets under ``rule`` (joined), or None when accepted."""
    declared = (Option("v", type=kind, rules=(rule,)),)
    try:
        PARSER.parse((), declared, [f"--v={raw}"])
    except InputError as error:
        return " / ".join(error.fields["v"])
    return None


def test_the_documented_rule_names_are_known() -> None:
    assert set(RULE_NAMES) == {
        "required",
        *("min", "max", "between", "regex", "email", "url", "in"),
        *("file", "dir", "integer", "numeric"),
    }


@pytest.mark.parametrize(
    ("rule", "raw", "kind", "problem"),
    [
        # min / max / between measure text by its length...
        ("min:3", "abc", "str", None),
        ("min:3", "ab", "str", '--v: "ab" is too short (at least 3 characters)'),
        ("min:1", "", "str", '--v: "" is too short (at least 1 character)'),
        ("max:3", "abc", "str", None),
        ("max:3", "abcd", "str", '--v: "abcd" is too long (at most 3 characters)'),
        ("between:2,3", "ab", "str", None),
        ("between:2,3", "a", "str", '--v: "a" must be 2 to 3 characters long'),
        ("between:2,3", "abcd", "str", '--v: "abcd" must be 2 to 3 characters long'),
        ("min:2", "ab", "path", None),
        ("max:1", "ab", "path", '--v: "ab" is too long (at most 1 character)'),
        ("max:3", "ééé", "str", None),  # characters, not bytes
        # ...and numbers by their value.
        ("min:1024", "1024", "int", None),
        ("min:1024", "80", "int", "--v: 80 is too small (at least 1024)"),
        ("max:65535", "70000", "int", "--v: 70000 is too large (at most 65535)"),
        ("between:1,10", "10", "int", None),
        ("between:1,10", "0", "int", "--v: 0 is not between 1 and 10"),
        ("min:-5", "-5", "int", None),
        ("min:0.5", "0.25", "float", "--v: 0.25 is too small (at least 0.5)"),
        ("between:0,1", "0.5", "float", None),
        ("max:1.5", "1.5", "float", None),
        # regex
        ("regex:^[a-z]+$", "slug", "str", None),
        ("regex:^[a-z]+$", "Slug", "str", '--v: "Slug" does not match the pattern ^[a-z]+$'),
        ("regex:[0-9]", "a1b", "str", None),  # searched, not anchored unless the pattern is
        ("regex:^a|b$", "ab", "str", None),  # pipes and commas stay in the pattern
        (
            "regex:^[a-z]{1,3}$",
            "abcd",
            "str",
            '--v: "abcd" does not match the pattern ^[a-z]{1,3}$',
        ),
        ("regex:/^[a-z]+$/i", "SLUG", "str", None),  # Laravel's delimited form, with flags
        ("regex:/^[a-z]+$/", "SLUG", "str", '--v: "SLUG" does not match the pattern ^[a-z]+$'),
        ("regex:^[0-9]{4}$", "2024", "int", None),  # numbers are matched as typed
        # email
        ("email", "ada@example.com", "str", None),
        ("email", "ada.lovelace+tag@mail.example.org", "str", None),
        ("email", "ada", "str", '--v: "ada" is not an e-mail address'),
        ("email", "ada@example", "str", '--v: "ada@example" is not an e-mail address'),
        ("email", "ada@@example.com", "str", '--v: "ada@@example.com" is not an e-mail address'),
        ("email", "a da@example.com", "str", '--v: "a da@example.com" is not an e-mail address'),
        ("email", "ada@example..com", "str", '--v: "ada@example..com" is not an e-mail address'),
        # url: a scheme and a host
        ("url", "https://example.com", "str", None),
        ("url", "http://localhost:8000/path?q=1", "str", None),
        ("url", "redis://cache:6379/0", "str", None),
        ("url", "example.com", "str", "not a URL"),
        ("url", "localhost:8000", "str", "not a URL"),
        ("url", "https://", "str", "not a URL"),
        ("url", "http://host:99999", "str", "not a URL"),
        ("url", "http://exa mple.com", "str", "not a URL"),
        ("url", "http://[::1", "str", "not a URL"),
        # in
        ("in:local,staging,production", "staging", "str", None),
        (
            "in:local,staging,production",
            "prod",
            "str",
            '--v: "prod" is not one of local, staging, production',
        ),
        ("in:a, b", "b", "str", None),  # spaces after commas are ignored
        ("in:1,2,3", "2", "int", None),
        ("in:1,2,3", "02", "int", None),  # numbers compare by value
        ("in:1,2,3", "4", "int", '--v: "4" is not one of 1, 2, 3'),
        ("in:0.5,1", "0.50", "float", None),
        # integer / numeric check text
        ("integer", "12", "str", None),
        ("integer", "-12", "str", None),
        ("integer", "1.5", "str", '--v: "1.5" is not an integer'),
        ("integer", "2.0", "float", None),
        ("integer", "2.5", "float", '--v: "2.5" is not an integer'),
        ("integer", "3", "int", None),
        ("numeric", "1.5", "str", None),
        ("numeric", "-2e3", "str", None),
        ("numeric", "abc", "str", '--v: "abc" is not a number'),
        ("numeric", "3", "int", None),
    ],
)
def test_rule_outcomes(rule: str, raw: str, kind: ParamType, problem: str | None) -> None:
    found = check(rule, raw, kind)
    if problem is None:
        assert found is None
    else:
        assert found is not None
        assert problem in found


def test_url_message_shows_the_expected_shape() -> None:
    assert check("url", "example.com") == (
        '--v: "example.com" is not a URL (expected scheme://host, such as https://example.com)'
    )


def test_file_rule_wants_an_existing_file(tmp_path: Path) -> None:
    present = tmp_path / "config.toml"
    present.write_text("")
    assert check("file", str(present)) is None
    assert check("file", str(tmp_path / "nope.toml")) == (
        f'--v: file "{tmp_path / "nope.toml"}" does not exist'
    )
    assert check("file", str(tmp_path)) == f'--v: "{tmp_path}" is a directory, not a file'
    assert check("file", str(present), kind="path") is None


def test_dir_rule_wants_an_existing_directory(tmp_path: Path) -> None:
    present = tmp_path / "config.toml"
    present.write_text("")
    assert check("dir", str(tmp_path)) is None
    assert check("dir", str(tmp_path / "nope")) == (
        f'--v: directory "{tmp_path / "nope"}" does not exist'
    )
    assert check("dir", str(present)) == f'--v: "{present}" is a file, not a directory'


def test_file_rule_resolves_relative_paths_from_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "here.txt").write_text("")
    monkeypatch.chdir(tmp_path)
    assert check("file", "here.txt") is None


def test_every_failing_rule_of_a_field_is_reported() -> None:
    problems = check("min:3", "A")
    assert problems == '--v: "A" is too short (at least 3 characters)'
    declared = (Option("slug", rules=("min:3", "regex:^[a-z]+$")),)
    with pytest.raises(InputError) as caught:
        PARSER.parse((), declared, ["--slug", "A"])
    assert caught.value.fields == {
        "slug": [
            '--slug: "A" is too short (at least 3 characters)',
            '--slug: "A" does not match the pattern ^[a-z]+$',
        ]
    }


TAGS = Option("tag", type="list", rules=("min:2", "max:3", "regex:^[a-z]+$"))


def test_list_rules_count_items_for_size_and_check_each_item_otherwise() -> None:
    assert PARSER.parse((), (TAGS,), ["--tag=a,b,c"]).options == {"tag": ["a", "b", "c"]}
    with pytest.raises(InputError) as caught:
        PARSER.parse((), (TAGS,), ["--tag", "A,b", "--tag=c,D"])
    assert caught.value.fields == {
        "tag": [
            '--tag: "A" does not match the pattern ^[a-z]+$',
            '--tag: "D" does not match the pattern ^[a-z]+$',
            "--tag: takes at most 3 items (got 4)",
        ]
    }


@pytest.mark.parametrize(
    ("rule", "argv", "problem"),
    [
        ("min:2", ["--tag=a"], "--tag: needs at least 2 items (got 1)"),
        ("min:1", ["--tag="], "--tag: needs at least 1 item (got 0)"),
        ("max:1", ["--tag=a,b"], "--tag: takes at most 1 item (got 2)"),
        ("between:2,3", ["--tag=a,b,c,d"], "--tag: needs 2 to 3 items (got 4)"),
    ],
)
def test_list_size_messages(rule: str, argv: list[str], problem: str) -> None:
    with pytest.raises(InputError) as caught:
        PARSER.parse((), (Option("tag", type="list", rules=(rule,)),), argv)
    assert caught.value.message == problem


def test_list_item_rules_apply_to_each_positional_word() -> None:
    declared = (Argument("emails", type="list", rules=("email", "max:2")),)
    assert PARSER.parse(declared, (), ["a@b.io", "c@d.io"]).arguments == {
        "emails": ["a@b.io", "c@d.io"]
    }
    with pytest.raises(InputError) as caught:
        PARSER.parse(declared, (), ["a@b.io", "nope", "c@d.io"])
    assert caught.value.fields == {
        "emails": [
            'EMAILS: "nope" is not an e-mail address',
            "EMAILS: takes at most 2 items (got 3)",
        ]
    }


def test_rules_apply_to_arguments_too() -> None:
    declared = (Argument("name", rules=("min:3",)),)
    with pytest.raises(InputError) as caught:
        PARSER.parse(declared, (), ["ab"])
    assert caught.value.message == 'NAME: "ab" is too short (at least 3 characters)'


def test_rules_do_not_judge_declared_defaults() -> None:
    declared = (
        Option("port", type="int", default=80, rules=("min:1024",)),
        Option("email", default="not-an-email", rules=("email",)),
    )
    assert PARSER.parse((), declared, []).options == {"port": 80, "email": "not-an-email"}


def test_rules_do_not_run_on_a_value_that_failed_conversion() -> None:
    with pytest.raises(InputError) as caught:
        PARSER.parse((), (Option("port", type="int", rules=("min:1024",)),), ["--port=abc"])
    assert caught.value.fields == {"port": ['--port: "abc" is not an integer']}


def test_required_rule_works_like_required_true() -> None:
    declared = (Option("email", rules=("required", "email")),)
    with pytest.raises(InputError) as caught:
        PARSER.parse((), declared, [])
    assert caught.value.message == "missing --email"
    assert PARSER.parse((), declared, ["--email=a@b.io"]).options == {"email": "a@b.io"}


def test_required_rule_on_an_optional_argument_makes_it_required() -> None:
    declared = (Argument("name", required=False, rules=("required",)),)
    with pytest.raises(InputError) as caught:
        PARSER.parse(declared, (), [])
    assert caught.value.message == "missing argument NAME"


@pytest.mark.parametrize("rule", ["min:3", "regex:^a", "email", "in:a,b"])
def test_rules_apply_to_what_was_typed_even_when_empty(rule: str) -> None:
    assert check(rule, "") is not None
