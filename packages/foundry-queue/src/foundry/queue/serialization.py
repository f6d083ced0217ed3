"""Payloads as JSON, never pickle: the shared tagged format, ``module:Class`` references.

Job payloads use the format every package that queues shares (``foundry.domain.payloads``,
documented on :class:`foundry.domain.queue.Job`): JSON values as they are; ``datetime``,
``date``, ``time``, ``timedelta``, ``UUID``, ``Decimal``, ``bytes``, ``tuple``,
``set``/``frozenset`` and ``Enum`` members as tagged objects, ``{"$type": ..., "value":
...}``, that come back as the same type. Anything else (a model instance, a connection, a
function) is refused at dispatch with the field's path, because a worker could not
rebuild it: pass an id and load the object in ``handle``. Errors are the queue's
:class:`PayloadError`.
"""

from __future__ import annotations

import json
from typing import Any

from foundry.domain.payloads import PayloadCodec
from foundry.queue.errors import PayloadError

__all__ = ["decode_value", "dumps", "encode_value", "loads", "reference", "resolve"]


class QueuePayloads(PayloadCodec):
    """The shared codec, speaking of queue payloads and raising :class:`PayloadError`."""

    error = PayloadError
    carrier = "a queue payload"
    advice = "Pass an id or plain data and load the object in handle()."


_CODEC = QueuePayloads()


def reference(target: Any) -> str:
    """``module:QualName`` of a class or function, checked to resolve back to itself.

    Raises:
        PayloadError: the target is defined inside a function, unreachable by a worker.
    """
    return _CODEC.reference(target)


def resolve(ref: str) -> Any:
    """Import the object a ``module:QualName`` reference names.

    Raises:
        PayloadError: the reference is malformed, its module does not import or it has
            no such attribute.
    """
    return _CODEC.resolve(ref)


def encode_value(value: Any, path: str = "payload") -> Any:
    """``value`` as plain JSON data with tagged special types.

    Raises:
        PayloadError: a value JSON cannot carry; the message gives its path.
    """
    return _CODEC.encode(value, path)


def decode_value(value: Any) -> Any:
    """The inverse of :func:`encode_value`.

    Raises:
        PayloadError: an unknown tag, or an enum class that no longer resolves.
    """
    return _CODEC.decode(value)


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
