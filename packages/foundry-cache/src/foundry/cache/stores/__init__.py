"""The cache stores; each driver module imports its backend library only when used."""

from __future__ import annotations

from foundry.cache.stores.base import MISSING, Prunable, Store

__all__ = ["MISSING", "Prunable", "Store"]
