"""Each prompt, typed into through prompt_toolkit's pipe input."""

from __future__ import annotations

import io
import threading
from collections.abc import Callable

import pytest
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from foundry.domain.errors import InputError
from foundry.interactive import TerminalPrompter

Typed = Callable[..., TerminalPrompter]

DATABASES = ["sqlite", "postgres", "mysql"]
CTRL_C = "\x03"
CTRL_D = "\x04"


# --- ask -------------------------------------------------------------------------------


def test_ask_returns_the_typed_line(typed: Typed) -> None:
    assert typed("Ada Lovelace\r").ask("What is your name?", default="world") == "Ada Lovelace"


def test_ask_shows_the_default_and_enter_accepts_it(typed: Typed) -> None:
    screen = io.StringIO()
    assert typed("\r", screen=screen).ask("What is your name?", default="world") == "world"
    assert "What is your name? [world]" in screen.getvalue()


def test_ask_trims_surrounding_spaces(typed: Typed) -> None:
    assert typed("   Ada  \r").ask("Name?") == "Ada"


def test_ask_reasks_with_the_validation_message_until_valid(typed: Typed) -> None:
    seen: list[str] = []

    def long_enough(value: str) -> str | None:
        seen.append(value)
        return None if len(value) >= 3 else "Use at least 3 characters."

    screen = io.StringIO()
    answer = typed("ab\rabc\r", screen=screen).ask("Name?", validate=long_enough)
    assert answer == "abc"
    assert seen == ["ab", "abc"]
    assert "Use at least 3 characters." in screen.getvalue()


def test_ask_reasks_when_empty_and_no_default(typed: Typed) -> None:
    screen = io.StringIO()
    assert typed("\rAda\r", screen=screen).ask("Name?") == "Ada"
    assert "A value is required." in screen.getvalue()


def test_ask_ctrl_c_raises_keyboard_interrupt(typed: Typed) -> None:
    with pytest.raises(KeyboardInterrupt):
        typed("Ad" + CTRL_C).ask("Name?", default="world")


def test_ask_ctrl_d_on_an_empty_line_takes_the_default(typed: Typed) -> None:
    assert typed(CTRL_D + "ignored\r").ask("Name?", default="world") == "world"


def test_ask_end_of_input_without_default_is_missing_option(typed: Typed) -> None:
    with pytest.raises(InputError, match="missing --name"):
        typed("").ask("What is your name?", field="name")


def test_ask_end_of_input_after_a_rejected_answer_is_missing_option(typed: Typed) -> None:
    with pytest.raises(InputError, match="missing --port"):
        typed("abc\r").ask("Port?", validate=lambda v: None if v.isdigit() else "Not a number.")


async def test_ask_works_from_an_async_command_handler(typed: Typed) -> None:
    # A running event loop: the prompt runs on a helper thread with its own loop.
    answer = typed("x\rAda\r").ask("Name?", validate=lambda v: None if len(v) > 1 else "Short.")
    assert answer == "Ada"


async def test_ctrl_c_in_an_async_command_handler_raises_keyboard_interrupt(typed: Typed) -> None:
    with pytest.raises(KeyboardInterrupt):
        typed(CTRL_C).confirm("Overwrite?")


# --- secret ----------------------------------------------------------------------------


def test_secret_returns_what_was_typed_and_never_echoes_it(typed: Typed) -> None:
    screen = io.StringIO()
    assert typed(" s3cr3t pass \r", screen=screen).secret("Password") == " s3cr3t pass "
    assert "s3cr3t" not in screen.getvalue()
    assert "Password:" in screen.getvalue()


def test_secret_reasks_on_validation_error(typed: Typed) -> None:
    screen = io.StringIO()
    strong = typed("short\rlong enough\r", screen=screen).secret(
        "Password", validate=lambda v: None if len(v) >= 8 else "At least 8 characters."
    )
    assert strong == "long enough"
    assert "At least 8 characters." in screen.getvalue()


def test_secret_end_of_input_is_missing_option(typed: Typed) -> None:
    with pytest.raises(InputError, match="missing --password"):
        typed(CTRL_D).secret("Password")


def test_secret_ctrl_c_raises_keyboard_interrupt(typed: Typed) -> None:
    with pytest.raises(KeyboardInterrupt):
        typed(CTRL_C).secret("Password")


# --- confirm ---------------------------------------------------------------------------


@pytest.mark.parametrize(("keys", "expected"), [("y\r", True), ("YES\r", True), ("n\r", False)])
def test_confirm_reads_yes_or_no(typed: Typed, keys: str, expected: bool) -> None:
    assert typed(keys).confirm("Run the migrations?", default=not expected) is expected


def test_confirm_enter_takes_the_default_shown(typed: Typed) -> None:
    screen = io.StringIO()
    assert typed("\r", screen=screen).confirm("Overwrite?", default=True) is True
    assert "Overwrite? (yes/no) [yes]" in screen.getvalue()


def test_confirm_reasks_on_anything_else(typed: Typed) -> None:
    screen = io.StringIO()
    assert typed("maybe\ry\r", screen=screen).confirm("Overwrite?") is True
    assert "Please answer yes or no" in screen.getvalue()


def test_confirm_end_of_input_takes_the_default(typed: Typed) -> None:
    assert typed("").confirm("Overwrite?", default=True) is True


def test_confirm_ctrl_c_raises_keyboard_interrupt(typed: Typed) -> None:
    with pytest.raises(KeyboardInterrupt):
        typed(CTRL_C).confirm("Overwrite?")


# --- choice ----------------------------------------------------------------------------


def test_choice_lists_the_options_numbered(typed: Typed) -> None:
    screen = io.StringIO()
    typed("1\r", screen=screen).choice("Which database?", DATABASES, default="mysql")
    shown = screen.getvalue()
    assert "Which database? [mysql]" in shown
    assert "[1] sqlite" in shown
    assert "[2] postgres" in shown
    assert "[3] mysql" in shown


def test_choice_by_number_or_by_value(typed: Typed) -> None:
    assert typed("2\r").choice("Which database?", DATABASES) == "postgres"
    assert typed("mysql\r").choice("Which database?", DATABASES) == "mysql"


def test_choice_enter_takes_the_default(typed: Typed) -> None:
    assert typed("\r").choice("Which database?", DATABASES, default="postgres") == "postgres"


def test_choice_invalid_answer_is_explained_and_asked_again(typed: Typed) -> None:
    screen = io.StringIO()
    assert typed("oracle\r9\r3\r", screen=screen).choice("Which database?", DATABASES) == "mysql"
    shown = screen.getvalue()
    assert '"oracle" is not one of the choices' in shown
    assert '"9" is not one of the choices' in shown


def test_choice_value_matches_ignoring_case(typed: Typed) -> None:
    assert typed("PostGres\r").choice("Which database?", DATABASES) == "postgres"


def test_choice_end_of_input_takes_the_default_or_is_missing(typed: Typed) -> None:
    assert typed("").choice("Which database?", DATABASES, default="sqlite") == "sqlite"
    with pytest.raises(InputError, match="missing --database"):
        typed("").choice("Which database?", DATABASES, field="database")


def test_choice_ctrl_c_raises_keyboard_interrupt(typed: Typed) -> None:
    with pytest.raises(KeyboardInterrupt):
        typed(CTRL_C).choice("Which database?", DATABASES, default="sqlite")


# --- multi_choice ----------------------------------------------------------------------


def test_multi_choice_parses_comma_separated_numbers_and_values(typed: Typed) -> None:
    chosen = typed("3, sqlite ,3\r").multi_choice("Which databases?", DATABASES)
    assert chosen == ["mysql", "sqlite"]


def test_multi_choice_enter_takes_the_default_list(typed: Typed) -> None:
    screen = io.StringIO()
    chosen = typed("\r", screen=screen).multi_choice(
        "Which databases?", DATABASES, default=["sqlite", "mysql"]
    )
    assert chosen == ["sqlite", "mysql"]
    assert "Which databases? [sqlite, mysql]" in screen.getvalue()


def test_multi_choice_invalid_item_rejects_the_answer_and_asks_again(typed: Typed) -> None:
    screen = io.StringIO()
    chosen = typed("1,oracle\r\r2\r", screen=screen).multi_choice("Which databases?", DATABASES)
    assert chosen == ["postgres"]
    shown = screen.getvalue()
    assert '"oracle" is not one of the choices' in shown
    assert "Choose at least one option" in shown


def test_multi_choice_end_of_input_takes_the_default_or_is_missing(typed: Typed) -> None:
    assert typed(CTRL_D).multi_choice("Which?", DATABASES, default=["postgres"]) == ["postgres"]
    with pytest.raises(InputError, match="missing --which"):
        typed("").multi_choice("Which?", DATABASES)


def test_multi_choice_ctrl_c_raises_keyboard_interrupt(typed: Typed) -> None:
    with pytest.raises(KeyboardInterrupt):
        typed("1," + CTRL_C).multi_choice("Which?", DATABASES)


# --- autocomplete ----------------------------------------------------------------------


def test_autocomplete_accepts_free_text_beyond_the_suggestions(typed: Typed) -> None:
    assert typed("Invoice\r").autocomplete("Model?", ["User", "Post"]) == "Invoice"


def test_autocomplete_enter_takes_the_default(typed: Typed) -> None:
    assert typed("\r").autocomplete("Model?", ["User", "Post"], default="Post") == "Post"


def test_autocomplete_end_of_input_without_default_is_missing_option(typed: Typed) -> None:
    with pytest.raises(InputError, match="missing --model"):
        typed("").autocomplete("Model?", ["User"], field="model")


def test_autocomplete_ctrl_c_raises_keyboard_interrupt(typed: Typed) -> None:
    with pytest.raises(KeyboardInterrupt):
        typed("Us" + CTRL_C).autocomplete("Model?", ["User"])


def test_autocomplete_tab_takes_the_suggestion_for_the_text_typed_so_far() -> None:
    asked_for: list[str] = []
    suggested = threading.Event()

    def suggest(text: str) -> list[str]:
        asked_for.append(text)
        if text == "po":
            suggested.set()
        return [name for name in DATABASES if name.startswith(text)]

    with create_pipe_input() as keyboard:

        def press_tab_once_suggestions_are_in() -> None:
            if suggested.wait(timeout=30):
                keyboard.send_text("\t\r")
            keyboard.close()

        helper = threading.Thread(target=press_tab_once_suggestions_are_in, daemon=True)
        helper.start()
        keyboard.send_text("po")
        prompter = TerminalPrompter(interactive=True, stdin=keyboard, stdout=DummyOutput())
        answer = prompter.autocomplete("Database?", suggest)
        helper.join()

    assert answer == "postgres"
    assert "po" in asked_for
