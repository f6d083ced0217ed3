"""Rich renderables for decorated output.

This module imports rich at module level and is itself imported only when something is
written to a decorated stream or a live display starts, so ``import foundry.console`` and
plain (piped) output never pay rich's import cost.

Text from callers is always wrapped in :class:`rich.text.Text`, never parsed as markup:
a message holding ``[bold]`` or ``[/]`` prints exactly as given.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import IO, Any

from rich import box
from rich.console import Console, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text
from rich.theme import Theme

from foundry.console.styles import THEME
from foundry.domain.text import Grid, format_value

__all__ = [
    "bullet_renderable",
    "definition_renderable",
    "make_console",
    "panel_renderable",
    "table_renderable",
]


def make_console(stream: IO[str], *, styled: bool, live: bool) -> Console:
    """A console bound to ``stream``.

    Args:
        stream: where to write.
        styled: emit ANSI styles (colour system detected from ``TERM``/``COLORTERM``).
        live: the stream is a real terminal on which progress bars may redraw.
    """
    return Console(
        file=stream,
        force_terminal=styled or live,
        force_interactive=live,
        color_system="auto" if styled else None,
        no_color=not styled,
        theme=Theme(THEME),
        highlight=False,
        markup=False,
        emoji=False,
        soft_wrap=False,
    )


def _title(title: str | None) -> Text | None:
    return Text(title, style="title") if title else None


def table_renderable(grid: Grid, *, title: str | None = None) -> RenderableType:
    """A table with a bold header and a rule under it; numeric columns right-aligned."""
    table = Table(
        title=_title(title),
        title_justify="left",
        box=box.SIMPLE_HEAD,
        header_style="header",
        show_edge=False,
        pad_edge=False,
    )
    for header, numeric in zip(grid.headers, grid.numeric, strict=True):
        table.add_column(Text(header), justify="right" if numeric else "left")
    for row in grid.rows:
        table.add_row(*(Text(cell) for cell in row))
    return table


def definition_renderable(items: Mapping[str, Any], *, title: str | None = None) -> Table:
    """Keys in a styled column, values aligned beside them (wrapping under the value)."""
    grid = Table.grid(padding=(0, 2))
    grid.title = _title(title)
    grid.title_justify = "left"
    grid.add_column(style="key", no_wrap=True)
    grid.add_column()
    for key, value in items.items():
        grid.add_row(Text(str(key)), Text(format_value(value)))
    return grid


def bullet_renderable(items: Sequence[str], *, ascii_only: bool = False) -> Table:
    """One bullet per item with a hanging indent when an item wraps.

    ``ascii_only`` (a terminal whose encoding is not UTF) swaps the bullet for ``*``, as
    rich swaps box-drawing characters for ASCII ones.
    """
    bullet = "*" if ascii_only else "•"
    grid = Table.grid(padding=(0, 1))
    grid.add_column(style="bullet", no_wrap=True)
    grid.add_column()
    for item in items:
        grid.add_row(bullet, Text(str(item)))
    return grid


def panel_renderable(text: str, *, title: str | None = None, style: str | None = None) -> Panel:
    """A rounded box around ``text``, as wide as its content; ``style`` colours the border."""
    return Panel(
        Text(text),
        title=_title(title),
        title_align="left",
        border_style=style or "panel",
        box=box.ROUNDED,
        expand=False,
    )
