"""``Listing``: rows a magic returns, shown as an aligned table by every shell.

``%routes`` and ``%commands`` return a value rather than printing, so the same result
reads as a table at the prompt (its ``repr`` is the table), becomes a table on the
command's output under ``--execute``, and stays data in code
(``[r["path"] for r in routes()]``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from foundry.domain.outputs import table_grid
from foundry.domain.text import table_lines

__all__ = ["Listing"]


class Listing:
    """A titled table of rows.

    Args:
        headers: the column names; each row has one cell per header.
        rows: the rows.
        title: shown above the table.
        empty: what the table says when there are no rows.
    """

    __slots__ = ("empty", "headers", "rows", "title")

    def __init__(
        self,
        headers: Sequence[str],
        rows: Sequence[Sequence[Any]],
        *,
        title: str | None = None,
        empty: str = "(nothing to show)",
    ) -> None:
        self.headers = tuple(headers)
        self.rows = [tuple(row) for row in rows]
        self.title = title
        self.empty = empty

    def to_data(self) -> list[dict[str, Any]]:
        """One dict per row, keyed by the lower-cased headers (``--format json`` data)."""
        keys = [header.lower().replace(" ", "_") for header in self.headers]
        return [dict(zip(keys, row, strict=False)) for row in self.rows]

    def lines(self) -> list[str]:
        """The table as plain text lines."""
        if not self.rows:
            return [self.title, self.empty] if self.title else [self.empty]
        return table_lines(table_grid(self.headers, self.rows), title=self.title)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self.to_data())

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, index: int) -> dict[str, Any]:
        return self.to_data()[index]

    def __repr__(self) -> str:
        return "\n".join(self.lines())
