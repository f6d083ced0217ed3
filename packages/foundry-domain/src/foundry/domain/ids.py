"""Identifiers: time-ordered UUIDs for primary keys and public ids."""

from __future__ import annotations

import os
import threading
import time
import uuid

__all__ = ["uuid7"]


class _UUID7:
    """RFC 9562 version 7: 48-bit Unix milliseconds, then a counter, then random bits.

    Within one millisecond a 12-bit counter (random start) keeps values increasing in this
    process, so primary keys made here sort in creation order.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last_ms = 0
        self._counter = 0

    def __call__(self) -> uuid.UUID:
        with self._lock:
            now = time.time_ns() // 1_000_000
            if now > self._last_ms:
                self._last_ms = now
                self._counter = int.from_bytes(os.urandom(2), "big") & 0x7FF
            else:
                self._counter += 1
                if self._counter > 0xFFF:
                    self._last_ms += 1
                    self._counter = 0
            ms, counter = self._last_ms, self._counter
        tail = int.from_bytes(os.urandom(8), "big") & ((1 << 62) - 1)
        value = (ms & ((1 << 48) - 1)) << 80
        value |= 0x7 << 76
        value |= counter << 64
        value |= 0b10 << 62
        value |= tail
        return uuid.UUID(int=value)


uuid7 = _UUID7()
"""Make a time-ordered UUID (version 7): ``uuid7()``. Good primary keys: they index like
sequential integers and reveal nothing but the creation time."""
