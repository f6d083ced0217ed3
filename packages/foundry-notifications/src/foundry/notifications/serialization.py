"""Queued notifications as JSON: their fields, and the models they mention, never pickled.

A queued notification travels as ``"module:Class"`` plus its dataclass fields, in the
payload format every package that queues shares (``foundry.domain.payloads``, documented
on :class:`foundry.domain.queue.Job`): JSON values as they are; ``datetime``, ``date``,
``time``, ``timedelta``, ``UUID``, ``Decimal``, ``bytes``, tuples, sets and ``Enum``
members as tagged objects (``{"$type": "uuid", "value": "..."}``) that come back as the
same type. On top of that format, a SQLModel table instance (an ``Invoice`` field)
travels as its class and primary key, ``{"$type": "model", "class": "module:Class",
"key": ...}``, and is loaded again on the worker, fresh from the database, as Laravel's
``SerializesModels`` does. Anything else is refused at dispatch, naming the field.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from foundry.domain.payloads import TAG, PayloadCodec
from foundry.notifications.exceptions import NotificationPayloadError

__all__ = ["decode", "encode", "model_identity", "reference", "resolve"]

ModelLoader = Callable[[type[Any], Any], Awaitable[Any]]


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


class _ModelReference:
    """A model named by a payload, to be loaded once the payload is decoded."""

    __slots__ = ("cls", "key")

    def __init__(self, cls: type[Any], key: Any) -> None:
        self.cls = cls
        self.key = key


class NotificationPayloads(PayloadCodec):
    """The shared codec plus the ``model`` tag, raising :class:`NotificationPayloadError`."""

    error = NotificationPayloadError
    carrier = "a queued notification"
    advice = "Use plain data, or a saved table model (it is loaded again on the worker)."

    def encode_other(self, value: Any, path: str) -> Any:
        """A saved table model as its class and primary key; anything else is refused."""
        identity = model_identity(value)
        if identity is None:
            return super().encode_other(value, path)
        cls, key = identity
        return {TAG: "model", "class": self.reference(cls), "key": self.encode(key, f"{path}.key")}

    def decode_other(self, tag: str, data: Mapping[str, Any]) -> Any:
        """A ``model`` tag as a reference that :func:`decode` loads."""
        if tag == "model":
            return _ModelReference(self.resolve(data["class"]), self.decode(data["key"]))
        return super().decode_other(tag, data)

    def reference(self, target: Any) -> str:
        """``module:QualName``, refused for ``__main__``, which a worker cannot import."""
        if getattr(target, "__module__", None) == "__main__":
            raise self.error(
                f"{target!r} cannot be queued: a worker finds it by 'module:Name' and cannot "
                "import __main__, so define it in an importable module."
            )
        return super().reference(target)


_CODEC = NotificationPayloads()


def reference(target: Any) -> str:
    """``module:QualName`` of a class, refused when a worker could not import it back."""
    return _CODEC.reference(target)


def resolve(ref: str) -> Any:
    """Import what a ``module:QualName`` reference names."""
    return _CODEC.resolve(ref)


def encode(value: Any, path: str) -> Any:
    """``value`` as JSON data with tagged special types and model references."""
    return _CODEC.encode(value, path)


async def decode(value: Any, load: ModelLoader) -> Any:
    """The inverse of :func:`encode`; ``load(cls, key)`` fetches a referenced model."""
    return await _load_models(_CODEC.decode(value), load)


async def _load_models(value: Any, load: ModelLoader) -> Any:
    """``value`` with each model reference replaced by the model ``load`` returns."""
    if isinstance(value, _ModelReference):
        return await load(value.cls, value.key)
    if isinstance(value, list | tuple | set | frozenset):
        items = [await _load_models(item, load) for item in value]
        return type(value)(items)
    if isinstance(value, dict):
        return {key: await _load_models(item, load) for key, item in value.items()}
    return value
