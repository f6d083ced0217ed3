"""Turning the contract's TTL forms into seconds."""

from __future__ import annotations

from datetime import timedelta

from foundry.domain.cache import TTL

__all__ = ["seconds"]


def seconds(ttl: TTL) -> float | None:
    """``ttl`` as seconds (``None`` for forever).

    Zero or a negative number means "already expired": ``set`` then removes the key and
    ``add`` stores nothing, as Laravel does.

    Raises:
        TypeError: ``ttl`` is not a number, a ``timedelta`` or ``None``.
    """
    if ttl is None:
        return None
    if isinstance(ttl, timedelta):
        return ttl.total_seconds()
    if isinstance(ttl, bool) or not isinstance(ttl, int | float):
        raise TypeError(
            f"A cache TTL is seconds (int or float), a timedelta or None; got {type(ttl).__name__}"
        )
    return float(ttl)
