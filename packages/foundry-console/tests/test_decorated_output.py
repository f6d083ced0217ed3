"""Decorated mode: the same content, with ANSI styles, never parsing the caller's text."""

from __future__ import annotations

import io
import re

import pytest

from foundry.console import RichOutput
from foundry.domain.commands import Verbosity

ESC = "\x1b["
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def visible(text: str) -> str:
    """What a person sees: the text without its escape codes."""
    return ANSI.sub("", text)


def decorated() -> tuple[RichOutput, io.StringIO, io.StringIO]:
    out, err = io.StringIO(), io.StringIO()
    output = RichOutput(stdout=out, stderr=err, verbosity=Verbosity.DEBUG, decorated=True)
    return output, out, err


@pytest.mark.parametrize(
    ("method", "text"),
    [
        ("info", "Cache cleared."),
        ("success", "Migrated."),
        ("warning", "Careful."),
        ("verbose", "Loaded 4 providers."),
        ("debug", "Resolved Cache in 2 ms."),
    ],
)
def test_messages_are_styled_on_stdout(method: str, text: str) -> None:
    output, out, err = decorated()
    getattr(output, method)(text)
    assert output.decorated is True
    assert ESC in out.getvalue()
    assert text in out.getvalue()
    assert err.getvalue() == ""


def test_error_is_styled_on_stderr() -> None:
    output, out, err = decorated()
    output.error("Database is unreachable.")
    assert out.getvalue() == ""
    assert ESC in err.getvalue()
    assert "Database is unreachable." in err.getvalue()


def test_line_with_a_style_is_styled_and_without_is_plain() -> None:
    output, out, _ = decorated()
    output.line("unstyled")
    assert out.getvalue() == "unstyled\n"
    output.line("styled", style="bold magenta")
    assert ESC in out.getvalue()


def test_markup_in_text_is_printed_literally() -> None:
    output, out, _ = decorated()
    output.info("[bold]not markup[/] and :smile:")
    assert "[bold]not markup[/] and :smile:" in out.getvalue()


def test_table_is_drawn_with_header_and_cells() -> None:
    output, out, _ = decorated()
    output.table(["Name", "Size"], [["app.css", 1200], ["[red]x[/]", None]], title="Assets")
    text = out.getvalue()
    assert ESC in text
    for word in ("Assets", "Name", "Size", "app.css", "1200", "[red]x[/]"):
        assert word in text
    assert "None" not in text


def test_definition_list_bullets_and_panel_are_drawn() -> None:
    output, out, _ = decorated()
    output.definition_list({"Environment": "local", "Debug": False}, title="Application")
    output.bullet_list(["users", "posts"])
    output.panel("Run foundry migrate.", title="Next steps", style="green")
    assert ESC in out.getvalue()
    text = visible(out.getvalue())
    for word in ("Application", "Environment", "local", "false", "• users", "• posts"):
        assert word in text
    assert "Next steps" in text
    assert "Run foundry migrate." in text
    assert "╭" in text  # the panel's rounded box


def test_decorated_output_wraps_nothing_it_was_not_asked_to() -> None:
    output, out, _ = decorated()
    long = "word " * 60
    output.info(long.strip())
    assert long.strip() in out.getvalue()
