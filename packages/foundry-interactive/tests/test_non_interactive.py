"""Under ``-n`` or without a terminal: defaults or ``missing --name``, never a read."""

from __future__ import annotations

import io
import os
import pty
import subprocess
import sys
from collections.abc import Iterator

import pytest

from foundry.domain.console import Prompter
from foundry.domain.errors import CommandError, InputError
from foundry.interactive import TerminalPrompter


class UntouchableStdin(io.TextIOBase):
    """A stdin that fails the test if anything reads from it."""

    def isatty(self) -> bool:
        return False

    def read(self, size: int | None = -1) -> str:
        raise AssertionError("stdin was read")

    def readline(self, size: int | None = -1) -> str:  # type: ignore[override]
        raise AssertionError("stdin was read")

    def fileno(self) -> int:
        raise AssertionError("stdin was opened as a terminal")


@pytest.fixture
def quiet() -> TerminalPrompter:
    return TerminalPrompter(interactive=False, stdin=UntouchableStdin(), stdout=io.StringIO())


def test_terminal_prompter_implements_the_prompter_contract(quiet: TerminalPrompter) -> None:
    assert isinstance(quiet, Prompter)
    assert quiet.interactive is False


def test_every_method_returns_its_default_without_reading_stdin(quiet: TerminalPrompter) -> None:
    assert quiet.ask("What is your name?", default="world") == "world"
    assert quiet.ask("Prefix?", default="") == ""
    assert quiet.confirm("Continue?") is False
    assert quiet.confirm("Continue?", default=True) is True
    assert quiet.choice("Database?", ["sqlite", "postgres"], default="postgres") == "postgres"
    assert quiet.multi_choice("Features?", ["auth", "mail"], default=["mail"]) == ["mail"]
    assert quiet.autocomplete("Model?", ["User", "Post"], default="Post") == "Post"


def test_nothing_is_written_when_nobody_is_asked() -> None:
    screen = io.StringIO()
    prompter = TerminalPrompter(interactive=False, stdin=UntouchableStdin(), stdout=screen)
    prompter.choice("Database?", ["sqlite", "postgres"], default="sqlite")
    assert screen.getvalue() == ""


def test_the_default_is_not_validated_again(quiet: TerminalPrompter) -> None:
    assert quiet.ask("Port?", default="8000", validate=lambda value: "never shown") == "8000"


@pytest.mark.parametrize(
    ("ask", "message"),
    [
        (lambda p: p.ask("What is your name?", field="name"), "missing --name"),
        (lambda p: p.ask("What is your name?"), "missing --what-is-your-name"),
        (lambda p: p.secret("Password", field="password"), "missing --password"),
        (lambda p: p.secret("Database password?"), "missing --database-password"),
        (lambda p: p.choice("Which driver?", ["sqlite", "redis"]), "missing --which-driver"),
        (lambda p: p.multi_choice("Features?", ["auth"], field="features"), "missing --features"),
        (lambda p: p.autocomplete("Model?", ["User"], field="model"), "missing --model"),
    ],
)
def test_no_default_raises_input_error_naming_the_option(
    quiet: TerminalPrompter, ask, message: str
) -> None:
    with pytest.raises(InputError) as caught:
        ask(quiet)
    assert caught.value.message == message
    assert caught.value.field == message.removeprefix("missing --")


def test_mistaken_choice_calls_fail_even_without_a_terminal(quiet: TerminalPrompter) -> None:
    with pytest.raises(CommandError, match="no choices"):
        quiet.choice("Driver?", [], default=None)
    with pytest.raises(CommandError, match='default "oracle"'):
        quiet.choice("Driver?", ["sqlite"], default="oracle")
    with pytest.raises(CommandError, match='default "sms"'):
        quiet.multi_choice("Channels?", ["mail"], default=["mail", "sms"])


def test_auto_mode_is_not_interactive_when_streams_are_not_terminals() -> None:
    assert TerminalPrompter(stdin=io.StringIO(), stdout=io.StringIO()).interactive is False


def test_auto_mode_is_not_interactive_when_a_stream_is_closed() -> None:
    closed = io.StringIO()
    closed.close()
    assert TerminalPrompter(stdin=closed, stdout=io.StringIO()).interactive is False


@pytest.fixture
def terminal_streams() -> Iterator[tuple[io.TextIOWrapper, io.TextIOWrapper]]:
    leader, follower = pty.openpty()
    with open(follower, closefd=False) as stdin, open(follower, "w", closefd=False) as stdout:
        yield stdin, stdout
    os.close(follower)
    os.close(leader)


def test_auto_mode_is_interactive_only_when_stdin_and_stdout_are_terminals(
    terminal_streams: tuple[io.TextIOWrapper, io.TextIOWrapper],
) -> None:
    stdin, stdout = terminal_streams
    assert TerminalPrompter(stdin=stdin, stdout=stdout).interactive is True
    assert TerminalPrompter(stdin=stdin, stdout=io.StringIO()).interactive is False
    assert TerminalPrompter(stdin=io.StringIO(), stdout=stdout).interactive is False


def test_explicit_no_interaction_wins_over_a_terminal(
    terminal_streams: tuple[io.TextIOWrapper, io.TextIOWrapper],
) -> None:
    stdin, stdout = terminal_streams
    prompter = TerminalPrompter(interactive=False, stdin=stdin, stdout=stdout)
    assert prompter.interactive is False
    assert prompter.ask("Name?", default="world") == "world"


def test_discovering_the_provider_loads_neither_prompt_toolkit_nor_the_prompter() -> None:
    code = (
        "import sys, foundry.interactive.provider;"
        "print('prompt_toolkit' in sys.modules, 'foundry.interactive.prompter' in sys.modules);"
        "from foundry.interactive import TerminalPrompter;"
        "TerminalPrompter(interactive=False).ask('Name?', default='x');"
        "print('prompt_toolkit' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["False", "False", "False"]
