"""Logging for server and worker processes: one handler on the root logger.

A console run is configured by ``foundry-verbosity`` (``-v`` flags, short lines for a
person at a terminal). A process that serves requests runs for days and is read by log
shippers and people tailing it, so it gets :func:`configure_logging`: JSON lines or pretty
text at ``LOG_LEVEL``, every record carrying its request, user and trace ids. Server
loggers that install their own console handlers (uvicorn, gunicorn, hypercorn) are made
to propagate to this one, so every line of the process has the same shape.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable
from typing import IO

from foundry.observability.formatters import (
    ContextFilter,
    JsonFormatter,
    PrettyFormatter,
    wants_colour,
)
from foundry.observability.settings import NOTICE, LogFormat

__all__ = ["SERVER_LOGGERS", "ServerLogHandler", "configure_logging", "installed_handler"]

SERVER_LOGGERS: tuple[str, ...] = (
    "uvicorn",
    "uvicorn.error",
    "uvicorn.access",
    "gunicorn.error",
    "gunicorn.access",
    "hypercorn.error",
    "hypercorn.access",
)
"""Loggers of ASGI servers that bring their own handlers; they are routed to ours."""

_MARK = "foundry_observability_handler"


class ServerLogHandler(logging.StreamHandler[IO[str]]):
    """Writes to ``sys.stderr`` as it is at each record, or to a fixed stream if given.

    Looked up late so a test capturing stderr, or a supervisor swapping it, still sees
    every line.
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


def installed_handler() -> logging.Handler | None:
    """The handler :func:`configure_logging` put on the root logger, if any."""
    return next((h for h in logging.getLogger().handlers if getattr(h, _MARK, False)), None)


def _is_console(handler: logging.Handler) -> bool:
    """A handler writing to the process's stdout/stderr (not a file, not a test capture)."""
    if getattr(handler, _MARK, False):
        return True
    if not isinstance(handler, logging.StreamHandler) or isinstance(handler, logging.FileHandler):
        return False
    consoles = {id(s) for s in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__) if s}
    return id(getattr(handler, "stream", None)) in consoles


def configure_logging(
    *,
    format: LogFormat = "pretty",
    level: int = logging.INFO,
    stream: IO[str] | None = None,
    colour: bool | None = None,
    adopt: Iterable[str] = SERVER_LOGGERS,
) -> logging.Handler:
    """Install the server log handler on the root logger; safe to call again.

    The root logger and the ``foundry`` logger get ``level``; console handlers already on
    the root logger (another ``configure_logging``, a CLI's stderr handler) are replaced so
    no line is written twice, while file handlers and test captures are kept. Python
    warnings are routed to the ``py.warnings`` logger.

    Args:
        format: ``json`` for one object per line, ``pretty`` for text.
        level: the :mod:`logging` level (``LOG_LEVEL``).
        stream: where lines go (default ``sys.stderr``, looked up per record).
        colour: colour pretty lines (default: only on a terminal without ``NO_COLOR``).
        adopt: server loggers whose own console handlers are removed so they propagate.

    Returns:
        The installed handler.
    """
    if logging.getLevelName(NOTICE) != "NOTICE":
        logging.addLevelName(NOTICE, "NOTICE")
    root = logging.getLogger()
    for handler in [h for h in root.handlers if _is_console(h)]:
        root.removeHandler(handler)
    handler = ServerLogHandler(stream)
    handler.addFilter(ContextFilter())
    if format == "json":
        handler.setFormatter(JsonFormatter())
    else:
        use_colour = wants_colour(stream) if colour is None else colour
        handler.setFormatter(PrettyFormatter(colour=use_colour))
    root.addHandler(handler)
    root.setLevel(level)
    logging.getLogger("foundry").setLevel(level)
    for name in adopt:
        server_logger = logging.getLogger(name)
        for own in [h for h in server_logger.handlers if _is_console(h)]:
            server_logger.removeHandler(own)
        server_logger.propagate = True
    logging.captureWarnings(True)
    return handler
