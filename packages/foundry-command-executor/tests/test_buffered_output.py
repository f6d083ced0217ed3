"""``BufferedOutput``: the Output contract, recorded as plain lines."""

from __future__ import annotations

import pytest

from foundry.command_executor import BufferedOutput, OutputLine, OutputWriteError
from foundry.domain.commands import Verbosity
from foundry.domain.console import Output


def test_it_implements_the_output_contract_undecorated():
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
        "a       1",
        "longer",
        "App",
        "env    local",
        "debug  False",
        "- x",
        "- y",
        "Note",
        "body",
    ]


def test_json_is_one_compact_line_even_when_quiet():
    output = BufferedOutput(Verbosity.QUIET)

    output.json({"ok": True, "items": [1, 2], "name": "café"})
    output.info("dropped")

    assert output.lines == (OutputLine('{"ok": true, "items": [1, 2], "name": "café"}', "json"),)


def test_json_that_cannot_be_written_fails_with_the_fix():
    output = BufferedOutput()

    with pytest.raises(OutputWriteError) as caught:
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
