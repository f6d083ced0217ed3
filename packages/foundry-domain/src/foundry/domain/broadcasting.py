"""Broadcasting contract: push an event to websocket channels from anywhere."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol, runtime_checkable

from foundry.domain.contracts import contract

__all__ = ["Broadcaster"]


@contract("foundry-broadcast")
@runtime_checkable
class Broadcaster(Protocol):
    """Publishes to channels (``orders``, ``private-user.1``, ``presence-room.7``) on every
    instance of the app."""

    async def broadcast(
        self,
        channels: Sequence[str],
        event: str,
        payload: Mapping[str, Any],
        *,
        except_socket: str | None = None,
    ) -> None: ...
