"""Unstyled output: text lines, aligned tables, one JSON document."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, TextIO

from foundry.domain.commands import Verbosity

__all__ = ["PlainOutput"]


class _SilentBar:
    def advance(self, steps: int = 1) -> None:
        return None

    def update(self, *, completed: int | None = None, description: str | None = None) -> None:
        return None


class PlainOutput:
    """Implements ``foundry.domain.console.Output`` with no styling at all."""

    def __init__(
        self,
        stdout: TextIO | None = None,
        stderr: TextIO | None = None,
        verbosity: Verbosity = Verbosity.NORMAL,
        decorated: bool | None = None,
    ) -> None:
        self._out = stdout or sys.stdout
        self._err = stderr or sys.stderr
        self.verbosity = verbosity

    @property
    def decorated(self) -> bool:
        return False

    def _write(self, text: str, *, minimum: Verbosity = Verbosity.NORMAL) -> None:
        if self.verbosity >= minimum:
            self._out.write(text + "\n")
            self._out.flush()

    def line(self, text: str = "", *, style: str | None = None) -> None:
        self._write(text)

    def info(self, text: str) -> None:
        self._write(text)

    def success(self, text: str) -> None:
        self._write(text)

    def warning(self, text: str) -> None:
        self._write(text)

    def error(self, text: str) -> None:
        self._err.write(f"{text}\n")
        self._err.flush()

    def verbose(self, text: str) -> None:
        self._write(text, minimum=Verbosity.VERBOSE)

    def debug(self, text: str) -> None:
        self._write(text, minimum=Verbosity.DEBUG)

    def table(
        self, headers: Sequence[str], rows: Iterable[Sequence[Any]], *, title: str | None = None
    ) -> None:
        cells = [[str(h) for h in headers]] + [
            ["" if c is None else str(c) for c in r] for r in rows
        ]
        widths = [max(len(row[i]) for row in cells if i < len(row)) for i in range(len(headers))]
        if title:
            self._write(title)
        for index, row in enumerate(cells):
            self._write("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=False)).rstrip())
            if index == 0:
                self._write("  ".join("-" * w for w in widths))

    def definition_list(self, items: Mapping[str, Any], *, title: str | None = None) -> None:
        if title:
            self._write(title)
        width = max((len(k) for k in items), default=0)
        for key, value in items.items():
            self._write(f"  {key.ljust(width)}  {value}")

    def bullet_list(self, items: Iterable[str]) -> None:
        for item in items:
            self._write(f"  - {item}")

    def panel(self, text: str, *, title: str | None = None, style: str | None = None) -> None:
        if title:
            self._write(f"[{title}]")
        self._write(text)

    def json(self, data: Any) -> None:
        self._out.write(json.dumps(data, default=str, ensure_ascii=False) + "\n")
        self._out.flush()

    @contextmanager
    def progress(self, total: int | None, *, description: str = "") -> Iterator[_SilentBar]:
        yield _SilentBar()

    @contextmanager
    def spinner(self, text: str) -> Iterator[None]:
        yield None
