"""Assertions on HTTP responses that say what came back when they fail.

They take any ``httpx.Response`` (the ``client`` fixture's, or any other) and raise
:class:`AssertionError` with the request, the status and the body (pretty-printed JSON,
trimmed) in the message, so a failing test shows the validation error or the 500's
envelope instead of only ``assert 422 == 201``::

    response = await client.post("/posts", json={"title": ""})
    assert_error(response, code="VALIDATION_ERROR", fields=["title"])
    assert_json_path(ok_response, "data.items.0.name", "First")
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

import httpx

__all__ = [
    "assert_error",
    "assert_json_path",
    "assert_json_structure",
    "assert_redirect",
    "assert_status",
    "json_path",
    "show_response",
]

BODY_LIMIT = 2000
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_MISSING: Any = object()


def _request_line(response: httpx.Response) -> str:
    try:
        request = response.request
    except RuntimeError:  # a Response built by hand has no request
        return "The response"
    return f"{request.method} {request.url}"


def show_response(response: httpx.Response, limit: int = BODY_LIMIT) -> str:
    """The response as failure messages show it: request, status, type and body."""
    status = f"{response.status_code} {response.reason_phrase}".strip()
    kind = response.headers.get("content-type", "no content-type")
    try:
        body = json.dumps(response.json(), indent=2, ensure_ascii=False, sort_keys=False)
    except (ValueError, UnicodeDecodeError):
        body = response.text
    if not body:
        body = "(empty body)"
    elif len(body) > limit:
        body = body[:limit] + f"\n... ({len(body) - limit} more characters)"
    return f"{_request_line(response)} answered {status} ({kind}). Body:\n{body}"


def _fail(message: str, response: httpx.Response) -> AssertionError:
    return AssertionError(f"{message}\n{show_response(response)}")


def _json(response: httpx.Response) -> Any:
    __tracebackhide__ = True
    try:
        return response.json()
    except (ValueError, UnicodeDecodeError):
        raise _fail("Expected a JSON body, but the response is not JSON.", response) from None


def assert_status(response: httpx.Response, expected: int) -> httpx.Response:
    """Fail unless the status is ``expected``; returns the response."""
    __tracebackhide__ = True
    if response.status_code != expected:
        raise _fail(f"Expected status {expected}, got {response.status_code}.", response)
    return response


def json_path(data: Any, path: str) -> Any:
    """The value at a dotted ``path`` (``data.items.0.name``; list indexes may be negative).

    Raises:
        KeyError: a step of the path does not exist; the message names it.
    """
    current = data
    walked: list[str] = []
    for step in path.split(".") if path else []:
        where = ".".join(walked) or "the document"
        if isinstance(current, list):
            try:
                current = current[int(step)]
            except ValueError:
                raise KeyError(f"{where} is a list; {step!r} is not an index") from None
            except IndexError:
                raise KeyError(
                    f"{where} has {len(current)} item(s); there is no item {step}"
                ) from None
        elif isinstance(current, dict):
            if step not in current:
                keys = ", ".join(map(str, list(current)[:20])) or "none"
                raise KeyError(f"{where} has no key {step!r} (keys: {keys})")
            current = current[step]
        else:
            raise KeyError(
                f"{where} is {type(current).__name__} {current!r}, not an object or list"
            )
        walked.append(step)
    return current


def assert_json_path(response: httpx.Response, path: str, expected: Any = _MISSING) -> Any:
    """Fail unless the JSON body has ``path`` (equal to ``expected``, when given).

    Returns:
        The value found at ``path``.
    """
    __tracebackhide__ = True
    try:
        value = json_path(_json(response), path)
    except KeyError as exc:
        raise _fail(f"Expected the JSON path {path!r}: {exc.args[0]}.", response) from None
    if expected is not _MISSING and value != expected:
        raise _fail(f"Expected {path!r} to be {expected!r}, got {value!r}.", response)
    return value


def _missing_paths(data: Any, structure: Any, prefix: str) -> list[str]:
    missing: list[str] = []

    def at(key: str) -> str:
        return f"{prefix}.{key}" if prefix else key

    if isinstance(structure, Mapping):
        for key, inner in structure.items():
            if key == "*":
                items = (
                    data
                    if isinstance(data, list)
                    else list(data.values())
                    if isinstance(data, dict)
                    else None
                )
                if items is None:
                    missing.append(f"{prefix or 'the document'} (a list or object for '*')")
                    continue
                for index, item in enumerate(items):
                    missing += _missing_paths(item, inner, at(str(index)))
            elif not isinstance(data, dict) or key not in data:
                missing.append(at(key))
            else:
                missing += _missing_paths(data[key], inner, at(key))
    elif isinstance(structure, Sequence) and not isinstance(structure, str):
        for item in structure:
            if isinstance(item, Mapping):
                missing += _missing_paths(data, item, prefix)
            elif not isinstance(data, dict) or item not in data:
                missing.append(at(str(item)))
    elif structure is not None:
        raise TypeError(f"a JSON structure is a list of keys or a dict, not {structure!r}")
    return missing


def assert_json_structure(response: httpx.Response, structure: Any) -> None:
    """Fail unless the JSON body has every key of ``structure`` (values are not compared).

    ``structure`` is a list of keys, or a dict of key -> nested structure; the key ``"*"``
    applies its structure to every item of a list::

        assert_json_structure(response, {"data": {"*": ["id", "name"]}, "meta": ["total"]})
    """
    __tracebackhide__ = True
    missing = _missing_paths(_json(response), structure, "")
    if missing:
        shown = ", ".join(missing[:20]) + (
            f" and {len(missing) - 20} more" if len(missing) > 20 else ""
        )
        raise _fail(f"The JSON body lacks {len(missing)} expected key(s): {shown}.", response)


def _same_location(response: httpx.Response, location: str, expected: str) -> bool:
    if location == expected:
        return True
    try:
        base = response.request.url
    except RuntimeError:
        base = httpx.URL("http://testserver/")
    actual, wanted = base.join(location), base.join(expected)
    if str(actual) == str(wanted):
        return True
    parts = urlsplit(expected)
    return not parts.scheme and actual.raw_path.decode() == wanted.raw_path.decode()


def assert_redirect(response: httpx.Response, location: str | None = None) -> str:
    """Fail unless the response redirects (301/302/303/307/308), to ``location`` when given.

    A path (``/login``) matches an absolute ``Location`` on any host.

    Returns:
        The ``Location`` header.
    """
    __tracebackhide__ = True
    if response.status_code not in _REDIRECTS:
        raise _fail(f"Expected a redirect, got status {response.status_code}.", response)
    actual: str | None = response.headers.get("location")
    if actual is None:
        raise _fail("Expected a redirect, but the response has no Location header.", response)
    if location is not None and not _same_location(response, actual, location):
        raise _fail(f"Expected a redirect to {location!r}, got one to {actual!r}.", response)
    return actual


def _field_keys(fields: Mapping[str, Any], name: str) -> list[str]:
    """``email`` matches ``email`` and the request-validation form ``body.email``."""
    return [key for key in fields if key == name or key.endswith("." + name)]


def assert_error(
    response: httpx.Response,
    code: str | None = None,
    *,
    fields: Sequence[str] | Mapping[str, str] | None = None,
    status: int | None = None,
    message: str | None = None,
) -> dict[str, Any]:
    """Fail unless the body is Foundry's error envelope, as described.

    Args:
        code: the expected ``error.code`` (``VALIDATION_ERROR``, ``NOT_FOUND`` ...).
        fields: field names that must have errors (``email`` also matches ``body.email``);
            a mapping checks that one of each field's messages contains the text given.
        status: the expected HTTP status (the envelope's ``status`` must agree with it).
        message: text the error's ``message`` must contain.

    Returns:
        The envelope's ``error`` object.
    """
    __tracebackhide__ = True
    body = _json(response)
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict) or not {"code", "message", "status"} <= error.keys():
        raise _fail(
            'Expected the error envelope {"error": {"code", "message", "status"}}.', response
        )
    if status is not None and response.status_code != status:
        raise _fail(f"Expected status {status}, got {response.status_code}.", response)
    if error["status"] != response.status_code:
        raise _fail(
            f"The envelope says status {error['status']} but the response is "
            f"{response.status_code}.",
            response,
        )
    if code is not None and error["code"] != code:
        raise _fail(f"Expected the error code {code!r}, got {error['code']!r}.", response)
    if message is not None and message not in str(error["message"]):
        raise _fail(f"Expected the error message to contain {message!r}.", response)
    if fields:
        _check_fields(response, error.get("fields") or {}, fields)
    return error


def _check_fields(
    response: httpx.Response,
    actual: Mapping[str, Any],
    expected: Sequence[str] | Mapping[str, str],
) -> None:
    __tracebackhide__ = True
    names = list(expected) if not isinstance(expected, Mapping) else list(expected.keys())
    absent = [name for name in names if not _field_keys(actual, name)]
    if absent:
        listed = ", ".join(actual) or "none"
        raise _fail(
            f"Expected errors for the field(s) {', '.join(absent)}; the envelope has errors "
            f"for: {listed}.",
            response,
        )
    if isinstance(expected, Mapping):
        for name, text in expected.items():
            messages = [str(m) for key in _field_keys(actual, name) for m in _as_list(actual[key])]
            if not any(text in m for m in messages):
                raise _fail(
                    f"Expected an error for {name!r} containing {text!r}; its errors are "
                    f"{messages!r}.",
                    response,
                )


def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else [value]
