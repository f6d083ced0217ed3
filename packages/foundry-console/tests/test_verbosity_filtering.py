"""Messages below the current verbosity are dropped; errors and JSON never are."""

from __future__ import annotations

import io

import pytest

from foundry.console import OutputError, RichOutput
from foundry.domain.commands import Verbosity


def write_everything(verbosity: Verbosity) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    output = RichOutput(stdout=out, stderr=err, verbosity=verbosity, decorated=False)
    output.line("line")
    output.info("info")
    output.success("success")
    output.warning("warning")
    output.verbose("verbose")
    output.debug("debug")
    output.table(["t"], [["cell"]])
    output.definition_list({"key": "value"})
    output.bullet_list(["bullet"])
    output.panel("panel")
    output.error("error")
    output.json({"json": True})
    return out.getvalue(), err.getvalue()


NORMAL_LINES = [
    "line",
    "info",
    "success",
    "warning",
    "t",
    "----",
    "cell",
    "key  value",
    "- bullet",
    "panel",
]


def test_quiet_keeps_only_errors_and_json() -> None:
    out, err = write_everything(Verbosity.QUIET)
    assert out == '{"json": true}\n'
    assert err == "error\n"


def test_normal_hides_verbose_and_debug() -> None:
    out, err = write_everything(Verbosity.NORMAL)
    assert out.splitlines() == [*NORMAL_LINES, '{"json": true}']
    assert err == "error\n"


@pytest.mark.parametrize("verbosity", [Verbosity.VERBOSE, Verbosity.VERY_VERBOSE])
def test_verbose_shows_verbose_but_not_debug(verbosity: Verbosity) -> None:
    out, _ = write_everything(verbosity)
    assert "verbose" in out.splitlines()
    assert "debug" not in out.splitlines()


def test_debug_shows_everything() -> None:
    out, err = write_everything(Verbosity.DEBUG)
    lines = out.splitlines()
    assert lines[:6] == ["line", "info", "success", "warning", "verbose", "debug"]
    assert err == "error\n"


def test_verbosity_accepts_its_integer_value() -> None:
    output = RichOutput(stdout=io.StringIO(), verbosity=2, decorated=False)  # type: ignore[arg-type]
    assert output.verbosity is Verbosity.VERBOSE


def test_unknown_verbosity_is_refused_with_the_levels_named() -> None:
    with pytest.raises(OutputError, match=r"verbosity 9 is not a level.*QUIET=0"):
        RichOutput(stdout=io.StringIO(), verbosity=9)  # type: ignore[arg-type]
