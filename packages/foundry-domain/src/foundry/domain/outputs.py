"""Plain implementations of the :class:`~foundry.domain.console.Output` contract.

Two outputs that need nothing but the standard library, laid out by
:mod:`foundry.domain.text` so their tables read exactly like ``foundry-console``'s when it
is piped:

* :class:`PlainOutput` writes plain text to streams: the kernel's fallback when no console
  package is installed, and the output of any code that must print without styling;
* :class:`BufferedOutput` records what a command writes as :class:`OutputLine` objects:
  ``call()`` captures a command's output with it, a pipeline groups a parallel step's.

Both follow the contract's verbosity rules (``verbose`` from ``-v``, ``debug`` from
``-vvv``, ``-q`` keeps only errors and JSON), never draw progress bars or spinners, and
write ``json()`` as one compact line.
"""

from __future__ import annotations

import sys
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal, TextIO

from foundry.domain.commands import Verbosity
from foundry.domain.console import Output, iter_lines
from foundry.domain.errors import OutputError
from foundry.domain.text import (
    Grid,
    bullet_lines,
    definition_lines,
    panel_lines,
    table_lines,
)

__all__ = [
    "BufferedOutput",
    "OutputLine",
    "PlainOutput",
    "SilentProgressBar",
    "Stream",
    "encode_json",
    "output_verbosity",
    "table_grid",
]

Stream = Literal["stdout", "stderr"]


class SilentProgressBar:
    """A :class:`foundry.domain.console.ProgressBar` that counts but writes nothing.

    Piped or captured output must stay clean (``foundry x | jq``), so the bar keeps its
    state for the command and shows none of it.
    """

    __slots__ = ("completed", "description", "total")

    def __init__(self, total: int | None, description: str = "") -> None:
        self.total = total
        self.description = description
        self.completed = 0

    def advance(self, steps: int = 1) -> None:
        """Move forward by ``steps``."""
        self.completed += steps

    def update(self, *, completed: int | None = None, description: str | None = None) -> None:
        """Set the steps done and/or the description."""
        if completed is not None:
            self.completed = completed
        if description is not None:
            self.description = description

    def __repr__(self) -> str:
        return (
            f"SilentProgressBar({self.completed}/{self.total if self.total is not None else '?'})"
        )


def output_verbosity(value: Verbosity | int, owner: str) -> Verbosity:
    """``value`` as a :class:`Verbosity` (its number is accepted too).

    Raises:
        OutputError: ``value`` is not a level; the message names ``owner`` and the levels.
    """
    try:
        return Verbosity(value)
    except (ValueError, TypeError):
        levels = ", ".join(f"{v.name}={v.value}" for v in Verbosity)
        raise OutputError(
            f"{owner}: verbosity {value!r} is not a level; use one of {levels}.",
            context={"verbosity": repr(value)},
        ) from None


def encode_json(data: Any, *, indent: int | None = None, ascii_only: bool = False) -> str:
    """``data`` as one JSON document, the way every Output's ``json()`` writes it.

    Values JSON lacks (dates, paths, UUIDs, decimals) become ``str(value)``; ``indent=None``
    gives one line; ``ascii_only`` escapes non-ASCII text (for a stream that cannot encode it).

    Raises:
        OutputError: the data holds NaN/Infinity, a circular reference, or a mapping key
            JSON cannot hold.
    """
    import json

    try:
        return json.dumps(
            data, default=str, allow_nan=False, ensure_ascii=ascii_only, indent=indent
        )
    except (ValueError, TypeError) as exc:
        raise OutputError(
            f"Output.json(): the data cannot be written as JSON ({exc}); convert "
            "NaN/Infinity to null or a string, break circular references, and use "
            "string keys.",
        ) from None


def table_grid(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> Grid:
    """The cells of ``Output.table()`` as a :class:`~foundry.domain.text.Grid`.

    Raises:
        OutputError: a row has more cells than there are headers; the message names the
            row and the fix.
    """
    try:
        return Grid.build(headers, list(rows))
    except ValueError as exc:
        raise OutputError(
            f"Output.table(): {exc}; give each row at most one cell per header.",
            context={"headers": list(headers)},
        ) from None


@dataclass(frozen=True, slots=True)
class OutputLine:
    """One line a command wrote.

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


class _PlainOutputBase(ABC):
    """The Output contract in plain text; subclasses decide where the lines go."""

    def __init__(self, verbosity: Verbosity) -> None:
        self._verbosity = output_verbosity(verbosity, type(self).__name__)

    @abstractmethod
    def _emit(self, lines: list[str], kind: str, stream: Stream) -> None:
        """Write (or record) ``lines``, which one method of the contract (``kind``) made."""

    @property
    def decorated(self) -> bool:
        """Always False: plain text, no escape codes."""
        return False

    @property
    def verbosity(self) -> Verbosity:
        """The level messages are filtered against."""
        return self._verbosity

    def _message(self, text: str, kind: str, minimum: Verbosity = Verbosity.NORMAL) -> None:
        if self._verbosity >= minimum:
            self._emit(list(iter_lines(text)), kind, "stdout")

    def line(self, text: str = "", *, style: str | None = None) -> None:
        """A line of text (``style`` is ignored: plain output has none)."""
        self._message(text, "line")

    def info(self, text: str) -> None:
        self._message(text, "info")

    def success(self, text: str) -> None:
        self._message(text, "success")

    def warning(self, text: str) -> None:
        self._message(text, "warning")

    def error(self, text: str) -> None:
        """Written to stderr, even under ``-q``."""
        self._emit(list(iter_lines(text)), "error", "stderr")

    def verbose(self, text: str) -> None:
        """Shown from ``-v``."""
        self._message(text, "verbose", Verbosity.VERBOSE)

    def debug(self, text: str) -> None:
        """Shown from ``-vvv``."""
        self._message(text, "debug", Verbosity.DEBUG)

    def table(
        self, headers: Sequence[str], rows: Iterable[Sequence[Any]], *, title: str | None = None
    ) -> None:
        """Aligned columns under a dashed rule; numbers right-aligned, ``None`` empty.

        Raises:
            OutputError: a row has more cells than there are headers (nothing is written).
        """
        grid = table_grid(headers, rows)
        if self._verbosity >= Verbosity.NORMAL:
            self._structure(table_lines(grid, title=title), "table")

    def definition_list(self, items: Mapping[str, Any], *, title: str | None = None) -> None:
        """``key  value`` pairs with the values aligned."""
        if self._verbosity >= Verbosity.NORMAL:
            self._structure(definition_lines(items, title=title), "definition_list")

    def bullet_list(self, items: Iterable[str]) -> None:
        """``- item`` per item."""
        entries = list(items)
        if self._verbosity >= Verbosity.NORMAL:
            self._structure(bullet_lines(entries), "bullet_list")

    def panel(self, text: str, *, title: str | None = None, style: str | None = None) -> None:
        """The title on its own line, the body indented beneath it."""
        if self._verbosity >= Verbosity.NORMAL:
            self._structure(panel_lines(text, title=title), "panel")

    def _structure(self, lines: list[str], kind: str) -> None:
        if lines:
            self._emit(lines, kind, "stdout")

    def json(self, data: Any) -> None:
        """One compact JSON line on stdout, whatever the verbosity (JSON is data).

        Raises:
            OutputError: the data cannot be written as JSON; nothing is written.
        """
        self._emit([encode_json(data, ascii_only=self._ascii_only())], "json", "stdout")

    def _ascii_only(self) -> bool:
        return False

    @contextmanager
    def progress(self, total: int | None, *, description: str = "") -> Iterator[SilentProgressBar]:
        """A bar that counts in silence."""
        yield SilentProgressBar(total, description)

    @contextmanager
    def spinner(self, text: str) -> Iterator[None]:
        """Nothing is drawn."""
        yield None


class PlainOutput(_PlainOutputBase):
    """Implements :class:`~foundry.domain.console.Output` as plain text on two streams.

    Args:
        stdout: where normal output goes (default: ``sys.stdout`` at construction).
        stderr: where :meth:`error` writes (default: ``sys.stderr``).
        verbosity: messages below it are dropped (``QUIET`` keeps errors and JSON).
        decorated: accepted so that ``app.make(Output, decorated=...)`` works whichever
            output is bound; plain output is never decorated.

    Raises:
        OutputError: ``verbosity`` is not a level.
    """

    def __init__(
        self,
        stdout: TextIO | None = None,
        stderr: TextIO | None = None,
        verbosity: Verbosity = Verbosity.NORMAL,
        decorated: bool | None = None,
    ) -> None:
        super().__init__(verbosity)
        self._stdout: TextIO = stdout if stdout is not None else sys.stdout
        self._stderr: TextIO = stderr if stderr is not None else sys.stderr

    def _emit(self, lines: list[str], kind: str, stream: Stream) -> None:
        target = self._stderr if stream == "stderr" else self._stdout
        target.write("\n".join(lines) + "\n")
        target.flush()

    def _ascii_only(self) -> bool:
        encoding = (getattr(self._stdout, "encoding", None) or "utf-8").lower()
        return not encoding.replace("-", "").startswith("utf")

    def __repr__(self) -> str:
        return f"<PlainOutput verbosity={self._verbosity.name}>"


class BufferedOutput(_PlainOutputBase):
    """Implements :class:`~foundry.domain.console.Output` by recording plain lines.

    Args:
        verbosity: what to keep, as on a terminal (``Verbosity.QUIET`` keeps only errors
            and JSON documents, which are data rather than chatter).

    Raises:
        OutputError: ``verbosity`` is not a level.
    """

    def __init__(self, verbosity: Verbosity = Verbosity.NORMAL) -> None:
        super().__init__(verbosity)
        self._lines: list[OutputLine] = []

    def _emit(self, lines: list[str], kind: str, stream: Stream) -> None:
        self._lines.extend(OutputLine(text, kind, stream) for text in lines)

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

    def replay(self, output: Output) -> None:
        """Write the recorded lines to ``output``, each through the method that wrote it.

        Messages keep their kind (a warning is still a warning, an error still goes to
        stderr, JSON is written as JSON) and are filtered again by ``output``'s verbosity;
        tables, lists and panels are written line by line as already laid out.
        """
        import json

        for line in self._lines:
            if line.kind == "json":
                output.json(json.loads(line.text))
            elif line.kind in _MESSAGE_KINDS:
                getattr(output, line.kind)(line.text)
            else:
                output.line(line.text)

    def __repr__(self) -> str:
        return f"<BufferedOutput {len(self._lines)} line(s)>"


_MESSAGE_KINDS = frozenset({"line", "info", "success", "warning", "error", "verbose", "debug"})
