"""Session stores implementing :class:`foundry.domain.session.SessionStore`.

``database`` (the ``sessions`` table), ``redis`` (one key per session with its TTL, and a
set per user) and ``memory`` (this process only). Records are keyed by the SHA-256 of the
session id, so no store ever holds a usable cookie value.
"""

from __future__ import annotations

from foundry.auth_scaffolding.sessions.codec import record_from_dict, record_to_dict
from foundry.auth_scaffolding.sessions.database import DatabaseSessionStore
from foundry.auth_scaffolding.sessions.memory import MemorySessionStore
from foundry.auth_scaffolding.sessions.redis import RedisSessionStore

__all__ = [
    "DatabaseSessionStore",
    "MemorySessionStore",
    "RedisSessionStore",
    "record_from_dict",
    "record_to_dict",
]
