"""Exception handlers: every failure the framework knows of, as the one envelope.

- :class:`FoundryError` -> its own status and ``to_dict()`` (401s carry
  ``WWW-Authenticate``; 5xx are logged with the request id);
- FastAPI's ``RequestValidationError`` -> 422 ``VALIDATION_ERROR`` with ``fields`` keyed
  by path (``body.email``, ``query.page``), or 400 ``MALFORMED_JSON`` saying where the JSON
  broke;
- Starlette's ``HTTPException`` (unknown route, wrong method, ``raise HTTPException`` in an
  endpoint) -> its status with a stable code, its headers (``Allow``) kept;
- anything else -> 500 ``INTERNAL_ERROR`` (see :mod:`foundry.api.server_errors`).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable, Mapping
from http import HTTPStatus
from typing import Any

from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from foundry.api.envelope import internal_error, log_unhandled
from foundry.api.request_id import current_request_id
from foundry.domain.errors import FoundryError

__all__ = ["exception_handlers", "json_response"]

Handler = Callable[[Request, Any], Awaitable[Response]]
log = logging.getLogger("foundry.api")

_CODES = {
    400: "BAD_REQUEST",
    401: "UNAUTHENTICATED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    409: "CONFLICT",
    413: "PAYLOAD_TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
    422: "VALIDATION_ERROR",
    429: "TOO_MANY_REQUESTS",
    500: "INTERNAL_ERROR",
    503: "SERVICE_UNAVAILABLE",
}
_NO_BODY = frozenset({204, 304})


def json_response(
    body: Mapping[str, Any], status: int, headers: Mapping[str, str] | None = None
) -> Response:
    """A JSON response of ``body`` (values JSON cannot hold are written as text)."""
    content = json.dumps(body, default=str, ensure_ascii=False, separators=(",", ":"))
    return Response(content, status, headers=dict(headers or {}), media_type="application/json")


def _code_for(status: int) -> str:
    if status in _CODES:
        return _CODES[status]
    try:
        return HTTPStatus(status).name
    except ValueError:
        return "HTTP_ERROR"


async def foundry_error(request: Request, exc: FoundryError) -> Response:
    headers: dict[str, str] = {}
    if exc.status == 401:
        headers["WWW-Authenticate"] = str(getattr(exc, "challenge", "Bearer"))
    if exc.status >= 500:
        log.error(
            "%s on %s %s (request id %s): %s",
            exc.code,
            request.method,
            request.url.path,
            current_request_id() or "-",
            exc.message,
            exc_info=exc,
        )
    return json_response({"error": exc.to_dict()}, exc.status, headers)


def _malformed_json(exc: RequestValidationError, error: Mapping[str, Any]) -> Response:
    cause = exc.__cause__
    if isinstance(cause, json.JSONDecodeError):
        reason, line, column, position = cause.msg, cause.lineno, cause.colno, cause.pos
        where = f"line {line} column {column} (character {position})"
        context: dict[str, Any] = {"line": line, "column": column, "position": position}
    else:
        reason = str(error.get("ctx", {}).get("error", "invalid JSON"))
        loc = error.get("loc", ())
        where = f"character {loc[-1]}" if loc else "an unknown position"
        context = {"position": loc[-1] if loc else None}
    body = {
        "code": "MALFORMED_JSON",
        "message": f"The request body is not valid JSON: {reason} at {where}.",
        "status": 400,
        "context": context,
    }
    return json_response({"error": body}, 400)


async def validation_error(request: Request, exc: RequestValidationError) -> Response:
    errors = list(exc.errors())
    for error in errors:
        if error.get("type") == "json_invalid":
            return _malformed_json(exc, error)
    fields: dict[str, list[str]] = {}
    for error in errors:
        path = ".".join(str(part) for part in error.get("loc", ())) or "body"
        fields.setdefault(path, []).append(str(error.get("msg", "is invalid")))
    message = "The given data was invalid."
    if fields:
        first, messages = next(iter(fields.items()))
        more = sum(len(m) for m in fields.values()) - 1
        message = f"{first}: {messages[0]}"
        message += f" (and {more} more error{'s' if more > 1 else ''})." if more else "."
    body = {"code": "VALIDATION_ERROR", "message": message, "status": 422, "fields": fields}
    return json_response({"error": body}, 422)


async def http_error(request: Request, exc: HTTPException) -> Response:
    status = exc.status_code
    headers = dict(exc.headers or {})
    if status in _NO_BODY or status < 200:
        return Response(status_code=status, headers=headers)
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "HTTP error"
    detail = exc.detail
    if isinstance(detail, str) and detail and detail != phrase:
        message = detail
    elif status == 404:
        message = f"No route matches {request.method} {request.url.path}."
    elif status == 405:
        allowed = headers.get("Allow") or headers.get("allow") or "another method"
        message = f"{request.method} is not allowed on {request.url.path}; use {allowed}."
    else:
        message = f"{phrase}."
    body: dict[str, Any] = {"code": _code_for(status), "message": message, "status": status}
    if not isinstance(detail, str) and detail is not None:
        body["context"] = {"detail": detail}
    return json_response({"error": body}, status, headers)


def server_error(debug: bool) -> Handler:
    """The handler Starlette's outermost error middleware calls (see ``server_errors``)."""

    async def handle(request: Request, exc: Exception) -> Response:
        log_unhandled(exc, request.scope)
        return json_response(internal_error(exc, debug=debug), 500)

    return handle


def exception_handlers(*, debug: bool) -> dict[Any, Handler]:
    """Exception class -> handler, as a provider's ``exception_handlers`` returns them.

    Args:
        debug: show exception details in 500 envelopes (never true in production).
    """
    return {
        FoundryError: foundry_error,
        RequestValidationError: validation_error,
        HTTPException: http_error,
        Exception: server_error(debug),
    }
