"""Errors raised when the signal handler is set up wrongly."""

from __future__ import annotations

from foundry.domain.errors import ConfigurationError

__all__ = ["SignalHandlerError"]


class SignalHandlerError(ConfigurationError):
    """A callback, timeout or signal was rejected, or signals could not be trapped.

    Raised where the mistake is made (at ``on()``, ``on_signal()`` or ``install()``), never
    while a shutdown is running: a shutdown reports failing callbacks in the log and goes on.
    """

    code = "SIGNAL_HANDLER_ERROR"
