"""Properties over generated input: every form round-trips, and nothing but InputError escapes."""

from __future__ import annotations

import string

from hypothesis import given
from hypothesis import strategies as st

from foundry.advanced_input import ArgvParser
from foundry.domain.commands import Argument, Option
from foundry.domain.errors import InputError

PARSER = ArgvParser()
PORT = Option("port", type="int", short="p")
NAME = Option("name", short="n")
TAG = Option("tag", type="list", short="t")
FORCE = Option("force", type="bool", short="f")
RATIO = Option("ratio", type="float", rules=("between:0,1",))
DRIVER = Option("driver", type="enum", choices=("memory", "redis"))
DECLARED_OPTIONS = (PORT, NAME, TAG, FORCE, RATIO, DRIVER)
DECLARED_ARGUMENTS = (Argument("command"), Argument("files", type="list", required=False))


@given(st.integers(), st.sampled_from(["--port {}", "--port={}", "-p {}", "-p{}", "-p={}"]))
def test_any_integer_round_trips_in_any_form(number: int, form: str) -> None:
    argv = form.format(number).split(" ")
    assert PARSER.parse((), (PORT,), argv).options == {"port": number}


@given(st.text())
def test_any_text_round_trips_when_attached_with_equals(text: str) -> None:
    assert PARSER.parse((), (NAME,), [f"--name={text}"]).options == {"name": text}


@given(st.text().filter(lambda t: not t.startswith("-")))
def test_any_text_not_starting_with_a_dash_round_trips_as_the_next_word(text: str) -> None:
    assert PARSER.parse((), (NAME,), ["--name", text]).options == {"name": text}


ITEM = st.text(alphabet=string.ascii_letters + string.digits + "._/:@", min_size=1)


@given(st.lists(st.lists(ITEM, min_size=1, max_size=4), max_size=5), st.booleans())
def test_list_items_survive_any_mix_of_repetition_and_commas(
    groups: list[list[str]], short: bool
) -> None:
    argv: list[str] = []
    for group in groups:
        argv += ["-t" if short else "--tag", ",".join(group)]
    expected = [item for group in groups for item in group]
    assert PARSER.parse((), (TAG,), argv).options == {"tag": expected}


@given(st.lists(st.text(), max_size=6))
def test_words_after_double_dash_are_kept_exactly(words: list[str]) -> None:
    parsed = PARSER.parse(DECLARED_ARGUMENTS, DECLARED_OPTIONS, ["run", "--", *words])
    assert parsed.arguments == {"command": "run", "files": words}


WORDS = st.one_of(
    st.sampled_from(
        [
            "--port",
            "--port=80",
            "-p",
            "-p8",
            "--name",
            "-n",
            "--tag",
            "--tag=a,b",
            "-t",
            "--force",
            "--no-force",
            "-f",
            "-fp",
            "--ratio",
            "--ratio=2",
            "--driver",
            "--driver=disk",
            "--colour",
            "-x",
            "--",
            "-",
            "-5",
            "redis",
            "0.5",
            "80",
            "",
        ]
    ),
    st.text(max_size=8),
)


@given(st.lists(WORDS, max_size=10))
def test_any_argv_parses_or_raises_a_one_line_input_error(argv: list[str]) -> None:
    failure: InputError | None = None
    try:
        parsed = PARSER.parse(DECLARED_ARGUMENTS, DECLARED_OPTIONS, argv)
    except InputError as error:
        failure = error
    if failure is not None:
        assert failure.message in failure.fields[failure.field]
        assert all(failure.fields.values())
        assert "\n" not in failure.message or "\n" in "".join(argv)
        return
    assert set(parsed.options) == {o.dest for o in DECLARED_OPTIONS}
    assert set(parsed.arguments) == {"command", "files"}
    assert isinstance(parsed.options["force"], bool)
    assert isinstance(parsed.options["tag"], list)


@given(st.lists(WORDS, max_size=10))
def test_parsing_is_deterministic(argv: list[str]) -> None:
    def outcome() -> object:
        try:
            return PARSER.parse(DECLARED_ARGUMENTS, DECLARED_OPTIONS, argv)
        except InputError as error:
            return (error.message, error.fields)

    assert outcome() == outcome()
