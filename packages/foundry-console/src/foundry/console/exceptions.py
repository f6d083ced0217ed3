"""Errors raised by terminal output."""

from __future__ import annotations

from foundry.domain.errors import FoundryError

__all__ = ["OutputError"]


class OutputError(FoundryError):
    """Output was asked to write something it cannot represent; nothing was written.

    Raised for a bad style name, a table row wider than its headers, or data that JSON
    cannot hold (NaN, a circular reference). The message names the method and the fix.
    """

    code = "OUTPUT_ERROR"
