"""Log records as JSON lines or readable text, with who and what they are about.

:class:`ContextFilter` stamps every record with the request id and user id from
:mod:`foundry.domain.context` (and the trace and span ids while a trace is active), so
the formatters, and any other handler a user adds, can print them.
:class:`JsonFormatter` writes one JSON object per line for log shippers;
:class:`PrettyFormatter` writes aligned, optionally coloured text for people.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import traceback
from collections.abc import Callable
from datetime import UTC, datetime
from typing import IO, Any

from foundry.domain.context import current_request_id, current_user_id

__all__ = [
    "ContextFilter",
    "JsonFormatter",
    "PrettyFormatter",
    "set_trace_ids_source",
    "wants_colour",
]

TraceIds = Callable[[], tuple[str, str] | None]

_trace_ids: TraceIds | None = None

# Attributes every LogRecord has; anything else on a record came from ``extra=``.
_STANDARD = frozenset(
    {
        *vars(logging.LogRecord("", 0, "", 0, "", None, None)),
        "message",
        "asctime",
        "request_id",
        "user_id",
        "trace_id",
        "span_id",
        "taskName",
        # uvicorn attaches a coloured copy of its message to some records: not data
        "color_message",
    }
)


def set_trace_ids_source(source: TraceIds | None) -> None:
    """Where :class:`ContextFilter` finds the active trace: a function returning
    ``(trace_id, span_id)`` as hex, or None when no span is active. Tracing installs it;
    without it records carry no trace ids and no tracing library is imported."""
    global _trace_ids
    _trace_ids = source


class ContextFilter(logging.Filter):
    """Adds ``request_id``, ``user_id`` and, while tracing, ``trace_id``/``span_id``.

    Values set by the caller (``extra={"request_id": ...}``) are kept. Attached to a
    handler, it never drops a record.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = current_request_id()
        if getattr(record, "user_id", None) is None:
            record.user_id = current_user_id()
        if getattr(record, "trace_id", None) is None:
            ids = _trace_ids() if _trace_ids is not None else None
            record.trace_id, record.span_id = ids if ids is not None else (None, None)
        return True


def _extras(record: logging.LogRecord) -> dict[str, Any]:
    return {k: v for k, v in vars(record).items() if k not in _STANDARD and not k.startswith("_")}


def _exception(record: logging.LogRecord) -> dict[str, str] | None:
    if not record.exc_info or record.exc_info[1] is None:
        return None
    exc_type, value, tb = record.exc_info
    assert exc_type is not None
    return {
        "type": exc_type.__qualname__
        if exc_type.__module__ in ("builtins", "__main__")
        else f"{exc_type.__module__}.{exc_type.__qualname__}",
        "message": str(value),
        "traceback": "".join(traceback.format_exception(exc_type, value, tb)).rstrip("\n"),
    }


class JsonFormatter(logging.Formatter):
    """One JSON object per line: ``time`` (UTC, ISO 8601, milliseconds), ``level``,
    ``logger``, ``message``, then ``request_id``/``user_id``/``trace_id``/``span_id`` when
    known, ``exception`` (``type``, ``message``, ``traceback``) when one is attached,
    ``stack`` for ``stack_info``, and any ``extra=`` fields.

    Values JSON cannot represent are written with ``str()``; a line never fails to render.
    """

    def format(self, record: logging.LogRecord) -> str:
        body: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC)
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key in ("request_id", "user_id", "trace_id", "span_id"):
            value = getattr(record, key, None)
            if value is not None:
                body[key] = value
        exception = _exception(record)
        if exception is not None:
            body["exception"] = exception
        if record.stack_info:
            body["stack"] = record.stack_info
        for key, value in _extras(record).items():
            body.setdefault(key, value)
        return json.dumps(body, default=str, ensure_ascii=False)


_RESET = "\x1b[0m"
_DIM = "\x1b[2m"
_LEVEL_COLOURS = {
    logging.DEBUG: "\x1b[36m",  # cyan
    logging.INFO: "\x1b[32m",  # green
    logging.INFO + 5: "\x1b[34m",  # notice: blue
    logging.WARNING: "\x1b[33m",  # yellow
    logging.ERROR: "\x1b[31m",  # red
    logging.CRITICAL: "\x1b[1;41m",  # bold on red
}


def wants_colour(stream: IO[str] | None) -> bool:
    """Colour only for a terminal, never with ``NO_COLOR`` set; ``FORCE_COLOR`` forces it
    (the conventions of no-color.org and force-color.org)."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    target = stream if stream is not None else sys.stderr
    isatty = getattr(target, "isatty", None)
    return bool(isatty and isatty())


class PrettyFormatter(logging.Formatter):
    """``12:04:05.123 INFO     foundry.api  Message  request_id=ab12 user_id=7``.

    Context and ``extra=`` fields follow the message as ``key=value``; a logged exception
    follows on the next lines as its full traceback.

    Args:
        colour: colour the level and dim the details (ANSI escapes).
    """

    def __init__(self, *, colour: bool = False) -> None:
        super().__init__()
        self.colour = colour

    def format(self, record: logging.LogRecord) -> str:
        stamp = datetime.fromtimestamp(record.created).strftime("%H:%M:%S.") + (
            f"{int(record.msecs):03d}"
        )
        level = f"{record.levelname:<8}"
        fields = [
            f"{key}={getattr(record, key)}"
            for key in ("request_id", "user_id", "trace_id")
            if getattr(record, key, None) is not None
        ]
        fields += [f"{key}={value!r}" for key, value in _extras(record).items()]
        details = "  " + " ".join(fields) if fields else ""
        if self.colour:
            colour = _LEVEL_COLOURS.get(record.levelno, "")
            line = (
                f"{_DIM}{stamp}{_RESET} {colour}{level}{_RESET} {_DIM}{record.name}{_RESET}  "
                f"{record.getMessage()}{_DIM}{details}{_RESET}"
            )
        else:
            line = f"{stamp} {level} {record.name}  {record.getMessage()}{details}"
        if record.exc_info and record.exc_info[1] is not None:
            line += "\n" + self.formatException(record.exc_info)
        if record.stack_info:
            line += "\n" + self.formatStack(record.stack_info)
        return line
