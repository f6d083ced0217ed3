"""Session storage contract: where login sessions live (database, Redis or memory)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

from foundry.domain.contracts import contract

__all__ = ["SessionRecord", "SessionStore"]


@dataclass(slots=True)
class SessionRecord:
    """One session. ``id`` is the (hashed) identifier the store keys by."""

    id: str
    user_id: str | None
    expires_at: datetime
    last_activity: datetime
    data: dict[str, Any] = field(default_factory=dict)
    ip_address: str | None = None
    user_agent: str | None = None


@contract("foundry-auth-scaffolding")
@runtime_checkable
class SessionStore(Protocol):
    """Reads and writes sessions; every instance of the app sees the same sessions."""

    async def read(self, session_id: str) -> SessionRecord | None:
        """The session, or None when missing or expired."""
        ...

    async def write(self, record: SessionRecord) -> None: ...

    async def destroy(self, session_id: str) -> None: ...

    async def for_user(self, user_id: str) -> list[SessionRecord]: ...

    async def destroy_for_user(self, user_id: str, *, except_id: str | None = None) -> int:
        """End a user's sessions (log out other devices); returns how many."""
        ...

    async def gc(self) -> int:
        """Delete expired sessions; returns how many."""
        ...
