"""An :class:`~foundry.domain.console.Output` that records instead of printing.

``call()`` hands it to the command so everything the command writes comes back as text.
Styles are dropped (a captured run is read by code or logged, never drawn on a terminal),
progress bars and spinners are silent, and the verbosity rules of the contract still apply:
``verbose``/``debug`` lines are kept only at ``-v``/``-vvv`` and ``QUIET`` keeps errors only.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal

from foundry.command_executor.errors import OutputWriteError
from foundry.domain.commands import Verbosity
from foundry.domain.console import iter_lines

__all__ = ["BufferedOutput", "OutputLine", "Stream"]

Stream = Literal["stdout", "stderr"]


@dataclass(frozen=True, slots=True)
class OutputLine:
    """One recorded line.

    Attributes:
        text: the plain text, without styles or a trailing newline.
        kind: the :class:`Output` method that wrote it (``line``, ``info``, ``success``,
            ``warning``, ``error``, ``verbose``, ``debug``, ``table``, ``definition_list``,
            ``bullet_list``, ``panel`` or ``json``), so callers can still tell a warning from
            an ordinary line once the colours are gone.
        stream: ``stderr`` for ``error()``, ``stdout`` for everything else.
    """

    text: str
    kind: str
    stream: Stream = "stdout"


class _SilentBar:
    """The progress bar of a captured run: it counts nothing and draws nothing."""

    def advance(self, steps: int = 1) -> None:
        return None

    def update(self, *, completed: int | None = None, description: str | None = None) -> None:
        return None


class BufferedOutput:
    """Implements ``foundry.domain.console.Output`` by recording plain lines in memory.

    Args:
        verbosity: what to keep, as on a terminal (``Verbosity.QUIET`` keeps only errors
            and JSON documents, which are data rather than chatter).
    """

    def __init__(self, verbosity: Verbosity = Verbosity.NORMAL) -> None:
        self.verbosity = Verbosity(verbosity)
        self._lines: list[OutputLine] = []

    # --- reading what was recorded -------------------------------------------------------

    @property
    def lines(self) -> tuple[OutputLine, ...]:
        """Every recorded line, in the order the command wrote them."""
        return tuple(self._lines)

    def text(self, stream: Stream | None = None) -> str:
        """The recorded lines joined with newlines (one stream, or both interleaved)."""
        return "\n".join(
            line.text for line in self._lines if stream is None or line.stream == stream
        )

    def clear(self) -> None:
        """Forget everything recorded so far (to reuse one buffer across calls)."""
        self._lines.clear()

    # --- the Output contract -------------------------------------------------------------

    @property
    def decorated(self) -> bool:
        return False

    def _record(
        self,
        text: str,
        kind: str,
        *,
        minimum: Verbosity = Verbosity.NORMAL,
        stream: Stream = "stdout",
    ) -> None:
        if self.verbosity >= minimum:
            self._lines.extend(OutputLine(part, kind, stream) for part in iter_lines(text))

    def line(self, text: str = "", *, style: str | None = None) -> None:
        self._record(text, "line")

    def info(self, text: str) -> None:
        self._record(text, "info")

    def success(self, text: str) -> None:
        self._record(text, "success")

    def warning(self, text: str) -> None:
        self._record(text, "warning")

    def error(self, text: str) -> None:
        self._record(text, "error", minimum=Verbosity.QUIET, stream="stderr")

    def verbose(self, text: str) -> None:
        self._record(text, "verbose", minimum=Verbosity.VERBOSE)

    def debug(self, text: str) -> None:
        self._record(text, "debug", minimum=Verbosity.DEBUG)

    def table(
        self, headers: Sequence[str], rows: Iterable[Sequence[Any]], *, title: str | None = None
    ) -> None:
        cells = [[str(h) for h in headers]] + [
            ["" if c is None else str(c) for c in row] for row in rows
        ]
        count = max(len(row) for row in cells)
        widths = [
            max((len(row[i]) for row in cells if i < len(row)), default=0) for i in range(count)
        ]
        rendered = [title] if title else []
        for index, row in enumerate(cells):
            rendered.append(
                "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=False)).rstrip()
            )
            if index == 0:
                rendered.append("  ".join("-" * w for w in widths))
        self._record("\n".join(rendered), "table")

    def definition_list(self, items: Mapping[str, Any], *, title: str | None = None) -> None:
        width = max((len(str(k)) for k in items), default=0)
        rendered = [title] if title else []
        rendered += [f"{str(key).ljust(width)}  {value}" for key, value in items.items()]
        if rendered:
            self._record("\n".join(rendered), "definition_list")

    def bullet_list(self, items: Iterable[str]) -> None:
        rendered = [f"- {item}" for item in items]
        if rendered:
            self._record("\n".join(rendered), "bullet_list")

    def panel(self, text: str, *, title: str | None = None, style: str | None = None) -> None:
        self._record(f"{title}\n{text}" if title else text, "panel")

    def json(self, data: Any) -> None:
        """Record ``data`` as one compact JSON line, whatever the verbosity.

        Raises:
            OutputWriteError: ``data`` holds NaN/Infinity or a circular reference.
        """
        import json

        try:
            document = json.dumps(data, default=str, ensure_ascii=False, allow_nan=False)
        except ValueError as exc:
            raise OutputWriteError(
                f"Output.json(): the data cannot be written as JSON ({exc}); convert "
                "NaN/Infinity to null or a string and break circular references."
            ) from None
        self._lines.append(OutputLine(document, "json"))

    @contextmanager
    def progress(self, total: int | None, *, description: str = "") -> Iterator[_SilentBar]:
        yield _SilentBar()

    @contextmanager
    def spinner(self, text: str) -> Iterator[None]:
        yield None

    def __repr__(self) -> str:
        return f"<BufferedOutput {len(self._lines)} line(s)>"
