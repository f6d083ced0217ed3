"""A declaration the parser cannot honour is a bug in the command, reported as such."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from foundry.advanced_input import ArgvParser, DeclarationError
from foundry.domain.commands import Argument, Option, ParamType
from foundry.domain.errors import ConfigurationError, InputError

PARSER = ArgvParser()


def declaration_error(
    arguments: Sequence[Argument] = (), options: Sequence[Option] = (), argv: Sequence[str] = ()
) -> str:
    with pytest.raises(DeclarationError) as caught:
        PARSER.parse(arguments, options, argv)
    return caught.value.message


def test_an_unknown_rule_names_the_rule_and_the_option() -> None:
    message = declaration_error(options=[Option("email", rules=("emial",))])
    assert message.startswith(
        'Invalid declaration of option --email: unknown rule "emial" (did you mean email?); '
        "known rules: required, min, max"
    )


def test_an_unknown_rule_names_the_argument() -> None:
    message = declaration_error(arguments=[Argument("name", rules=("alpha",))])
    assert message.startswith('Invalid declaration of argument NAME: unknown rule "alpha"')


def test_an_unknown_rule_is_refused_even_when_the_input_is_fine_or_absent() -> None:
    """Raised at parse time, before input is read: a typo must not hide behind a default."""
    declared = [Option("email", rules=("emial",))]
    declaration_error(options=declared, argv=[])
    declaration_error(options=declared, argv=["--email=a@b.io"])


def test_an_unknown_rule_is_a_configuration_error_not_an_input_error() -> None:
    with pytest.raises(ConfigurationError) as caught:
        PARSER.parse((), (Option("email", rules=("emial",)),), ())
    assert not isinstance(caught.value, InputError)
    assert caught.value.status == 500
    assert caught.value.code == "INPUT_DECLARATION_ERROR"


def test_a_required_flag_is_refused() -> None:
    message = declaration_error(options=[Option("force", type="bool", required=True)])
    assert message.startswith(
        'Invalid declaration of option --force: a flag (type="bool") cannot be required'
    )


def test_a_required_rule_on_a_flag_is_refused_too() -> None:
    message = declaration_error(options=[Option("force", type="bool", rules=("required",))])
    assert "cannot be required" in message


def test_pipe_joined_rules_are_refused_with_the_tuple_form_as_fix() -> None:
    message = declaration_error(options=[Option("name", rules=("required|min:3",))])
    assert 'rules=("required", "min:3")' in message


@pytest.mark.parametrize(
    ("kind", "rule", "fragment"),
    [
        ("str", "min", 'rule "min" needs a parameter (min:...)'),
        ("str", "min:abc", 'rule "min:abc" needs a whole number'),
        ("str", "min:2.5", 'rule "min:2.5" needs a whole number'),
        ("str", "max:-1", 'rule "max:-1" needs a length of 0 or more'),
        ("int", "max:ten", 'rule "max:ten" needs a number'),
        ("int", "between:1", 'rule "between:1" needs two bounds (between:1,10)'),
        ("int", "between:10,1", 'rule "between:10,1" has its bounds the wrong way round'),
        ("str", "regex:[a-", 'rule "regex:[a-" is not a valid regular expression'),
        ("str", "regex:", 'rule "regex:" needs a pattern'),
        ("str", "in:", 'rule "in:" needs a list of values (in:a,b,c)'),
        ("str", "in:a,,b", 'rule "in:a,,b" needs a list of values'),
        ("int", "in:1,two", 'rule "in:1,two" needs a number'),
        ("str", "email:rfc", 'rule "email" takes no parameter; write "email"'),
        ("str", "required:yes", 'rule "required" takes no parameter'),
        ("str", "", 'unknown rule ""'),
    ],
)
def test_malformed_rules_say_what_is_wrong(kind: ParamType, rule: str, fragment: str) -> None:
    message = declaration_error(options=[Option("v", type=kind, rules=(rule,))])
    assert message.startswith("Invalid declaration of option --v: ")
    assert fragment in message


def test_rules_on_a_true_false_value_are_refused() -> None:
    message = declaration_error(options=[Option("force", type="bool", rules=("min:1",))])
    assert 'rule "min:1" cannot apply to a true/false value' in message
    message = declaration_error(arguments=[Argument("on", type="bool", rules=("in:a",))])
    assert message.startswith("Invalid declaration of argument ON")


def test_an_enum_without_choices_is_refused() -> None:
    message = declaration_error(options=[Option("driver", type="enum")])
    assert 'type="enum" needs choices' in message
    message = declaration_error(arguments=[Argument("driver", type="enum")])
    assert message.startswith("Invalid declaration of argument DRIVER")


def test_a_list_argument_must_be_last() -> None:
    message = declaration_error(arguments=[Argument("files", type="list"), Argument("out")])
    assert 'argument FILES: a type="list" argument collects the remaining words' in message


def test_a_required_argument_may_not_follow_an_optional_one() -> None:
    message = declaration_error(arguments=[Argument("source", required=False), Argument("target")])
    assert "argument TARGET: required, but declared after the optional argument SOURCE" in message


def test_a_required_argument_with_a_default_counts_as_optional_for_ordering() -> None:
    message = declaration_error(arguments=[Argument("source", default="."), Argument("target")])
    assert "after the optional argument SOURCE" in message


def test_optional_arguments_may_follow_required_ones() -> None:
    declared = (Argument("source"), Argument("target", required=False, default="out"))
    assert PARSER.parse(declared, (), ["in"]).arguments == {"source": "in", "target": "out"}


@pytest.mark.parametrize(
    ("arguments", "options", "fragment"),
    [
        ([Argument("a"), Argument("a")], [], "argument A: declared twice"),
        ([], [Option("port"), Option("port")], "option --port: declared twice"),
        (
            [],
            [Option("dry-run"), Option("dry_run")],
            "option --dry_run: stored under the key 'dry_run', as --dry-run is",
        ),
        (
            [],
            [Option("port", short="p"), Option("path", short="p")],
            "option --path: -p is already the short of --port",
        ),
        ([], [Option("--force", type="bool")], "option '--force': option names have no leading"),
        ([], [Option("a=b")], "option 'a=b'"),
        ([], [Option("dry run")], "option 'dry run'"),
        ([], [Option("")], "option ''"),
        ([], [Option("x", short="-")], "option --x: short '-' cannot be typed as --"),
        ([Argument("")], [], "argument #1: an argument needs a name"),
    ],
)
def test_names_must_be_usable_and_unique(
    arguments: list[Argument], options: list[Option], fragment: str
) -> None:
    assert fragment in declaration_error(arguments, options)
