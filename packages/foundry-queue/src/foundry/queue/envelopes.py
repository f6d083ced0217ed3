"""From a dispatchable object to a :class:`JobEnvelope` and its JSON body, and back.

The body stored on every connection is one JSON document::

    {"id": "...", "job": "app.jobs:SendWelcome", "name": "SendWelcome",
     "payload": {...}, "queue": "emails", "max_tries": 5, "backoff": [10, 60],
     "timeout": 30.0, "created_at": "2026-01-01T00:00:00+00:00", "meta": {...}}

``payload`` is already JSON-safe (:mod:`foundry.queue.serialization`). ``max_tries`` 0
means the job did not choose: the worker's ``--tries`` applies. The attempt count is kept
beside the body by each connection (it changes; the body never does).
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from foundry.domain.ids import uuid7
from foundry.domain.queue import Job, JobEnvelope
from foundry.queue.backoff import normalise_backoff
from foundry.queue.errors import PayloadError, QueueConfigurationError
from foundry.queue.functions import FunctionCall, QueuedFunction
from foundry.queue.serialization import dumps, encode_value, loads, reference, resolve

__all__ = ["JobSpec", "body_of", "envelope_from_body", "make_envelope", "new_id", "spec_of"]


def new_id() -> str:
    """A time-ordered job id (UUIDv7 text)."""
    return str(uuid7())


@dataclass(slots=True)
class JobSpec:
    """What the dispatcher reads off a dispatchable object."""

    ref: str
    name: str
    payload: dict[str, Any]
    queue: str | None = None
    connection: str | None = None
    tries: int = 0
    backoff: list[float] = field(default_factory=list)
    timeout: float | None = None
    unique_for: float | None = None
    unique_id: str | None = None


def _declared(job: Job, attribute: str) -> bool:
    """Whether the job sets ``attribute`` itself (on the instance, or on its class or a base
    other than ``Job``), rather than leaving ``Job``'s default."""
    if attribute in getattr(job, "__dict__", {}):
        return True
    return any(attribute in vars(k) for k in type(job).__mro__ if k not in (Job, object))


def _job_spec(job: Job) -> JobSpec:
    cls = type(job)
    if not dataclasses.is_dataclass(job):
        raise PayloadError(
            f"{cls.__qualname__} must be a dataclass to be queued: its fields are the "
            "payload. Decorate it with @dataclass."
        )
    # Read off the instance: a value set on it (one message's own retries) wins over the
    # class's, which wins over Job's defaults.
    tries = int(job.tries) if _declared(job, "tries") else 0
    if _declared(job, "tries") and tries < 1:
        raise QueueConfigurationError(f"{cls.__qualname__}.tries is {tries}; use 1 or more.")
    unique_for = job.unique_for
    return JobSpec(
        ref=reference(cls),
        name=cls.__qualname__,
        payload=job.payload(),
        queue=job.queue,
        connection=job.connection,
        tries=tries,
        backoff=normalise_backoff(job.backoff, cls.__qualname__),
        timeout=job.timeout,
        unique_for=unique_for,
        unique_id=job.unique_id() if unique_for else None,
    )


def _call_spec(call: FunctionCall) -> JobSpec:
    fn = call.function
    return JobSpec(
        ref=reference(fn.func),
        name=fn.func.__qualname__,
        payload=call.payload(),
        queue=fn.queue,
        connection=fn.connection,
        tries=fn.tries or 0,
        backoff=list(fn.backoff),
        timeout=fn.timeout,
        unique_for=fn.unique_for,
        unique_id=call.unique_id() if fn.unique_for else None,
    )


def spec_of(target: Any) -> JobSpec:
    """Read a ``Job``, a :class:`FunctionCall`, a :class:`QueuedFunction` (no arguments), a
    module-level function or a ``"module:function"`` reference.

    Raises:
        PayloadError: the object cannot be queued; the message says why.
    """
    if isinstance(target, Job):
        return _job_spec(target)
    if isinstance(target, FunctionCall):
        return _call_spec(target)
    if isinstance(target, QueuedFunction):
        return _call_spec(target.call())
    if isinstance(target, str):
        resolved = resolve(target)
        if isinstance(resolved, QueuedFunction):
            return _call_spec(resolved.call())
        if not callable(resolved) or inspect.isclass(resolved):
            raise PayloadError(f"{target!r} names a {type(resolved).__name__}, not a function.")
        target = resolved
    if inspect.isfunction(target):
        ref = reference(target)
        return JobSpec(ref=ref, name=target.__qualname__, payload={})
    raise PayloadError(
        f"Cannot queue a {type(target).__qualname__}: dispatch a Job dataclass, a call of an "
        "@job function (fn.call(...)), a chain, or a 'module:function' reference."
    )


def make_envelope(
    spec: JobSpec,
    *,
    queue: str,
    meta: Mapping[str, Any] | None = None,
    job_id: str | None = None,
) -> JobEnvelope:
    """The envelope of ``spec`` with its payload encoded (checked to be JSON) now."""
    return JobEnvelope(
        id=job_id or new_id(),
        job=spec.ref,
        payload=encode_value(spec.payload, spec.name),
        queue=queue,
        attempts=0,
        max_tries=spec.tries,
        backoff=tuple(spec.backoff),
        timeout=spec.timeout,
        created_at=datetime.now(UTC),
        meta={"name": spec.name, **(meta or {})},
    )


def envelope_dict(envelope: JobEnvelope) -> dict[str, Any]:
    return {
        "id": envelope.id,
        "job": envelope.job,
        "payload": envelope.payload,
        "queue": envelope.queue,
        "max_tries": envelope.max_tries,
        "backoff": list(envelope.backoff),
        "timeout": envelope.timeout,
        "created_at": envelope.created_at.isoformat() if envelope.created_at else None,
        "meta": dict(envelope.meta),
    }


def body_of(envelope: JobEnvelope) -> str:
    """The JSON body stored on a connection."""
    return dumps(envelope_dict(envelope))


def envelope_from_dict(data: Mapping[str, Any], *, attempts: int = 0) -> JobEnvelope:
    """Rebuild an envelope; raises PayloadError when a required field is missing."""
    try:
        created = data.get("created_at")
        return JobEnvelope(
            id=str(data["id"]),
            job=str(data["job"]),
            payload=data.get("payload") or {},
            queue=str(data.get("queue") or "default"),
            attempts=attempts,
            max_tries=int(data.get("max_tries") or 0),
            backoff=tuple(float(b) for b in data.get("backoff") or ()),
            timeout=float(data["timeout"]) if data.get("timeout") is not None else None,
            created_at=datetime.fromisoformat(created) if created else None,
            meta=dict(data.get("meta") or {}),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise PayloadError(f"A queued job body is malformed ({exc!r}); it cannot be run.") from exc


def envelope_from_body(body: str | bytes, *, attempts: int = 0) -> JobEnvelope:
    """Parse a stored body.

    Raises:
        PayloadError: not JSON, or not an envelope.
    """
    data = loads(body)
    if not isinstance(data, dict):
        raise PayloadError("A queued job body is not a JSON object; it cannot be run.")
    return envelope_from_dict(data, attempts=attempts)


__all__ += ["envelope_dict", "envelope_from_dict"]
