"""Saying in a few words why a database could not be reached.

Drivers fail in their own ways (asyncpg raises ``OSError``, aiomysql wraps it in
``OperationalError(2003, ...)``, SQLAlchemy wraps that again); :func:`reason` walks the
chain and returns a short phrase such as ``connection refused`` or
``password authentication failed for user "app"``.
"""

from __future__ import annotations

import errno
import socket
from collections.abc import Iterator
from typing import Any

__all__ = ["is_connection_error", "reason"]

_MYSQL_CONNECT_CODES = frozenset({1044, 1045, 1049, 2002, 2003, 2005, 2006, 2013})
_PG_CONNECT_STATES = ("08", "28", "3D", "57P03")  # connection, auth, unknown database, starting


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    stack: list[BaseException] = [exc]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        for linked in (getattr(current, "orig", None), current.__cause__, current.__context__):
            if isinstance(linked, BaseException):
                stack.append(linked)


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0].strip() if text.strip() else ""


def _mysql_message(exc: BaseException) -> str | None:
    args: tuple[Any, ...] = tuple(getattr(exc, "args", ()))
    if len(args) >= 2 and isinstance(args[0], int) and isinstance(args[1], str):
        if args[0] in (2003, 2002) and "refused" not in args[1].lower():
            return None  # let the OSError underneath say why (refused, unknown host ...)
        return _first_line(args[1])
    return None


def reason(exc: BaseException, timeout: float | None = None) -> str:
    """A short, lower-case phrase saying why ``exc`` kept the database out of reach."""
    found_os: OSError | None = None
    for item in _chain(exc):
        if isinstance(item, TimeoutError):
            return f"no answer within {timeout:g}s" if timeout else "timed out"
        if isinstance(item, ConnectionRefusedError) or (
            isinstance(item, OSError) and item.errno == errno.ECONNREFUSED
        ):
            return "connection refused"
        if isinstance(item, socket.gaierror):
            return "unknown host"
        if isinstance(item, OSError) and found_os is None:
            found_os = item
    if found_os is not None:
        text = found_os.strerror or str(found_os)
        return _first_line(text).lower() or type(found_os).__name__
    for item in _chain(exc):
        mysql = _mysql_message(item)
        if mysql:
            return mysql
    for item in _chain(exc):
        if getattr(item, "orig", None) is None and item is not exc:
            text = _first_line(str(item))
            if text:
                return text
    return _first_line(str(exc)) or type(exc).__name__


def is_connection_error(exc: BaseException) -> bool:
    """True when ``exc`` means "could not connect" rather than "the statement failed"."""
    for item in _chain(exc):
        if isinstance(item, OSError | TimeoutError):
            return True
        args = getattr(item, "args", ())
        if args and isinstance(args[0], int) and args[0] in _MYSQL_CONNECT_CODES:
            return True
        state = getattr(item, "sqlstate", None) or getattr(item, "pgcode", None)
        if isinstance(state, str) and state.startswith(_PG_CONNECT_STATES):
            return True
        if type(item).__name__ == "OperationalError" and "unable to open database" in str(item):
            return True
    return False
