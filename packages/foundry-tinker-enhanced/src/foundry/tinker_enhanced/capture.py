"""``print()`` inside ``--execute`` code, written through the command's Output.

Under ``--format json`` stdout must carry one JSON document only, and a caller capturing a
command (``call("tinker", execute=...)``) expects what the code printed in the captured
output. So while the snippet runs, ``sys.stdout`` is a writer that hands each complete line
to ``Output.line``.
"""

from __future__ import annotations

import io
import sys

from foundry.domain.console import Output

__all__ = ["OutputWriter"]


class OutputWriter(io.TextIOBase):
    """A text stream that writes each line to an :class:`Output`."""

    def __init__(self, output: Output) -> None:
        super().__init__()
        self._output = output
        self._partial = ""
        self._writing = False

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        """Buffer ``text`` and write every line it completes."""
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        if self._writing:  # an Output that itself writes to sys.stdout: no loop
            return sys.__stdout__.write(text) if sys.__stdout__ is not None else len(text)
        lines = (self._partial + text).split("\n")
        self._partial = lines.pop()
        self._emit(lines)
        return len(text)

    def _emit(self, lines: list[str]) -> None:
        self._writing = True
        try:
            for line in lines:
                self._output.line(line)
        finally:
            self._writing = False

    def flush(self) -> None:
        """Nothing to do: a line is written when it is complete (``print(..., end="",
        flush=True)`` must not cut a line in two)."""

    def finish(self) -> None:
        """Write a last line that has no newline yet."""
        if self._partial:
            partial, self._partial = self._partial, ""
            self._emit([partial])
