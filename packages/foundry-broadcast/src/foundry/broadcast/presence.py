"""Presence membership: who is on each presence channel, counted per user.

A user may hold several connections to one channel (two tabs, two devices, two
instances); ``member_added`` goes out on the first and ``member_removed`` on the last, so
the store counts connections per user. :class:`MemoryPresence` serves one process; the
redis driver's store keeps the same books in Redis for every instance.
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

from foundry.broadcast.connection import PresenceMember

__all__ = ["MemoryPresence", "PresenceStore"]


@runtime_checkable
class PresenceStore(Protocol):
    """Presence books shared by every instance that uses the store."""

    async def join(self, channel: str, socket_id: str, member: PresenceMember) -> bool:
        """Record the connection; True when it is the user's first on the channel."""
        ...

    async def leave(self, channel: str, socket_id: str) -> PresenceMember | None:
        """Forget the connection; the member when it was the user's last, else None."""
        ...

    async def members(self, channel: str) -> dict[str, Any]:
        """``user_id -> user_info`` of everyone on the channel."""
        ...

    async def user_counts(self) -> dict[str, int]:
        """Distinct users per occupied presence channel."""
        ...


class MemoryPresence:
    """Presence for the memory driver (one process)."""

    def __init__(self) -> None:
        self._sockets: dict[str, dict[str, PresenceMember]] = {}
        self._users: dict[str, dict[str, int]] = {}

    async def join(self, channel: str, socket_id: str, member: PresenceMember) -> bool:
        sockets = self._sockets.setdefault(channel, {})
        if socket_id in sockets:
            sockets[socket_id] = member
            return False
        sockets[socket_id] = member
        users = self._users.setdefault(channel, {})
        users[member.user_id] = users.get(member.user_id, 0) + 1
        return users[member.user_id] == 1

    async def leave(self, channel: str, socket_id: str) -> PresenceMember | None:
        sockets = self._sockets.get(channel, {})
        member = sockets.pop(socket_id, None)
        if member is None:
            return None
        users = self._users[channel]
        users[member.user_id] -= 1
        last = users[member.user_id] <= 0
        if last:
            del users[member.user_id]
        if not sockets:
            self._sockets.pop(channel, None)
            self._users.pop(channel, None)
        return member if last else None

    async def members(self, channel: str) -> dict[str, Any]:
        return {m.user_id: m.user_info for m in self._sockets.get(channel, {}).values()}

    async def user_counts(self) -> dict[str, int]:
        return {channel: len(users) for channel, users in self._users.items() if users}
