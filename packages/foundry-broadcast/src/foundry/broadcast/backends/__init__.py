"""Fan-out backends: how an event reaches the connections of every instance."""

from __future__ import annotations

from foundry.broadcast.backends.base import Backend, Envelope, InstanceStats

__all__ = ["Backend", "Envelope", "InstanceStats"]
