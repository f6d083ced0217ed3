"""Who and what the current request or command is about, readable from anywhere.

The HTTP kernel sets the request id, the auth guards set the user id, and the log
formatter, the audit trail and error reports read them — without any of those packages
importing each other. Values live in :mod:`contextvars`, so concurrent requests never see
each other's.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

__all__ = ["bind_context", "current_request_id", "current_user_id"]

_request_id: ContextVar[str | None] = ContextVar("foundry_request_id", default=None)
_user_id: ContextVar[str | None] = ContextVar("foundry_user_id", default=None)


def current_request_id() -> str | None:
    """The id of the request being handled (``X-Request-ID``), if any."""
    return _request_id.get()


def current_user_id() -> str | None:
    """The authenticated user's id for the current request or command, if any."""
    return _user_id.get()


@contextmanager
def bind_context(*, request_id: str | None = None, user_id: str | None = None) -> Iterator[None]:
    """Set the request and/or user id for the duration of a block (only those given)."""
    tokens = []
    if request_id is not None:
        tokens.append((_request_id, _request_id.set(request_id)))
    if user_id is not None:
        tokens.append((_user_id, _user_id.set(user_id)))
    try:
        yield
    finally:
        for var, token in reversed(tokens):
            var.reset(token)


def set_user_id(user_id: str | None) -> None:
    """Record the authenticated user for the rest of the current request (auth guards call
    this once they know who is asking; the request's context ends with the request)."""
    _user_id.set(user_id)


__all__ += ["set_user_id"]
