"""Bad calls fail with an OutputError that names the method and the fix; nothing is written."""

from __future__ import annotations

import io

import pytest

from foundry.console import OutputError, RichOutput
from foundry.domain.errors import FoundryError


@pytest.mark.parametrize("decorated", [False, True])
def test_unknown_style_is_refused_in_both_modes(decorated: bool) -> None:
    out = io.StringIO()
    output = RichOutput(stdout=out, decorated=decorated)
    with pytest.raises(OutputError, match=r'Output\.line\(\): style "bolt" is not valid'):
        output.line("text", style="bolt")
    with pytest.raises(OutputError, match=r"Output\.panel\(\)"):
        output.panel("text", style="not a style")
    assert out.getvalue() == ""


def test_named_and_rich_styles_are_accepted() -> None:
    out = io.StringIO()
    output = RichOutput(stdout=out, decorated=True)
    for style in ("warning", "muted", "bold red on white", "#ff8800 italic"):
        output.line(style, style=style)
    assert out.getvalue().count("\n") == 4


def test_row_wider_than_the_headers_is_refused() -> None:
    out = io.StringIO()
    with pytest.raises(OutputError, match=r"row 2 has 3 cells but the table has 2 headers"):
        RichOutput(stdout=out).table(["a", "b"], [[1, 2], [1, 2, 3]])
    assert out.getvalue() == ""


def test_negative_progress_total_is_refused() -> None:
    output = RichOutput(stdout=io.StringIO())
    with pytest.raises(OutputError, match="total -1 is negative"), output.progress(-1):
        pass


def test_output_errors_are_foundry_errors() -> None:
    assert issubclass(OutputError, FoundryError)
    assert OutputError("x").code == "OUTPUT_ERROR"
