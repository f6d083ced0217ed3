"""msgpack with a closed set of extension types: what the shared stores write.

Values round-trip exactly or are refused. Besides msgpack's own types (``None``, bool,
int, float, str, bytes, lists and dicts) the serializer writes aware ``datetime``,
``date``, ``timedelta``, ``Decimal``, ``UUID``, ``set``, ``frozenset``, ``tuple`` and
dataclasses that were registered with :func:`serializable` (``bytearray`` and
``memoryview`` are written as bytes and read back as ``bytes``). A dataclass travels as a type
tag plus a plain dict of its fields; reading it back looks the tag up in the allow-list and
never imports anything, so bytes written by someone else cannot make the application build
an object it did not choose. Nothing is ever pickled.

A top-level ``int`` is written as its decimal digits, so Redis ``INCRBY`` and the other
stores' counters work on the stored form. msgpack encodes every other value with a first
byte of 0x80 or more, which no digit or minus sign has, so the two forms never collide.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any, TypeVar

import msgpack  # type: ignore[import-untyped]

from foundry.cache.errors import SerializationError

__all__ = ["Serializer", "serializable", "serializer"]

T = TypeVar("T", bound=type)

_DATETIME, _DATE, _DECIMAL, _UUID, _SET, _FROZENSET, _TUPLE, _TIMEDELTA, _DATACLASS = range(1, 10)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICRO = timedelta(microseconds=1)


def _dt_parts(value: datetime) -> list[int]:
    offset = value.utcoffset()
    if offset is None:
        raise SerializationError(
            f"Cannot cache the naive datetime {value.isoformat()}: its instant is ambiguous. "
            "Give it a timezone (datetime.now(UTC), value.replace(tzinfo=...))."
        )
    return [(value - _EPOCH) // _MICRO, offset // _MICRO]


def _dt_from(parts: list[int]) -> datetime:
    micros, offset = parts
    zone = UTC if offset == 0 else timezone(offset * _MICRO)
    return (_EPOCH + micros * _MICRO).astimezone(zone)


class Serializer:
    """msgpack plus the extension types above and an allow-list of dataclasses."""

    def __init__(self) -> None:
        self._tags: dict[type, str] = {}
        self._types: dict[str, type] = {}

    # --- the allow-list ----------------------------------------------------------------

    def register(self, cls: T, *, tag: str | None = None) -> T:
        """Allow the dataclass ``cls`` to be cached; returns it (usable as a decorator).

        Args:
            cls: a dataclass.
            tag: the name written beside its fields (default ``module:QualName``); give
                one explicitly to keep old entries readable after moving the class.

        Raises:
            TypeError: ``cls`` is not a dataclass, or ``tag`` already names another class.
        """
        if not (isinstance(cls, type) and dataclasses.is_dataclass(cls)):
            raise TypeError(f"serializable() takes a dataclass; {cls!r} is not one")
        name = tag or f"{cls.__module__}:{cls.__qualname__}"
        known = self._types.get(name)
        if known is not None and known is not cls:
            raise TypeError(f'The cache type tag "{name}" already names {known!r}')
        self._tags[cls] = name
        self._types[name] = cls
        return cls

    def registered(self) -> dict[str, type]:
        """Tag -> class, for everything registered."""
        return dict(self._types)

    # --- bytes -------------------------------------------------------------------------

    def dumps(self, value: Any) -> bytes:
        """``value`` as bytes.

        Raises:
            SerializationError: the value (or something inside it) is of a type the
                serializer does not write; the message names it and the fix.
        """
        if type(value) is int:
            return str(value).encode()
        try:
            data: bytes = msgpack.packb(
                value, default=self._default, strict_types=True, use_bin_type=True
            )
        except SerializationError:
            raise
        except (TypeError, ValueError, OverflowError) as exc:
            raise SerializationError(f"Cannot cache a value: {exc}") from None
        return data

    def loads(self, data: bytes) -> Any:
        """The value ``dumps`` wrote.

        Raises:
            SerializationError: the bytes are not a cache value, or name a dataclass that
                is not registered.
        """
        if not data:
            raise SerializationError("Cannot read a cache entry: it is empty")
        if data[0] < 0x80:
            try:
                return int(data)
            except ValueError:
                raise SerializationError("Cannot read a cache entry: not a value") from None
        try:
            return msgpack.unpackb(data, ext_hook=self._ext_hook, raw=False, strict_map_key=False)
        except SerializationError:
            raise
        except Exception as exc:  # msgpack raises several unrelated classes for bad bytes
            raise SerializationError(
                f"Cannot read a cache entry ({type(exc).__name__}: {exc}); forget the key "
                "or flush the store"
            ) from None

    # --- extension types ---------------------------------------------------------------

    def _pack(self, value: Any) -> bytes:
        packed: bytes = msgpack.packb(
            value, default=self._default, strict_types=True, use_bin_type=True
        )
        return packed

    def _default(self, value: Any) -> Any:
        kind = type(value)
        handler = _ENCODERS.get(kind)
        if handler is not None:
            code, convert = handler
            return msgpack.ExtType(code, self._pack(convert(value)))
        tag = self._tags.get(kind)
        if tag is not None:
            fields = {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
            return msgpack.ExtType(_DATACLASS, self._pack([tag, fields]))
        if dataclasses.is_dataclass(value):
            raise SerializationError(
                f"Cannot cache {kind.__module__}.{kind.__qualname__}: the dataclass is not "
                "registered. Decorate it with @foundry.cache.serializable (or call "
                "serializable(cls)) to allow it."
            )
        raise SerializationError(
            f"Cannot cache a value of type {kind.__module__}.{kind.__qualname__}. The shared "
            "stores write None, bool, int, float, str, bytes, list, dict, tuple, set, "
            "frozenset, aware datetime, date, timedelta, Decimal, UUID and registered "
            "dataclasses; convert the value to one of those."
        )

    def _ext_hook(self, code: int, data: bytes) -> Any:
        payload = msgpack.unpackb(data, ext_hook=self._ext_hook, raw=False, strict_map_key=False)
        decoder = _DECODERS.get(code)
        if decoder is not None:
            return decoder(payload)
        if code == _DATACLASS:
            tag, fields = payload
            return self._build(tag, fields)
        raise SerializationError(f"Cannot read a cache entry: unknown extension type {code}")

    def _build(self, tag: str, fields: dict[str, Any]) -> Any:
        cls = self._types.get(tag)
        if cls is None:
            raise SerializationError(
                f'Cannot read a cached "{tag}": that type is not registered with '
                "foundry.cache.serializable, and unregistered types are never loaded. "
                "Register the class, or forget the key."
            )
        init = {f.name for f in dataclasses.fields(cls) if f.init}
        try:
            obj = cls(**{k: v for k, v in fields.items() if k in init})
        except TypeError as exc:
            raise SerializationError(
                f'Cannot read a cached "{tag}": its fields no longer fit the class ({exc}); '
                "forget the key."
            ) from None
        for name, value in fields.items():
            if name not in init:
                object.__setattr__(obj, name, value)
        return obj


_ENCODERS: dict[type, tuple[int, Callable[[Any], Any]]] = {
    datetime: (_DATETIME, _dt_parts),
    date: (_DATE, date.toordinal),
    timedelta: (_TIMEDELTA, lambda v: [v.days, v.seconds, v.microseconds]),
    Decimal: (_DECIMAL, str),
    uuid.UUID: (_UUID, lambda v: v.bytes),
    set: (_SET, list),
    frozenset: (_FROZENSET, list),
    tuple: (_TUPLE, list),
}

_DECODERS: dict[int, Callable[[Any], Any]] = {
    _DATETIME: _dt_from,
    _DATE: date.fromordinal,
    _TIMEDELTA: lambda v: timedelta(days=v[0], seconds=v[1], microseconds=v[2]),
    _DECIMAL: Decimal,
    _UUID: lambda v: uuid.UUID(bytes=v),
    _SET: set,
    _FROZENSET: frozenset,
    _TUPLE: tuple,
}

serializer = Serializer()
"""The application-wide serializer every shared store uses unless given another."""


def serializable(cls: T) -> T:
    """Class decorator allowing a dataclass to be cached by the shared stores.

    >>> from dataclasses import dataclass
    >>> @serializable
    ... @dataclass(frozen=True)
    ... class Point:
    ...     x: int
    ...     y: int
    >>> serializer.loads(serializer.dumps(Point(1, 2)))
    Point(x=1, y=2)
    """
    return serializer.register(cls)
