"""The one stderr handler a console run logs through, and its formatter.

Logs never go to stdout: stdout may be carrying ``--format json`` to a pipe.
"""

from __future__ import annotations

import logging
import sys
import traceback
from typing import IO, Any

__all__ = ["ConsoleFormatter", "StderrHandler", "find_handlers"]

PLAIN_FORMAT = "%(levelname)s: %(message)s"
DETAILED_FORMAT = "%(asctime)s.%(msecs)03d %(levelname)-8s %(name)s: %(message)s"
DETAILED_DATES = "%H:%M:%S"

_MARK = "foundry_verbosity_handler"


class StderrHandler(logging.StreamHandler[IO[str]]):
    """Writes to ``sys.stderr`` as it is *at each record*, or to a fixed stream if given.

    Looking ``sys.stderr`` up late keeps the handler right when something swaps the stream
    after configuration: a test capturing output, or a progress bar redirecting stderr
    above itself.
    """

    def __init__(self, stream: IO[str] | None = None) -> None:
        logging.Handler.__init__(self)
        self._fixed = stream
        setattr(self, _MARK, True)

    @property
    def stream(self) -> IO[str]:
        return self._fixed if self._fixed is not None else sys.stderr

    @stream.setter
    def stream(self, value: IO[str] | None) -> None:
        self._fixed = value


def find_handlers(logger: logging.Logger) -> list[logging.Handler]:
    """The handlers of ours already on ``logger`` (found by mark, so a reloaded module's
    handler class still counts)."""
    return [h for h in logger.handlers if getattr(h, _MARK, False)]


class ConsoleFormatter(logging.Formatter):
    """Short lines normally; time and logger name when detailed; tracebacks only on demand.

    Without tracebacks, an exception logged with ``exc_info`` adds one line,
    ``ValueError: the message``, instead of the whole stack (and ``stack_info`` is left
    out). The record's cached
    traceback text is left as it was, so other handlers (a log file) still get it in full.
    """

    def __init__(self, *, detailed: bool, tracebacks: bool) -> None:
        if detailed:
            super().__init__(DETAILED_FORMAT, DETAILED_DATES)
        else:
            super().__init__(PLAIN_FORMAT)
        self.detailed = detailed
        self.tracebacks = tracebacks

    def format(self, record: logging.LogRecord) -> str:
        cached_exc, cached_stack = record.exc_text, record.stack_info
        record.exc_text = None
        if not self.tracebacks:
            record.stack_info = None
        try:
            return super().format(record)
        finally:
            record.exc_text, record.stack_info = cached_exc, cached_stack

    def formatException(self, ei: Any) -> str:
        if self.tracebacks:
            return super().formatException(ei)
        value = ei[1]
        if value is None:
            return ""
        return "".join(traceback.format_exception_only(value)).rstrip("\n")
