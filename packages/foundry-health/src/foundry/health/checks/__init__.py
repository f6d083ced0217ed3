"""The checks this package ships; each implements ``foundry.domain.health.HealthCheck``."""

from __future__ import annotations

from foundry.health.checks.cache import CacheCheck
from foundry.health.checks.database import DatabaseCheck
from foundry.health.checks.disk import DiskCheck
from foundry.health.checks.memory import MemoryCheck
from foundry.health.checks.queue import QueueCheck
from foundry.health.checks.redis import RedisCheck

__all__ = ["CacheCheck", "DatabaseCheck", "DiskCheck", "MemoryCheck", "QueueCheck", "RedisCheck"]
