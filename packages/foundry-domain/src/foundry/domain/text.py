"""Plain-text layouts for tables, definition lists, bullet lists and panels.

Every plain implementation of :class:`foundry.domain.console.Output` lays its structures
out with these functions (``PlainOutput`` and ``BufferedOutput`` here, ``foundry-console``
when its output is not decorated), so a table reads the same whoever writes it. The
layouts are made for ``grep``, ``cut`` and ``awk``: no box drawing, no wrapping at a
guessed width, one table row per line (unless a cell itself holds a newline), columns
separated by two spaces, and no trailing whitespace. Standard library only.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass
from typing import Any

__all__ = [
    "Grid",
    "bullet_lines",
    "cell_width",
    "definition_lines",
    "format_value",
    "panel_lines",
    "table_lines",
]

GAP = "  "


def format_value(value: Any) -> str:
    """How a value reads in a cell: ``None`` is empty, booleans are ``true``/``false``.

    Lists, tuples and sets are joined with ``", "``; mappings become ``key=value`` pairs.
    Everything else is ``str(value)``.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping):
        return ", ".join(f"{k}={format_value(v)}" for k, v in value.items())
    if isinstance(value, Sequence | Set) and not isinstance(value, bytes | bytearray):
        return ", ".join(format_value(item) for item in value)
    return str(value)


def is_number(value: Any) -> bool:
    """Whether a cell is numeric (right-aligned); booleans are not numbers here."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def cell_width(text: str) -> int:
    """Columns ``text`` takes on a terminal: wide East Asian characters count twice."""
    width = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def _pad(text: str, width: int, *, right: bool) -> str:
    fill = " " * max(0, width - cell_width(text))
    return fill + text if right else text + fill


@dataclass(frozen=True, slots=True)
class Grid:
    """A table's cells as text, checked for shape; shared by the plain and styled layouts.

    Attributes:
        headers: the column titles.
        rows: one list of cell texts per row, padded to the number of headers.
        numeric: per column, whether every non-empty cell was a number (right-aligned).
    """

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[bool, ...]

    @classmethod
    def build(cls, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> Grid:
        """Format every cell; raise ValueError naming the first row wider than the headers."""
        width = len(headers)
        numeric = [True] * width
        seen = [False] * width
        texts: list[tuple[str, ...]] = []
        for index, row in enumerate(rows, start=1):
            cells = list(row)
            if len(cells) > width:
                raise ValueError(
                    f"row {index} has {len(cells)} cells but the table has {width} headers"
                )
            for column, cell in enumerate(cells):
                if cell is None:
                    continue
                seen[column] = True
                numeric[column] = numeric[column] and is_number(cell)
            padded = [format_value(cell) for cell in cells] + [""] * (width - len(cells))
            texts.append(tuple(padded))
        flags = tuple(n and s for n, s in zip(numeric, seen, strict=True))
        return cls(tuple(str(h) for h in headers), tuple(texts), flags)


def table_lines(grid: Grid, *, title: str | None = None) -> list[str]:
    """Aligned columns under a dashed header rule."""
    if not grid.headers:
        return [title] if title else []
    widths = [cell_width(h) for h in grid.headers]
    split_rows = [[cell.splitlines() or [""] for cell in row] for row in grid.rows]
    for row in split_rows:
        for column, cell_lines in enumerate(row):
            widths[column] = max(widths[column], *(cell_width(line) for line in cell_lines))

    def join(cells: Sequence[str]) -> str:
        padded = (_pad(text, widths[i], right=grid.numeric[i]) for i, text in enumerate(cells))
        return GAP.join(padded).rstrip()

    lines = [title] if title else []
    lines.append(join(grid.headers))
    lines.append(GAP.join("-" * w for w in widths))
    for row in split_rows:
        height = max(len(cell_lines) for cell_lines in row)
        for offset in range(height):
            lines.append(join([c[offset] if offset < len(c) else "" for c in row]))
    return lines


def definition_lines(items: Mapping[str, Any], *, title: str | None = None) -> list[str]:
    """``key  value`` pairs with the values aligned in one column."""
    lines = [title] if title else []
    if not items:
        return lines
    width = max(cell_width(str(key)) for key in items)
    indent = " " * (width + len(GAP))
    for key, value in items.items():
        value_lines = format_value(value).splitlines() or [""]
        lines.append((_pad(str(key), width, right=False) + GAP + value_lines[0]).rstrip())
        lines.extend((indent + line).rstrip() for line in value_lines[1:])
    return lines


def bullet_lines(items: Sequence[str]) -> list[str]:
    """``- item`` per item; an item's further lines are indented under its text."""
    lines: list[str] = []
    for item in items:
        item_lines = str(item).splitlines() or [""]
        lines.append(f"- {item_lines[0]}".rstrip())
        lines.extend(f"  {line}".rstrip() for line in item_lines[1:])
    return lines


def panel_lines(text: str, *, title: str | None = None) -> list[str]:
    """The title on its own line, the body indented beneath it (just the body untitled)."""
    body = text.splitlines() or [""]
    if not title:
        return body
    return [title, *((f"  {line}".rstrip()) for line in body)]
