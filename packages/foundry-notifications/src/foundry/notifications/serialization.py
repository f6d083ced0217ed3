"""Queued notifications as JSON: their fields, and the models they mention, never pickled.

A queued notification travels as ``"module:Class"`` plus its dataclass fields. Fields hold
JSON values as they are; ``datetime``, ``date``, ``time``, ``timedelta``, ``UUID``,
``Decimal``, ``bytes``, tuples, sets and ``Enum`` members travel as tagged objects
(``{"$type": "uuid", "value": "..."}``) and come back as the same type. A SQLModel table
instance (an ``Invoice`` field) travels as its class and primary key and is loaded again
on the worker, fresh from the database, as Laravel's ``SerializesModels`` does. Anything
else is refused at dispatch, naming the field.
"""

from __future__ import annotations

import base64
import enum
import importlib
import math
import uuid
from collections.abc import Awaitable, Callable
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from foundry.notifications.exceptions import NotificationPayloadError

__all__ = ["decode", "encode", "model_identity", "reference", "resolve"]

TAG = "$type"

ModelLoader = Callable[[type[Any], Any], Awaitable[Any]]


def reference(target: Any) -> str:
    """``module:QualName`` of a class, refused when a worker could not import it back."""
    module = getattr(target, "__module__", None)
    qualname = getattr(target, "__qualname__", None)
    if not module or not qualname or "<locals>" in qualname or module == "__main__":
        raise NotificationPayloadError(
            f"{target!r} cannot be queued: a worker finds it by 'module:Name', so define it "
            "at module level in an importable module."
        )
    return f"{module}:{qualname}"


def resolve(ref: str) -> Any:
    """Import what a ``module:QualName`` reference names."""
    module_name, sep, qualname = ref.partition(":")
    if not sep or not module_name or not qualname:
        raise NotificationPayloadError(f"{ref!r} is not a 'module:Name' reference.")
    try:
        target: Any = importlib.import_module(module_name)
    except ImportError as exc:
        raise NotificationPayloadError(
            f"Cannot import {module_name!r} for {ref!r} on this worker ({exc}). Deploy the "
            "same code to the app and its workers."
        ) from exc
    for part in qualname.split("."):
        try:
            target = getattr(target, part)
        except AttributeError:
            raise NotificationPayloadError(
                f"{module_name!r} has no {qualname!r} (from {ref!r}): was it renamed or "
                "removed while notifications were queued?"
            ) from None
    return target


def model_identity(value: Any) -> tuple[type[Any], Any] | None:
    """``(table class, primary key)`` of a persisted SQLModel/SQLAlchemy instance; None for
    anything that is not a mapped instance.

    Raises:
        NotificationPayloadError: the instance was never saved (it has no primary key yet).
    """
    if not hasattr(type(value), "__mapper__"):
        return None
    from sqlalchemy import inspect

    state = inspect(value)
    identity = state.identity
    if identity is None:
        mapper = state.mapper
        keys = [getattr(value, c.key, None) for c in mapper.primary_key]
        if any(k is None for k in keys):
            raise NotificationPayloadError(
                f"{type(value).__qualname__} has no primary key yet: save it (commit or "
                "flush) before queuing a notification about it."
            )
        identity = tuple(keys)
    key = identity[0] if len(identity) == 1 else list(identity)
    return type(value), key


def encode(value: Any, path: str) -> Any:
    """``value`` as JSON data with tagged special types and model references."""
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, enum.Enum):
        return {TAG: "enum", "class": reference(type(value)), "value": encode(value.value, path)}
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise NotificationPayloadError(f"{path} is {value}, which JSON cannot hold.")
        return value
    if isinstance(value, dict):
        encoded: dict[str, Any] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise NotificationPayloadError(
                    f"{path} has the key {key!r}; JSON object keys must be strings."
                )
            encoded[key] = encode(item, f"{path}.{key}")
        return {TAG: "dict", "value": encoded} if TAG in encoded else encoded
    if isinstance(value, list):
        return [encode(item, f"{path}[{i}]") for i, item in enumerate(value)]
    if isinstance(value, tuple):
        return {TAG: "tuple", "value": [encode(v, f"{path}[{i}]") for i, v in enumerate(value)]}
    if isinstance(value, set | frozenset):
        kind = "frozenset" if isinstance(value, frozenset) else "set"
        return {TAG: kind, "value": sorted((encode(v, f"{path}[]") for v in value), key=repr)}
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
    identity = model_identity(value)
    if identity is not None:
        cls, key = identity
        return {TAG: "model", "class": reference(cls), "key": encode(key, f"{path}.key")}
    raise NotificationPayloadError(
        f"{path} holds a {type(value).__module__}.{type(value).__qualname__}, which a queued "
        "notification cannot carry (JSON only, never pickle). Use plain data, or a saved "
        "table model (it is loaded again on the worker)."
    )


_SCALARS: dict[str, Callable[[Any], Any]] = {
    "datetime": datetime.fromisoformat,
    "date": date.fromisoformat,
    "time": time.fromisoformat,
    "timedelta": lambda v: timedelta(seconds=v),
    "uuid": uuid.UUID,
    "decimal": Decimal,
    "bytes": base64.b64decode,
}


async def decode(value: Any, load: ModelLoader) -> Any:
    """The inverse of :func:`encode`; ``load(cls, key)`` fetches a referenced model."""
    if isinstance(value, list):
        return [await decode(v, load) for v in value]
    if not isinstance(value, dict):
        return value
    tag = value.get(TAG)
    if tag is None:
        return {k: await decode(v, load) for k, v in value.items()}
    inner: Any = value.get("value")
    if tag == "dict":
        return {k: await decode(v, load) for k, v in inner.items()}
    if tag == "tuple":
        return tuple([await decode(v, load) for v in inner])
    if tag in ("set", "frozenset"):
        items = [await decode(v, load) for v in inner]
        return set(items) if tag == "set" else frozenset(items)
    if tag == "enum":
        return resolve(value["class"])(await decode(inner, load))
    if tag == "model":
        return await load(resolve(value["class"]), await decode(value["key"], load))
    scalar = _SCALARS.get(tag)
    if scalar is None:
        raise NotificationPayloadError(
            f"Unknown payload tag {tag!r} in a queued notification; was it queued by a "
            "newer release?"
        )
    try:
        return scalar(inner)
    except (TypeError, ValueError, ArithmeticError) as exc:
        raise NotificationPayloadError(f"Malformed {tag} value {inner!r}: {exc}") from exc
