"""The error envelope every failure renders as: ``{"error": {"code", "message", "status"}}``.

``fields`` (validation) and ``context`` (details from :meth:`FoundryError.to_dict`) are
added when they have something to say; ``debug`` (exception type, message, traceback) only
in debug mode outside production. The functions here are framework-free, so pure-ASGI
middleware can answer with the same body the exception handlers use.
"""

from __future__ import annotations

import logging
import traceback
from typing import Any

from foundry.api.asgi import Scope
from foundry.api.request_id import current_request_id

__all__ = ["INTERNAL_ERROR", "internal_error", "log_unhandled"]

INTERNAL_ERROR = "INTERNAL_ERROR"
log = logging.getLogger("foundry.api")


def _innermost(exc: BaseException) -> BaseException:
    """The one real error inside single-member exception groups (task groups wrap them)."""
    while isinstance(exc, BaseExceptionGroup) and len(exc.exceptions) == 1:
        exc = exc.exceptions[0]
    return exc


def internal_error(exc: BaseException, *, debug: bool) -> dict[str, Any]:
    """The envelope of an unexpected error: generic, unless ``debug`` asks for the details.

    Args:
        exc: what was raised.
        debug: include the exception's type, message and traceback (never in production:
            the caller decides ``app.debug and not app.is_production()``).
    """
    request_id = current_request_id()
    reference = f" (request id {request_id})" if request_id else ""
    body: dict[str, Any] = {
        "code": INTERNAL_ERROR,
        "message": f"The server hit an unexpected error{reference}; it has been logged.",
        "status": 500,
    }
    if debug:
        real = _innermost(exc)
        kind = type(real)
        body["debug"] = {
            "exception": f"{kind.__module__}.{kind.__qualname__}",
            "message": str(real),
            "traceback": "".join(traceback.format_exception(real)).splitlines(),
        }
    return {"error": body}


def log_unhandled(exc: BaseException, scope: Scope) -> None:
    """Log an unexpected error with the request's method, path and id."""
    request_id = current_request_id()
    log.error(
        "Unhandled %s on %s %s (request id %s)",
        type(_innermost(exc)).__name__,
        scope.get("method", "-"),
        scope.get("path", "-"),
        request_id or "-",
        exc_info=exc,
        extra={"request_id": request_id or "-"},
    )
