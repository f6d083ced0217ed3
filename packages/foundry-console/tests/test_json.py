"""``json()``: one document, never styled, never wrapped, never hidden."""

from __future__ import annotations

import datetime
import decimal
import io
import json
import math
import uuid
from collections.abc import Callable
from pathlib import PurePosixPath
from typing import Any

import pytest

from foundry.console import OutputError, RichOutput
from foundry.domain.commands import Verbosity


def test_json_is_one_parseable_line_when_piped() -> None:
    out = io.StringIO()
    RichOutput(stdout=out).json({"status": "success", "data": [1, 2, 3]})
    assert out.getvalue() == '{"status": "success", "data": [1, 2, 3]}\n'
    assert json.loads(out.getvalue()) == {"status": "success", "data": [1, 2, 3]}


def test_json_is_never_styled_even_when_decorated() -> None:
    out = io.StringIO()
    RichOutput(stdout=out, decorated=True, verbosity=Verbosity.DEBUG).json(
        {"true": True, "none": None, "n": 1.5, "s": "[bold]x[/]"}
    )
    assert "\x1b" not in out.getvalue()
    assert json.loads(out.getvalue()) == {"true": True, "none": None, "n": 1.5, "s": "[bold]x[/]"}


def test_json_is_never_wrapped() -> None:
    out = io.StringIO()
    value = "x" * 500
    RichOutput(stdout=out, decorated=True).json({"long": value})
    assert out.getvalue() == json.dumps({"long": value}) + "\n"


def test_json_is_indented_for_a_person_at_a_terminal(
    terminal: io.TextIOWrapper, read_terminal: Callable[[], str]
) -> None:
    RichOutput(stdout=terminal).json({"a": 1})
    assert read_terminal() == '{\n  "a": 1\n}\n'


def test_json_writes_unknown_types_as_strings() -> None:
    out = io.StringIO()
    ident = uuid.UUID("12345678-1234-5678-1234-567812345678")
    RichOutput(stdout=out).json(
        {
            "when": datetime.date(2025, 1, 2),
            "path": PurePosixPath("/srv/app"),
            "id": ident,
            "price": decimal.Decimal("9.99"),
        }
    )
    assert json.loads(out.getvalue()) == {
        "when": "2025-01-02",
        "path": "/srv/app",
        "id": str(ident),
        "price": "9.99",
    }


def test_json_keeps_non_ascii_text_readable() -> None:
    out = io.StringIO()
    RichOutput(stdout=out).json({"city": "Zürich"})
    assert out.getvalue() == '{"city": "Zürich"}\n'


def test_json_is_shown_under_quiet() -> None:
    out = io.StringIO()
    RichOutput(stdout=out, verbosity=Verbosity.QUIET).json([1])
    assert out.getvalue() == "[1]\n"


@pytest.mark.parametrize("bad", [math.nan, math.inf, {(1, 2): "tuple key"}])
def test_data_json_cannot_hold_is_refused_and_nothing_is_written(bad: Any) -> None:
    out = io.StringIO()
    with pytest.raises(OutputError, match=r"Output\.json\(\): the data cannot be written"):
        RichOutput(stdout=out).json({"value": bad})
    assert out.getvalue() == ""


def test_circular_data_is_refused() -> None:
    out = io.StringIO()
    loop: list[Any] = []
    loop.append(loop)
    with pytest.raises(OutputError, match="circular"):
        RichOutput(stdout=out).json(loop)
    assert out.getvalue() == ""
