"""Callbacks of chains and batches, stored as data: a queued job or ``module:function``.

A callback is never a pickled closure. A *job* callback (a ``Job``, an ``@job`` call) is
stored as its envelope and queued when it fires; a *function* callback (a module-level
function, or its ``"module:function"`` name) is called on the worker that saw the event,
with the keyword arguments it declares among ``batch`` (the :class:`BatchState`),
``error`` (the :class:`JobError` of a failure) and services resolved by type.
"""

from __future__ import annotations

import inspect
import traceback
from dataclasses import dataclass
from typing import Any

from foundry.queue.errors import PayloadError

__all__ = ["JobError", "callback_spec"]


@dataclass(frozen=True, slots=True)
class JobError:
    """What a failure callback learns about the failed job."""

    job_id: str
    name: str
    exception: str
    message: str
    traceback: str = ""

    @classmethod
    def of(cls, job_id: str, name: str, exc: BaseException) -> JobError:
        return cls(
            job_id,
            name,
            f"{type(exc).__module__}.{type(exc).__qualname__}",
            str(exc),
            "".join(traceback.format_exception(exc)),
        )

    def to_dict(self) -> dict[str, str]:
        return {
            "job_id": self.job_id,
            "name": self.name,
            "exception": self.exception,
            "message": self.message,
        }


def callback_spec(callback: Any, *, queue: str | None, connection: str | None) -> dict[str, Any]:
    """Store ``callback`` as data (checked now, so a bad one fails at dispatch).

    Raises:
        PayloadError: a closure, a lambda, or something that is neither a job nor a
            module-level function.
    """
    from foundry.queue.envelopes import envelope_dict, make_envelope, spec_of
    from foundry.queue.serialization import reference, resolve

    if isinstance(callback, str):
        target = resolve(callback)
        if not callable(target):
            raise PayloadError(f"Callback {callback!r} is not callable.")
        from foundry.queue.functions import QueuedFunction

        if not isinstance(target, QueuedFunction):
            return {"function": callback}
        callback = target
    if inspect.isfunction(callback):
        if callback.__name__ == "<lambda>":
            raise PayloadError(
                "A lambda cannot be a queue callback: define a module-level function "
                "(or a Job) so a worker can find it by name."
            )
        return {"function": reference(callback)}
    spec = spec_of(callback)
    envelope = make_envelope(spec, queue=queue or spec.queue or "")
    return {"job": envelope_dict(envelope), "connection": connection or spec.connection}
