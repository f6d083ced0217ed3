"""Plain mode: exact text, no escape codes, nothing rich-specific."""

from __future__ import annotations

import io

from foundry.console import RichOutput
from foundry.domain.commands import Verbosity
from foundry.domain.console import Output


def plain(verbosity: Verbosity = Verbosity.NORMAL) -> tuple[RichOutput, io.StringIO, io.StringIO]:
    out, err = io.StringIO(), io.StringIO()
    return RichOutput(stdout=out, stderr=err, verbosity=verbosity, decorated=False), out, err


def test_rich_output_implements_the_output_contract() -> None:
    output, _, _ = plain()
    assert isinstance(output, Output)
    assert output.decorated is False


def test_line_writes_the_text_exactly() -> None:
    output, out, err = plain()
    output.line("Hello [bold]world[/]")
    output.line()
    output.line("styled", style="bold red")
    assert out.getvalue() == "Hello [bold]world[/]\n\nstyled\n"
    assert err.getvalue() == ""


def test_multiline_text_is_written_line_by_line() -> None:
    output, out, _ = plain()
    output.info("first\nsecond\n")
    assert out.getvalue() == "first\nsecond\n"


def test_info_success_warning_write_their_text_to_stdout() -> None:
    output, out, err = plain()
    output.info("Cache cleared.")
    output.success("Migrated 3 files.")
    output.warning("APP_DEBUG is on in production.")
    assert out.getvalue() == "Cache cleared.\nMigrated 3 files.\nAPP_DEBUG is on in production.\n"
    assert err.getvalue() == ""


def test_error_goes_to_stderr_only() -> None:
    output, out, err = plain()
    output.error("Database is unreachable.")
    assert out.getvalue() == ""
    assert err.getvalue() == "Database is unreachable.\n"


def test_table_aligns_columns_under_a_dashed_rule() -> None:
    output, out, _ = plain()
    output.table(
        ["Name", "Size", "Cached"],
        [["app.css", 1200, True], ["logo.png", 45, False], ["notes", None, None]],
        title="Assets",
    )
    assert out.getvalue() == (
        "Assets\n"
        "Name      Size  Cached\n"
        "--------  ----  ------\n"
        "app.css   1200  true\n"
        "logo.png    45  false\n"
        "notes\n"
    )


def test_table_pads_short_rows_and_accepts_a_generator() -> None:
    output, out, _ = plain()
    output.table(["Key", "Value"], (row for row in [["a"], ["b", "2"]]))
    assert out.getvalue() == "Key  Value\n---  -----\na\nb    2\n"


def test_table_cell_with_newline_spans_lines_in_its_column() -> None:
    output, out, _ = plain()
    output.table(["Id", "Note"], [[1, "first\nsecond"], [2, "x"]])
    assert out.getvalue() == "Id  Note\n--  ------\n 1  first\n    second\n 2  x\n"


def test_table_aligns_wide_characters_by_display_width() -> None:
    output, out, _ = plain()
    output.table(["Name", "N"], [["東京", 1], ["Oslo", 2]])
    assert out.getvalue() == "Name  N\n----  -\n東京  1\nOslo  2\n"


def test_definition_list_aligns_values() -> None:
    output, out, _ = plain()
    output.definition_list(
        {"Environment": "local", "Debug": True, "Drivers": ["redis", "file"], "Notes": "a\nb"},
        title="Application",
    )
    assert out.getvalue() == (
        "Application\n"
        "Environment  local\n"
        "Debug        true\n"
        "Drivers      redis, file\n"
        "Notes        a\n"
        "             b\n"
    )


def test_empty_definition_list_writes_only_its_title() -> None:
    output, out, _ = plain()
    output.definition_list({}, title="Nothing")
    output.definition_list({})
    assert out.getvalue() == "Nothing\n"


def test_bullet_list_uses_dashes_and_indents_continuations() -> None:
    output, out, _ = plain()
    output.bullet_list(["users", "posts\n(soft deleted)"])
    output.bullet_list([])
    assert out.getvalue() == "- users\n- posts\n  (soft deleted)\n"


def test_panel_puts_the_body_under_its_title() -> None:
    output, out, _ = plain()
    output.panel("Run foundry migrate.\n\nThen restart.", title="Next steps", style="green")
    output.panel("Untitled body")
    assert out.getvalue() == (
        "Next steps\n  Run foundry migrate.\n\n  Then restart.\nUntitled body\n"
    )


def test_plain_output_never_contains_escape_codes() -> None:
    output, out, err = plain(Verbosity.DEBUG)
    output.line("a", style="bold")
    output.info("b")
    output.success("c")
    output.warning("d")
    output.error("e")
    output.verbose("f")
    output.debug("g")
    output.table(["h"], [["i"]], title="t")
    output.definition_list({"j": "k"})
    output.bullet_list(["l"])
    output.panel("m", title="n", style="red")
    assert "\x1b" not in out.getvalue() + err.getvalue()
