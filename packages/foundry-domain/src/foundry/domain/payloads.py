"""Tagged JSON for queued payloads: the one codec every package that queues work shares.

A queued job is stored by one process and run by another, maybe of a later release, so
its payload is JSON, never pickle. This module writes and reads the format documented on
:class:`foundry.domain.queue.Job` (*Payload format*): plain JSON values as they are, and
datetimes, UUIDs, Decimals, bytes, tuples, sets and Enum members as tagged objects that
come back as the same type. The queue and the notifications that travel through it use
the same codec, so a payload one of them writes is one the other can read.

A package adds its own values by subclassing :class:`PayloadCodec`: ``encode_other``
turns a value the format does not know into a tagged object, ``decode_other`` reads its
tag back, and ``error`` / ``carrier`` / ``advice`` make every message speak of the
package's own payloads::

    class QueuePayloads(PayloadCodec):
        error = PayloadError  # the package's subclass of payloads.PayloadError
        carrier = "a queue payload"
        advice = "Pass an id or plain data and load the object in handle()."

The module functions :func:`encode`, :func:`decode`, :func:`reference` and
:func:`resolve` use the plain codec.
"""

from __future__ import annotations

import base64
import enum
import importlib
import json
import math
import uuid
from collections.abc import Callable, Mapping
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, ClassVar

from foundry.domain.queue import PAYLOAD_TAG, PermanentJobFailure

__all__ = [
    "TAG",
    "PayloadCodec",
    "PayloadError",
    "decode",
    "encode",
    "reference",
    "resolve",
]

TAG = PAYLOAD_TAG


class PayloadError(PermanentJobFailure):
    """A value cannot be stored in a payload, or a stored payload cannot be read back.

    Raised at dispatch, nothing is queued. On a worker it fails the job at once: a payload
    that does not decode now will not decode on the next attempt either.
    """

    code = "PAYLOAD"


_SCALARS: dict[str, Callable[[Any], Any]] = {
    "datetime": datetime.fromisoformat,
    "date": date.fromisoformat,
    "time": time.fromisoformat,
    "timedelta": lambda seconds: timedelta(seconds=seconds),
    "uuid": uuid.UUID,
    "decimal": Decimal,
    "bytes": base64.b64decode,
}


def _json_text(item: Any) -> str:
    return json.dumps(item, sort_keys=True)


class PayloadCodec:
    """Encodes values into the tagged JSON of a payload and decodes them back.

    Attributes:
        error: the error raised; a package sets its own subclass of :class:`PayloadError`.
        carrier: what the payload is, as the messages name it ("a queue payload").
        advice: the fix offered when a value cannot be stored.
    """

    error: ClassVar[type[PayloadError]] = PayloadError
    carrier: ClassVar[str] = "a queued payload"
    advice: ClassVar[str] = (
        "Pass an id or plain data and load the object where the payload is used."
    )

    def encode(self, value: Any, path: str = "payload") -> Any:
        """``value`` as JSON data, special types tagged.

        Args:
            value: what to store.
            path: where ``value`` sits, named in errors (``SendWelcome.user``).

        Raises:
            PayloadError: (the codec's ``error``) a value the format cannot carry, a float
                JSON cannot hold or a key that is not a string; the message gives its path.
        """
        if value is None or isinstance(value, bool | str):
            return value
        if isinstance(value, enum.Enum):
            cls = self.reference(type(value))
            return {TAG: "enum", "class": cls, "value": self.encode(value.value, path)}
        if isinstance(value, int):
            return value
        if isinstance(value, float):
            if not math.isfinite(value):
                raise self.error(f"{path} is {value}, which JSON cannot hold.")
            return value
        if isinstance(value, dict):
            encoded: dict[str, Any] = {}
            for key, item in value.items():
                if not isinstance(key, str):
                    raise self.error(
                        f"{path} has the key {key!r}; JSON object keys must be strings."
                    )
                encoded[key] = self.encode(item, f"{path}.{key}")
            return {TAG: "dict", "value": encoded} if TAG in encoded else encoded
        if isinstance(value, list):
            return [self.encode(item, f"{path}[{i}]") for i, item in enumerate(value)]
        if isinstance(value, tuple):
            items = [self.encode(item, f"{path}[{i}]") for i, item in enumerate(value)]
            return {TAG: "tuple", "value": items}
        if isinstance(value, set | frozenset):
            kind = "frozenset" if isinstance(value, frozenset) else "set"
            members = sorted((self.encode(item, f"{path}[]") for item in value), key=_json_text)
            return {TAG: kind, "value": members}
        return self._encode_scalar(value, path)

    def _encode_scalar(self, value: Any, path: str) -> Any:
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
        return self.encode_other(value, path)

    def encode_other(self, value: Any, path: str) -> Any:
        """Encode a value the format does not know; override to add a tag of your own.

        Raises:
            PayloadError: (the codec's ``error``) always, here: the value cannot be stored.
        """
        kind = f"{type(value).__module__}.{type(value).__qualname__}"
        raise self.error(
            f"{path} holds a {kind}, which {self.carrier} cannot carry (JSON only, never "
            f"pickle). {self.advice}"
        )

    def decode(self, data: Any) -> Any:
        """The value :meth:`encode` stored as ``data``.

        Raises:
            PayloadError: (the codec's ``error``) an unknown tag, a malformed value, or an
                Enum class that no longer imports.
        """
        if isinstance(data, list):
            return [self.decode(item) for item in data]
        if not isinstance(data, dict):
            return data
        tag = data.get(TAG)
        if tag is None:
            return {key: self.decode(item) for key, item in data.items()}
        inner: Any = data.get("value")
        if tag == "dict":
            return {key: self.decode(item) for key, item in inner.items()}
        if tag == "tuple":
            return tuple(self.decode(item) for item in inner)
        if tag == "set":
            return {self.decode(item) for item in inner}
        if tag == "frozenset":
            return frozenset(self.decode(item) for item in inner)
        if tag == "enum":
            return self.resolve(data["class"])(self.decode(inner))
        scalar = _SCALARS.get(tag)
        if scalar is None:
            return self.decode_other(tag, data)
        try:
            return scalar(inner)
        except (TypeError, ValueError, ArithmeticError) as exc:
            raise self.error(f"Malformed {tag} value {inner!r} in {self.carrier}: {exc}") from exc

    def decode_other(self, tag: str, data: Mapping[str, Any]) -> Any:
        """Decode a tag the format does not know; override to read a tag of your own.

        Raises:
            PayloadError: (the codec's ``error``) always, here: the tag is unknown.
        """
        raise self.error(
            f"Unknown payload tag {tag!r} in {self.carrier}; was it queued by a newer release?"
        )

    def reference(self, target: Any) -> str:
        """``module:QualName`` of a class or function, which a worker imports back.

        Raises:
            PayloadError: (the codec's ``error``) the target is defined inside a function.
        """
        module = getattr(target, "__module__", None)
        qualname = getattr(target, "__qualname__", None)
        if not module or not qualname or "<locals>" in qualname:
            raise self.error(
                f"{target!r} cannot be queued: a worker finds it by 'module:Name', so define "
                "it at module level."
            )
        return f"{module}:{qualname}"

    def resolve(self, ref: str) -> Any:
        """Import the object a ``module:QualName`` reference names.

        Raises:
            PayloadError: (the codec's ``error``) the reference is malformed, its module
                does not import or has no such attribute.
        """
        module_name, sep, qualname = ref.partition(":")
        if not sep or not module_name or not qualname:
            raise self.error(f"{ref!r} is not a 'module:Name' reference.")
        try:
            target: Any = importlib.import_module(module_name)
        except ImportError as exc:
            raise self.error(
                f"Cannot import module {module_name!r} for {ref!r} on this worker ({exc}). "
                "Deploy the same code to dispatchers and workers."
            ) from exc
        for part in qualname.split("."):
            try:
                target = getattr(target, part)
            except AttributeError:
                raise self.error(
                    f"Module {module_name!r} has no {qualname!r} (from {ref!r}): was it "
                    "renamed or removed while it was queued?"
                ) from None
        return target


_CODEC = PayloadCodec()


def encode(value: Any, path: str = "payload") -> Any:
    """``value`` as JSON data with tagged special types (see :meth:`PayloadCodec.encode`)."""
    return _CODEC.encode(value, path)


def decode(data: Any) -> Any:
    """The value :func:`encode` stored as ``data`` (see :meth:`PayloadCodec.decode`)."""
    return _CODEC.decode(data)


def reference(target: Any) -> str:
    """``module:QualName`` of a module-level class or function."""
    return _CODEC.reference(target)


def resolve(ref: str) -> Any:
    """The object a ``module:QualName`` reference names."""
    return _CODEC.resolve(ref)
