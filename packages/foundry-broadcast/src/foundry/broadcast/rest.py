"""The Pusher HTTP API: trigger events and ask about channels, from any Pusher library.

``POST /apps/{app_id}/events`` and ``/batch_events`` trigger; ``GET /apps/{app_id}/channels``,
``/channels/{name}`` and ``/channels/{name}/users`` report occupancy across every
instance. Each request is signed with the app's secret (``auth_key``, ``auth_timestamp``
within 600 s, ``auth_version``, ``body_md5``, ``auth_signature``), which the official
``pusher`` packages do for you.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from foundry.broadcast.backends.base import Envelope
from foundry.broadcast.broadcaster import build_envelope
from foundry.broadcast.exceptions import InvalidEventError
from foundry.broadcast.hub import Hub
from foundry.broadcast.protocol import channel_kind, valid_channel
from foundry.broadcast.signing import verify_request
from foundry.domain.clock import Clock
from foundry.domain.errors import NotFoundError, ValidationError

if TYPE_CHECKING:
    from starlette.requests import Request

    from foundry.domain.application import Application

__all__ = ["MAX_BATCH", "MAX_BODY", "RestApi"]

MAX_BODY = 262_144
MAX_BATCH = 10
INFO_ATTRIBUTES = frozenset({"user_count", "subscription_count"})


def _bad(field: str, message: str) -> ValidationError:
    error = ValidationError(message, fields={field: [message]})
    error.status = 400  # what Pusher answers, and what its libraries expect
    return error


def _info(raw: object) -> set[str]:
    if raw is None or raw == "":
        return set()
    if not isinstance(raw, str):
        raise _bad("info", "info must be a comma-separated string.")
    wanted = {part.strip() for part in raw.split(",") if part.strip()}
    unknown = wanted - INFO_ATTRIBUTES
    if unknown:
        raise _bad("info", f"Unknown info attribute(s): {', '.join(sorted(unknown))}.")
    return wanted


class RestApi:
    """The HTTP API's handlers over one app's hub."""

    def __init__(self, app: Application) -> None:
        self._app = app

    @property
    def hub(self) -> Hub:
        return self._app.make(Hub)

    async def verified_body(self, request: Request, app_id: str) -> bytes:
        """The request's body once its signature checks out (raises otherwise)."""
        settings = self.hub.settings
        if app_id != settings.app_id:
            raise NotFoundError(f"No app with id {app_id} here (PUSHER_APP_ID).")
        body = await request.body()
        if len(body) > MAX_BODY:
            error = ValidationError(f"The request body is larger than {MAX_BODY} bytes.")
            error.status = 413
            raise error
        verify_request(
            method=request.method,
            path=request.url.path,
            params=dict(request.query_params),
            body=body,
            key=settings.key,
            secret=settings.secret,
            now=self._app.make(Clock).timestamp(),
        )
        return body

    # --- triggering --------------------------------------------------------------------

    def _envelope(self, event: Mapping[str, Any], *, batch: bool) -> tuple[Envelope, set[str]]:
        name, data = event.get("name"), event.get("data")
        if not isinstance(name, str):
            raise _bad("name", "Each event needs a name (a string).")
        if not isinstance(data, str):
            raise _bad("data", "data must be a string (JSON-encode objects first).")
        channels: Any = (
            event.get("channel") if batch else event.get("channels", event.get("channel"))
        )
        if isinstance(channels, str):
            channels = [channels]
        if not isinstance(channels, list) or not all(isinstance(c, str) for c in channels):
            raise _bad("channels", "Name the channels as a list of strings (or one channel).")
        socket_id = event.get("socket_id")
        if socket_id is not None and not isinstance(socket_id, str):
            raise _bad("socket_id", "socket_id must be a string.")
        try:
            envelope = build_envelope(self.hub.settings, channels, name, data, socket_id)
        except InvalidEventError as exc:
            raise _bad(exc.field, exc.message) from None
        return envelope, _info(event.get("info"))

    @staticmethod
    def _json(body: bytes) -> dict[str, Any]:
        try:
            payload = json.loads(body or b"{}")
        except ValueError:
            raise _bad("body", "The body is not valid JSON.") from None
        if not isinstance(payload, dict):
            raise _bad("body", "The body must be a JSON object.")
        return payload

    async def trigger(self, body: bytes) -> dict[str, Any]:
        envelope, info = self._envelope(self._json(body), batch=False)
        await self.hub.backend.publish(envelope)
        if not info:
            return {}
        return {"channels": {c: await self._channel_info(c, info) for c in envelope.channels}}

    async def trigger_batch(self, body: bytes) -> dict[str, Any]:
        batch = self._json(body).get("batch")
        if not isinstance(batch, list) or not all(isinstance(e, dict) for e in batch):
            raise _bad("batch", "batch must be a list of event objects.")
        if len(batch) > MAX_BATCH:
            raise _bad("batch", f"{len(batch)} events in one batch; at most {MAX_BATCH}.")
        checked = [self._envelope(event, batch=True) for event in batch]  # all or nothing
        for envelope, _ in checked:
            await self.hub.backend.publish(envelope)
        if not any(info for _, info in checked):
            return {}
        results = []
        for envelope, info in checked:
            results.append(await self._channel_info(envelope.channels[0], info) if info else {})
        return {"batch": results}

    # --- channel information -----------------------------------------------------------

    async def subscriptions(self) -> Counter[str]:
        """Subscriber counts per channel across every live instance."""
        totals: Counter[str] = Counter()
        for stats in await self.hub.backend.instances():
            totals.update(stats.channels)
        return totals

    async def _channel_info(self, channel: str, info: set[str]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        if "user_count" in info and channel_kind(channel) == "presence":
            result["user_count"] = len(await self.hub.backend.presence.members(channel))
        if "subscription_count" in info:
            result["subscription_count"] = (await self.subscriptions()).get(channel, 0)
        return result

    async def channels(self, query: Mapping[str, str]) -> dict[str, Any]:
        prefix = query.get("filter_by_prefix", "")
        info = _info(query.get("info"))
        if "user_count" in info and not prefix.startswith("presence-"):
            raise _bad("info", "info=user_count needs filter_by_prefix=presence-.")
        counts = await self.subscriptions()
        users = await self.hub.backend.presence.user_counts()
        names = {c for c, n in counts.items() if n > 0} | set(users)
        listed: dict[str, Any] = {}
        for name in sorted(n for n in names if n.startswith(prefix)):
            entry: dict[str, Any] = {}
            if "user_count" in info:
                entry["user_count"] = users.get(name, 0)
            if "subscription_count" in info:
                entry["subscription_count"] = counts.get(name, 0)
            listed[name] = entry
        return {"channels": listed}

    async def channel(self, name: str, query: Mapping[str, str]) -> dict[str, Any]:
        if not valid_channel(name):
            raise _bad("channel", f"{name[:80]!r} is not a valid channel name.")
        info = _info(query.get("info"))
        presence = channel_kind(name) == "presence"
        if "user_count" in info and not presence:
            raise _bad("info", "user_count is only available for presence channels.")
        subscriptions = (await self.subscriptions()).get(name, 0)
        user_count = len(await self.hub.backend.presence.members(name)) if presence else 0
        result: dict[str, Any] = {"occupied": subscriptions > 0 or user_count > 0}
        if "user_count" in info:
            result["user_count"] = user_count
        if "subscription_count" in info:
            result["subscription_count"] = subscriptions
        return result

    async def users(self, name: str) -> dict[str, Any]:
        if not valid_channel(name) or channel_kind(name) != "presence":
            raise _bad(
                "channel", f"{name[:80]!r} is not a presence channel; only those have users."
            )
        members = await self.hub.backend.presence.members(name)
        return {"users": [{"id": user_id} for user_id in members]}
