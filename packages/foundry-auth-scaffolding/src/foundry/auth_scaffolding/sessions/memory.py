"""Sessions in this process's memory: for tests and single-process development."""

from __future__ import annotations

import copy

from foundry.domain.clock import Clock, SystemClock
from foundry.domain.session import SessionRecord

__all__ = ["MemorySessionStore"]


class MemorySessionStore:
    """Implements ``SessionStore`` with a dict; sessions vanish when the process ends."""

    def __init__(self, clock: Clock | None = None) -> None:
        self._clock = clock or SystemClock()
        self._records: dict[str, SessionRecord] = {}

    async def read(self, session_id: str) -> SessionRecord | None:
        record = self._records.get(session_id)
        if record is None:
            return None
        if record.expires_at <= self._clock.now():
            self._records.pop(session_id, None)
            return None
        return copy.deepcopy(record)

    async def write(self, record: SessionRecord) -> None:
        self._records[record.id] = copy.deepcopy(record)

    async def destroy(self, session_id: str) -> None:
        self._records.pop(session_id, None)

    async def for_user(self, user_id: str) -> list[SessionRecord]:
        now = self._clock.now()
        found = [r for r in self._records.values() if r.user_id == user_id and r.expires_at > now]
        return sorted(
            (copy.deepcopy(r) for r in found), key=lambda r: r.last_activity, reverse=True
        )

    async def destroy_for_user(self, user_id: str, *, except_id: str | None = None) -> int:
        doomed = [k for k, r in self._records.items() if r.user_id == user_id and k != except_id]
        for key in doomed:
            del self._records[key]
        return len(doomed)

    async def gc(self) -> int:
        now = self._clock.now()
        doomed = [k for k, r in self._records.items() if r.expires_at <= now]
        for key in doomed:
            del self._records[key]
        return len(doomed)
