"""The queue's errors: each names the job or connection, what went wrong and the fix."""

from __future__ import annotations

from foundry.domain import payloads
from foundry.domain.errors import ConfigurationError, FoundryError
from foundry.domain.queue import PermanentJobFailure

__all__ = [
    "JobTimeoutError",
    "LeaseLostError",
    "MaxAttemptsExceededError",
    "PayloadError",
    "QueueConfigurationError",
    "QueueError",
    "QueueUnavailableError",
]


class QueueError(FoundryError):
    """Root of the queue package's errors."""

    code = "QUEUE_ERROR"


class QueueConfigurationError(ConfigurationError):
    """A connection, job class or option is set up wrongly; the message says how to fix it."""

    code = "QUEUE_CONFIGURATION"


class QueueUnavailableError(QueueError):
    """The backing store of a connection (Redis, the database) cannot be reached."""

    code = "QUEUE_UNAVAILABLE"
    status = 503


class PayloadError(payloads.PayloadError):
    """A payload cannot be stored (dispatch) or rebuilt into its job (worker).

    Raised at dispatch, nothing is queued. On a worker it fails the job at once: a payload
    that does not rebuild now will not rebuild on the next attempt either.
    """

    code = "QUEUE_PAYLOAD"


class JobTimeoutError(QueueError):
    """A job ran longer than its ``timeout``; the run was cancelled and the attempt failed."""

    code = "QUEUE_JOB_TIMEOUT"


class MaxAttemptsExceededError(PermanentJobFailure):
    """A job was handed out again after its last try ended without an outcome.

    That happens when the worker running the last try died (killed, out of memory): the
    visibility timeout handed the job back, but it has no tries left.
    """

    code = "QUEUE_MAX_ATTEMPTS"


class LeaseLostError(QueueError):
    """A worker could not keep its claim on a running job (the store was unreachable past
    the visibility timeout, or another worker took the job over); the run was cancelled so
    that the job never runs twice at once."""

    code = "QUEUE_LEASE_LOST"
