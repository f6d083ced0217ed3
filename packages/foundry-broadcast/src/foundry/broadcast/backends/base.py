"""What a fan-out backend does, and the envelope it carries between instances.

An :class:`Envelope` is one event for one or more channels. The broadcaster, the HTTP
API and client events all hand envelopes to the backend; the backend delivers each to the
hub of every instance (the memory backend: only this one), and each hub writes frames to
its own subscribers.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from foundry.broadcast.hub import Hub
    from foundry.broadcast.presence import PresenceStore

__all__ = ["Backend", "Envelope", "InstanceStats"]


@dataclass(frozen=True, slots=True)
class Envelope:
    """One event on its way to subscribers.

    Attributes:
        channels: where it goes.
        event: the event name (``order.shipped``, ``client-typing``,
            ``pusher_internal:member_added``).
        data: a JSON string for server events; any JSON value for client events, which
            are relayed exactly as the client sent them.
        except_socket: the socket that must not receive it (the sender).
        user_id: the sender's presence user id, added to client events on presence
            channels.
    """

    channels: tuple[str, ...]
    event: str
    data: Any
    except_socket: str | None = None
    user_id: str | None = None

    def to_json(self) -> str:
        return json.dumps(
            {
                "c": list(self.channels),
                "e": self.event,
                "d": self.data,
                "x": self.except_socket,
                "u": self.user_id,
            },
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, text: str | bytes) -> Envelope:
        raw = json.loads(text)
        return cls(
            channels=tuple(str(c) for c in raw["c"]),
            event=str(raw["e"]),
            data=raw.get("d"),
            except_socket=raw.get("x"),
            user_id=raw.get("u"),
        )


@dataclass(frozen=True, slots=True)
class InstanceStats:
    """One serving instance's connections and subscriptions."""

    id: str
    connections: int
    channels: Mapping[str, int] = field(default_factory=dict)
    updated_at: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "connections": self.connections,
            "channels": dict(self.channels),
            "updated_at": self.updated_at,
        }


class Backend(Protocol):
    """Carries envelopes to every instance's hub and keeps presence books."""

    name: str

    @property
    def presence(self) -> PresenceStore: ...

    def attach(self, hub: Hub) -> None:
        """The hub that receives this instance's deliveries."""
        ...

    async def start(self) -> None:
        """Begin receiving (subscribe, heartbeats); only serving instances call this."""
        ...

    async def stop(self) -> None: ...

    async def publish(self, envelope: Envelope) -> None:
        """Send to every instance; raises BroadcastUnavailableError when it cannot."""
        ...

    def changed(self) -> None:
        """Local subscriptions changed (instance stats are due)."""
        ...

    async def instances(self) -> list[InstanceStats]:
        """Every live instance's stats (this one only, for the memory backend)."""
        ...

    @property
    def healthy(self) -> bool:
        """Whether the backend is receiving (always, for the memory backend)."""
        ...
