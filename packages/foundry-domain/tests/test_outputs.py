"""``PlainOutput`` and ``BufferedOutput``: the Output contract as plain text."""

from __future__ import annotations

import io
import json
import math
from typing import Any

import pytest

from foundry.domain.commands import Verbosity
from foundry.domain.console import Output
from foundry.domain.errors import FoundryError, OutputError
from foundry.domain.outputs import (
    BufferedOutput,
    OutputLine,
    PlainOutput,
    SilentProgressBar,
    encode_json,
)


def plain(verbosity: Verbosity = Verbosity.NORMAL) -> tuple[PlainOutput, io.StringIO, io.StringIO]:
    out, err = io.StringIO(), io.StringIO()
    return PlainOutput(stdout=out, stderr=err, verbosity=verbosity), out, err


def write_everything(output: Output) -> None:
    output.line("line", style="bold")
    output.info("info")
    output.success("success")
    output.warning("warning")
    output.error("error")
    output.verbose("verbose")
    output.debug("debug")
    output.table(["h"], [["i"]], title="table")
    output.definition_list({"key": "value"})
    output.bullet_list(["item"])
    output.panel("body", title="panel", style="green")
    output.json({"n": 1})


# --- BufferedOutput ------------------------------------------------------------------


def test_buffered_output_implements_the_output_contract_undecorated():
    output = BufferedOutput()

    assert isinstance(output, Output)
    assert output.decorated is False


def test_styled_methods_become_plain_lines_that_remember_their_kind():
    output = BufferedOutput()

    output.line("plain", style="bold red")
    output.info("info")
    output.success("yes")
    output.warning("hmm")
    output.error("no")

    assert output.lines == (
        OutputLine("plain", "line"),
        OutputLine("info", "info"),
        OutputLine("yes", "success"),
        OutputLine("hmm", "warning"),
        OutputLine("no", "error", "stderr"),
    )
    assert output.text() == "plain\ninfo\nyes\nhmm\nno"
    assert output.text("stderr") == "no"
    assert output.text("stdout") == "plain\ninfo\nyes\nhmm"


def test_multi_line_text_is_recorded_line_by_line():
    output = BufferedOutput()

    output.info("one\ntwo")
    output.line()

    assert [line.text for line in output.lines] == ["one", "two", ""]


def test_tables_definition_lists_bullets_and_panels_are_plain_aligned_text():
    output = BufferedOutput()

    output.table(("Name", "Size"), [("a", 1), ("longer", None)], title="Files")
    output.definition_list({"env": "local", "debug": False}, title="App")
    output.bullet_list(["x", "y"])
    output.panel("body", title="Note")

    assert output.text().splitlines() == [
        "Files",
        "Name    Size",
        "------  ----",
        "a          1",
        "longer",
        "App",
        "env    local",
        "debug  false",
        "- x",
        "- y",
        "Note",
        "  body",
    ]
    kinds = [line.kind for line in output.lines]
    assert kinds == ["table"] * 5 + ["definition_list"] * 3 + ["bullet_list"] * 2 + ["panel"] * 2


def test_json_is_one_compact_line_even_when_quiet():
    output = BufferedOutput(Verbosity.QUIET)

    output.json({"ok": True, "items": [1, 2], "name": "café"})
    output.info("dropped")

    assert output.lines == (OutputLine('{"ok": true, "items": [1, 2], "name": "café"}', "json"),)


def test_json_that_cannot_be_written_fails_with_the_fix():
    output = BufferedOutput()

    with pytest.raises(OutputError) as caught:
        output.json({"ratio": float("nan")})
    assert "NaN" in caught.value.message
    assert output.lines == ()


@pytest.mark.parametrize(
    ("verbosity", "expected"),
    [
        (Verbosity.QUIET, ["error"]),
        (Verbosity.NORMAL, ["info", "error"]),
        (Verbosity.VERBOSE, ["info", "verbose", "error"]),
        (Verbosity.DEBUG, ["info", "verbose", "debug", "error"]),
    ],
)
def test_verbosity_filters_like_a_terminal(verbosity, expected):
    output = BufferedOutput(verbosity)

    output.info("info")
    output.verbose("verbose")
    output.debug("debug")
    output.error("error")

    assert [line.text for line in output.lines] == expected


def test_progress_and_spinner_record_nothing():
    output = BufferedOutput()

    with output.progress(10, description="copying") as bar:
        bar.advance(3)
        bar.update(completed=10, description="done")
    with output.progress(None):
        pass
    with output.spinner("waiting"):
        pass

    assert output.lines == ()


def test_clear_empties_the_buffer():
    output = BufferedOutput()
    output.info("x")

    output.clear()

    assert output.text() == ""


def test_a_wider_row_than_the_headers_is_refused_and_nothing_is_recorded():
    output = BufferedOutput()

    with pytest.raises(OutputError, match=r"Output\.table\(\): row 1 has 2 cells"):
        output.table(["only"], [[1, 2]])
    assert output.lines == ()


def test_replay_writes_each_line_through_the_method_that_wrote_it():
    recorded = BufferedOutput(Verbosity.DEBUG)
    write_everything(recorded)
    replayed, out, err = plain(Verbosity.DEBUG)

    recorded.replay(replayed)

    direct, direct_out, direct_err = plain(Verbosity.DEBUG)
    write_everything(direct)
    assert (out.getvalue(), err.getvalue()) == (direct_out.getvalue(), direct_err.getvalue())


def test_replay_filters_again_by_the_target_verbosity():
    recorded = BufferedOutput(Verbosity.DEBUG)
    write_everything(recorded)
    quiet, out, err = plain(Verbosity.QUIET)

    recorded.replay(quiet)

    assert out.getvalue() == '{"n": 1}\n'
    assert err.getvalue() == "error\n"


# --- PlainOutput ---------------------------------------------------------------------


def test_plain_output_implements_the_output_contract_undecorated():
    output, _, _ = plain()
    assert isinstance(output, Output)
    assert PlainOutput(decorated=True).decorated is False


def test_plain_output_writes_messages_to_stdout_and_errors_to_stderr():
    output, out, err = plain()

    output.line("Hello [bold]world[/]", style="bold")
    output.info("first\nsecond\n")
    output.warning("careful")
    output.error("Database is unreachable.")

    assert out.getvalue() == "Hello [bold]world[/]\nfirst\nsecond\ncareful\n"
    assert err.getvalue() == "Database is unreachable.\n"


def test_plain_output_lays_out_structures_like_the_console_does_when_piped():
    output, out, _ = plain()

    output.table(["Migration", "Batch"], [["create_users", 1], ["create_posts", None]])
    output.definition_list({"Environment": "local", "Debug": True}, title="Application")
    output.bullet_list(["users", "posts"])
    output.panel("Run foundry migrate.", title="Next steps")

    assert out.getvalue() == (
        "Migration     Batch\n"
        "------------  -----\n"
        "create_users      1\n"
        "create_posts\n"
        "Application\n"
        "Environment  local\n"
        "Debug        true\n"
        "- users\n"
        "- posts\n"
        "Next steps\n"
        "  Run foundry migrate.\n"
    )


def test_quiet_plain_output_keeps_errors_and_json_only():
    output, out, err = plain(Verbosity.QUIET)

    write_everything(output)

    assert out.getvalue() == '{"n": 1}\n'
    assert err.getvalue() == "error\n"


def test_debug_plain_output_shows_everything_once():
    output, out, _ = plain(Verbosity.DEBUG)

    write_everything(output)

    assert out.getvalue().splitlines()[:7] == [
        "line",
        "info",
        "success",
        "warning",
        "verbose",
        "debug",
        "table",
    ]


def test_plain_json_is_one_line_and_escapes_what_the_stream_cannot_encode():
    output, out, _ = plain()
    output.json({"city": "Zürich", "when": None})
    assert out.getvalue() == '{"city": "Zürich", "when": null}\n'

    latin = io.TextIOWrapper(io.BytesIO(), encoding="ascii")
    PlainOutput(stdout=latin).json({"city": "Zürich"})
    latin.seek(0)
    assert latin.read() == '{"city": "Z\\u00fcrich"}\n'


@pytest.mark.parametrize("bad", [math.nan, math.inf, {(1, 2): "tuple key"}])
def test_data_json_cannot_hold_is_refused_and_nothing_is_written(bad: Any):
    output, out, _ = plain()
    with pytest.raises(OutputError, match=r"Output\.json\(\): the data cannot be written"):
        output.json({"value": bad})
    assert out.getvalue() == ""


def test_progress_counts_silently():
    output, out, err = plain()
    with output.progress(10, description="Copying") as bar:
        bar.advance()
        bar.advance(4)
        bar.update(description="Still copying")
    with output.spinner("Waiting"):
        pass
    assert isinstance(bar, SilentProgressBar)
    assert (bar.completed, bar.total, bar.description) == (5, 10, "Still copying")
    assert repr(bar) == "SilentProgressBar(5/10)"
    assert out.getvalue() == err.getvalue() == ""


@pytest.mark.parametrize("factory", [BufferedOutput, PlainOutput])
def test_verbosity_may_be_its_number_and_anything_else_is_refused(factory: Any):
    assert factory(verbosity=2).verbosity is Verbosity.VERBOSE
    with pytest.raises(OutputError, match=r"verbosity 9 is not a level.*QUIET=0"):
        factory(verbosity=9)


def test_encode_json_writes_unknown_types_as_strings_and_can_indent():
    from datetime import date
    from pathlib import PurePosixPath

    document = encode_json({"when": date(2025, 1, 2), "path": PurePosixPath("/srv")}, indent=2)
    assert json.loads(document) == {"when": "2025-01-02", "path": "/srv"}
    assert document.startswith("{\n  ")


def test_output_errors_are_foundry_errors():
    assert issubclass(OutputError, FoundryError)
    assert OutputError("x").code == "OUTPUT_ERROR"
