"""Payloads as JSON, never pickle: tagged values, ``module:Class`` references.

JSON carries strings, numbers, booleans, None, lists and string-keyed dicts as they are.
A few other values jobs commonly hold travel as tagged objects, ``{"$type": ..., "value":
...}``, and come back as the same type: ``datetime``, ``date``, ``time``, ``timedelta``,
``UUID``, ``Decimal``, ``bytes``, ``tuple``, ``set``/``frozenset`` and ``Enum`` members
(by ``module:Class`` and value). A dict that itself has a ``"$type"`` key is wrapped, so
no user data is ever mistaken for a tag. Anything else (a model instance, a connection,
a function) is refused at dispatch with the field's path, because a worker could not
rebuild it: pass an id and load the object in ``handle``.
"""

from __future__ import annotations

import base64
import enum
import importlib
import json
import math
import uuid
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from foundry.queue.errors import PayloadError

__all__ = ["decode_value", "dumps", "encode_value", "loads", "reference", "resolve"]

TAG = "$type"


def reference(target: Any) -> str:
    """``module:QualName`` of a class or function, checked to resolve back to itself.

    Raises:
        PayloadError: the target is defined inside a function or under ``__main__``
            elsewhere unreachable by a worker.
    """
    module = getattr(target, "__module__", None)
    qualname = getattr(target, "__qualname__", None)
    if not module or not qualname or "<locals>" in qualname:
        raise PayloadError(
            f"{target!r} cannot be queued: a worker finds jobs and callbacks by "
            "'module:Name', so define it at module level."
        )
    return f"{module}:{qualname}"


def resolve(ref: str) -> Any:
    """Import the object a ``module:QualName`` reference names.

    Raises:
        PayloadError: the reference is malformed, its module does not import or it has
            no such attribute.
    """
    module_name, sep, qualname = ref.partition(":")
    if not sep or not module_name or not qualname:
        raise PayloadError(f"{ref!r} is not a 'module:Name' reference.")
    try:
        target: Any = importlib.import_module(module_name)
    except ImportError as exc:
        raise PayloadError(
            f"Cannot import module {module_name!r} for {ref!r} on this worker ({exc}). "
            "Deploy the same code to dispatchers and workers."
        ) from exc
    for part in qualname.split("."):
        try:
            target = getattr(target, part)
        except AttributeError:
            raise PayloadError(
                f"Module {module_name!r} has no {qualname!r} (from {ref!r}): was it renamed "
                "or removed while jobs were queued?"
            ) from None
    return target


def encode_value(value: Any, path: str = "payload") -> Any:
    """``value`` as plain JSON data with tagged special types.

    Raises:
        PayloadError: a value JSON cannot carry; the message gives its path.
    """
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, enum.Enum):
        return {TAG: "enum", "class": reference(type(value)), "value": encode_value(value.value)}
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise PayloadError(f"{path} is {value}, which JSON cannot hold.")
        return value
    if isinstance(value, dict):
        encoded: dict[str, Any] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise PayloadError(f"{path} has the key {key!r}; JSON object keys must be strings.")
            encoded[key] = encode_value(item, f"{path}.{key}")
        return {TAG: "dict", "value": encoded} if TAG in encoded else encoded
    if isinstance(value, list):
        return [encode_value(item, f"{path}[{i}]") for i, item in enumerate(value)]
    if isinstance(value, tuple):
        return {
            TAG: "tuple",
            "value": [encode_value(v, f"{path}[{i}]") for i, v in enumerate(value)],
        }
    if isinstance(value, set | frozenset):
        kind = "frozenset" if isinstance(value, frozenset) else "set"
        items = [encode_value(v, f"{path}[]") for v in value]
        return {TAG: kind, "value": sorted(items, key=lambda i: json.dumps(i, sort_keys=True))}
    if isinstance(value, datetime):
        return {TAG: "datetime", "value": value.isoformat()}
    if isinstance(value, date):
        return {TAG: "date", "value": value.isoformat()}
    if isinstance(value, time):
        return {TAG: "time", "value": value.isoformat()}
    if isinstance(value, timedelta):
        return {TAG: "timedelta", "value": value.total_seconds()}
    if isinstance(value, uuid.UUID):
        return {TAG: "uuid", "value": str(value)}
    if isinstance(value, Decimal):
        return {TAG: "decimal", "value": str(value)}
    if isinstance(value, bytes | bytearray):
        return {TAG: "bytes", "value": base64.b64encode(bytes(value)).decode("ascii")}
    raise PayloadError(
        f"{path} holds a {type(value).__module__}.{type(value).__qualname__}, which a queue "
        "payload cannot carry (JSON only, never pickle). Pass an id or plain data and load "
        "the object in handle()."
    )


_DECODERS: dict[str, Any] = {
    "datetime": datetime.fromisoformat,
    "date": date.fromisoformat,
    "time": time.fromisoformat,
    "timedelta": lambda v: timedelta(seconds=v),
    "uuid": uuid.UUID,
    "decimal": Decimal,
    "bytes": lambda v: base64.b64decode(v),
}


def decode_value(value: Any) -> Any:
    """The inverse of :func:`encode_value`.

    Raises:
        PayloadError: an unknown tag, or an enum class that no longer resolves.
    """
    if isinstance(value, list):
        return [decode_value(v) for v in value]
    if not isinstance(value, dict):
        return value
    tag = value.get(TAG)
    if tag is None:
        return {k: decode_value(v) for k, v in value.items()}
    inner: Any = value.get("value")
    if tag == "dict":
        return {k: decode_value(v) for k, v in inner.items()}
    if tag == "tuple":
        return tuple(decode_value(v) for v in inner)
    if tag == "set":
        return {decode_value(v) for v in inner}
    if tag == "frozenset":
        return frozenset(decode_value(v) for v in inner)
    if tag == "enum":
        return resolve(value["class"])(decode_value(inner))
    decoder = _DECODERS.get(tag)
    if decoder is None:
        raise PayloadError(f"Unknown payload tag {tag!r}; was the job queued by a newer release?")
    try:
        return decoder(inner)
    except (TypeError, ValueError, ArithmeticError) as exc:
        raise PayloadError(f"Malformed {tag} value {inner!r} in a payload: {exc}") from exc


def dumps(data: Any) -> str:
    """Compact JSON of already encoded data."""
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False)


def loads(text: str | bytes) -> Any:
    """Parse JSON text.

    Raises:
        PayloadError: the text is not JSON.
    """
    try:
        return json.loads(text)
    except (ValueError, TypeError) as exc:
        raise PayloadError(f"A queued job is not valid JSON ({exc}); it cannot be run.") from exc
