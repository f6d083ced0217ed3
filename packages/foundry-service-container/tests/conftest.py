from __future__ import annotations

import io
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import pytest

from foundry.service_container import Container


class PlainOutput:
    """A plain-text implementation of foundry.domain.console.Output writing to a buffer."""

    decorated = False

    def __init__(self) -> None:
        self.buffer = io.StringIO()
        self.tables: list[tuple[list[str], list[list[Any]], str | None]] = []

    @property
    def text(self) -> str:
        return self.buffer.getvalue()

    def line(self, text: str = "", *, style: str | None = None) -> None:
        self.buffer.write(text + "\n")

    info = success = warning = error = verbose = debug = line

    def table(
        self, headers: Sequence[str], rows: Iterable[Sequence[Any]], *, title: str | None = None
    ) -> None:
        materialised = [list(row) for row in rows]
        self.tables.append((list(headers), materialised, title))
        if title:
            self.line(title)
        for row in [list(headers), *materialised]:
            self.line("  ".join(str(cell) for cell in row))

    def definition_list(self, items: Mapping[str, Any], *, title: str | None = None) -> None:
        for key, value in items.items():
            self.line(f"{key}: {value}")

    def bullet_list(self, items: Iterable[str]) -> None:
        for item in items:
            self.line(f"- {item}")

    def panel(self, text: str, *, title: str | None = None, style: str | None = None) -> None:
        self.line(text)

    def json(self, data: Any) -> None:
        self.line(json.dumps(data))

    @contextmanager
    def progress(self, total: int | None, *, description: str = "") -> Iterator[Any]:
        yield None

    @contextmanager
    def spinner(self, text: str) -> Iterator[None]:
        yield None


@pytest.fixture
def container() -> Container:
    return Container()


@pytest.fixture
def output() -> PlainOutput:
    return PlainOutput()
