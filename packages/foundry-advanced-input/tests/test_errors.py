"""Bad input: one line naming the first problem as typed, and every problem in ``fields``."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from foundry.advanced_input import ArgvParser
from foundry.domain.commands import Argument, Option
from foundry.domain.errors import InputError, ValidationError

PARSER = ArgvParser()


def error_of(
    argv: Sequence[str], arguments: Sequence[Argument] = (), options: Sequence[Option] = ()
) -> InputError:
    with pytest.raises(InputError) as caught:
        PARSER.parse(arguments, options, argv)
    return caught.value


# The messages the brief (and the CLI's users) rely on, word for word.
@pytest.mark.parametrize(
    ("arguments", "options", "argv", "field", "message"),
    [
        ([Argument("name")], [], [], "name", "missing argument NAME"),
        ([], [Option("email", required=True)], [], "email", "missing --email"),
        (
            [],
            [Option("port", type="int")],
            ["--port", "abc"],
            "port",
            '--port: "abc" is not an integer',
        ),
        (
            [],
            [Option("driver", type="enum", choices=("memory", "redis"))],
            ["--driver", "disk"],
            "driver",
            '--driver: "disk" is not one of memory, redis',
        ),
        (
            [],
            [Option("color", type="bool")],
            ["--colour"],
            "colour",
            "unknown option --colour (did you mean --color?)",
        ),
        ([Argument("name")], [], ["a", "extra"], "arguments", 'too many arguments: "extra"'),
    ],
)
def test_one_line_messages(
    arguments: list[Argument], options: list[Option], argv: list[str], field: str, message: str
) -> None:
    error = error_of(argv, arguments, options)
    assert error.message == message
    assert error.field == field
    assert error.fields[field] == [message]


def test_input_errors_are_usage_errors_for_the_cli_and_422_for_http() -> None:
    error = error_of([], [Argument("name")])
    assert isinstance(error, ValidationError)
    assert (error.code, error.status) == ("INPUT_ERROR", 422)
    assert error.to_dict() == {
        "code": "INPUT_ERROR",
        "message": "missing argument NAME",
        "status": 422,
        "fields": {"name": ["missing argument NAME"]},
    }


def test_messages_name_options_the_way_they_were_typed() -> None:
    port = Option("port", type="int", short="p")
    assert error_of(["-p", "abc"], options=[port]).message == '-p: "abc" is not an integer'
    assert error_of(["-pabc"], options=[port]).message == '-p: "abc" is not an integer'
    assert error_of(["--port=abc"], options=[port]).message == '--port: "abc" is not an integer'


def test_every_problem_of_every_field_is_kept_for_callers_that_show_them_all() -> None:
    arguments = [Argument("name", rules=("min:3",)), Argument("count", type="int")]
    options = [
        Option("email", required=True, rules=("email",)),
        Option("port", type="int", rules=("between:1,65535",)),
        Option("tag", type="list", rules=("regex:^[a-z]+$",)),
    ]
    error = error_of(["ab", "x", "--port", "0", "--tag", "A,B"], arguments, options)
    assert error.fields == {
        "name": ['NAME: "ab" is too short (at least 3 characters)'],
        "count": ['COUNT: "x" is not an integer'],
        "port": ["--port: 0 is not between 1 and 65535"],
        "tag": [
            '--tag: "A" does not match the pattern ^[a-z]+$',
            '--tag: "B" does not match the pattern ^[a-z]+$',
        ],
        "email": ["missing --email"],
    }
    assert error.message == 'NAME: "ab" is too short (at least 3 characters)'
    assert error.field == "name"


def test_the_first_problem_is_the_first_in_typing_order() -> None:
    options = [Option("a", type="int"), Option("b", type="int")]
    assert (
        error_of(["--b", "x", "--a", "y"], options=options).message == '--b: "x" is not an integer'
    )
    assert (
        error_of(["--a", "y", "--b", "x"], options=options).message == '--a: "y" is not an integer'
    )


def test_typed_mistakes_come_before_missing_values() -> None:
    arguments = [Argument("name")]
    options = [Option("email", required=True), Option("port", type="int")]
    error = error_of(["--port", "abc"], arguments, options)
    assert error.message == '--port: "abc" is not an integer'
    assert list(error.fields) == ["port", "name", "email"]


def test_missing_values_are_listed_in_declaration_order() -> None:
    arguments = [Argument("source"), Argument("target")]
    options = [Option("b", required=True), Option("a", required=True)]
    error = error_of([], arguments, options)
    assert error.message == "missing argument SOURCE"
    assert error.fields == {
        "source": ["missing argument SOURCE"],
        "target": ["missing argument TARGET"],
        "b": ["missing --b"],
        "a": ["missing --a"],
    }


def test_required_is_checked_after_defaults_are_applied() -> None:
    arguments = [Argument("name", default="app")]
    options = [
        Option("driver", required=True, default="memory"),
        Option("tags", type="list", required=True, default=["web"]),
    ]
    parsed = PARSER.parse(arguments, options, [])
    assert parsed.arguments == {"name": "app"}
    assert parsed.options == {"driver": "memory", "tags": ["web"]}


def test_a_required_list_with_no_default_needs_an_item() -> None:
    options = [Option("tags", type="list", required=True)]
    assert error_of([], options=options).message == "missing --tags"
    assert error_of(["--tags="], options=options).message == "--tags: needs at least one item"
    arguments = [Argument("files", type="list")]
    assert error_of([], arguments).message == "missing argument FILES"


def test_a_required_value_typed_empty_is_refused_as_empty() -> None:
    assert error_of(["--name="], options=[Option("name", required=True)]).message == (
        "--name: must not be empty"
    )
    assert error_of([""], [Argument("name")]).message == "NAME: must not be empty"


def test_an_optional_value_may_be_typed_empty() -> None:
    assert PARSER.parse((), (Option("name"),), ["--name="]).options == {"name": ""}


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--port"], "--port needs a value"),
        (["-p"], "-p needs a value"),
        (["--port", "--force"], "--port needs a value"),
        (["--port", "-f"], "--port needs a value"),
        (["--port", "--"], "--port needs a value"),
        (
            ["--port", "-x"],
            '--port needs a value (write --port=VALUE when the value starts with "-")',
        ),
    ],
)
def test_an_option_without_its_value(argv: list[str], message: str) -> None:
    options = [Option("port", type="int", short="p"), Option("force", type="bool", short="f")]
    assert error_of(argv, options=options).message == message


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--colour"], "unknown option --colour (did you mean --color?)"),
        (["--colour=red"], "unknown option --colour (did you mean --color?)"),
        (["--no-colour"], "unknown option --no-colour (did you mean --no-color?)"),
        (["--dry"], "unknown option --dry (did you mean --dry-run?)"),
        (["--prot", "1"], "unknown option --prot (did you mean --port?)"),
        (["--Port=1"], "unknown option --Port (did you mean --port?)"),
        (["--zebra"], "unknown option --zebra"),
        (["-x"], "unknown option -x"),
        (["-cx"], 'unknown option -x (in "-cx")'),
        (["--no-port"], "unknown option --no-port (--port takes a value, it is not a flag)"),
    ],
)
def test_unknown_options_are_named_with_a_hint_when_one_is_close(
    argv: list[str], message: str
) -> None:
    options = [
        Option("color", type="bool", short="c"),
        Option("dry-run", type="bool"),
        Option("port", type="int"),
    ]
    assert error_of(argv, options=options).message == message


def test_a_required_option_typed_without_its_value_is_reported_once() -> None:
    error = error_of(["--email"], options=[Option("email", required=True)])
    assert error.fields == {"email": ["--email needs a value"]}


def test_a_command_without_options_refuses_every_option() -> None:
    assert error_of(["--force"]).message == "unknown option --force"


def test_an_unknown_option_does_not_also_blame_its_value_as_a_surplus_argument() -> None:
    error = error_of(["app", "--colour", "red"], [Argument("name")])
    assert error.fields == {"colour": ["unknown option --colour"]}


def test_an_argument_typed_as_an_option_is_pointed_at_its_positional_form() -> None:
    error = error_of(["--name", "api"], [Argument("name", required=False)])
    assert error.message == (
        "unknown option --name (NAME is an argument: type its value alone, without --name)"
    )


def test_surplus_words_are_all_listed() -> None:
    error = error_of(["a", "b", "c"], [Argument("name")])
    assert error.message == 'too many arguments: "b", "c"'
    assert error_of(["a"]).message == 'too many arguments: "a"'


def test_flags_refuse_values_in_their_negative_and_short_forms() -> None:
    options = [Option("force", type="bool", short="f")]
    assert error_of(["--no-force=1"], options=options).message == "--no-force takes no value"
    assert error_of(["-f=1"], options=options).message == "-f is a flag and takes no value"


def test_a_bad_value_loses_nothing_else_the_user_typed() -> None:
    """Each field is judged on its own: one mistake does not hide or alter the others."""
    options = [Option("port", type="int"), Option("host", rules=("min:50",))]
    error = error_of(["--port", "x", "--host", "localhost"], options=options)
    assert set(error.fields) == {"port", "host"}
