"""``broadcast:test`` and ``broadcast:connections``."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from foundry.domain.broadcasting import Broadcaster
from foundry.domain.commands import Command, CommandContext, CommandResult, Option
from foundry.domain.errors import InputError

__all__ = ["BroadcastConnectionsCommand", "BroadcastTestCommand"]


class BroadcastTestCommand(Command):
    name = "broadcast:test"
    summary = "Send a test event through the broadcaster to a channel"
    description = (
        "Broadcasts one real event through the bound Broadcaster, so a connected client "
        "(pusher-js, Laravel Echo) shows it. With the redis driver it reaches every "
        "serving instance; with the memory driver only this process's connections, so run "
        "it against a served app with BROADCAST_DRIVER=redis."
    )
    options = (
        Option("channel", "The channel to send to", default="test-channel"),
        Option("event", "The event name", default="test-event"),
        Option("payload", "The payload, a JSON object"),
    )

    async def handle(self, ctx: CommandContext) -> CommandResult:
        from foundry.broadcast.settings import BroadcastSettings

        channel = str(ctx.option("channel", "test-channel"))
        event = str(ctx.option("event", "test-event"))
        raw = ctx.option("payload")
        if raw is None:
            payload: dict[str, Any] = {
                "message": "Test event from foundry broadcast:test",
                "sent_at": datetime.now(UTC).isoformat(),
            }
        else:
            try:
                decoded = json.loads(str(raw))
            except ValueError as exc:
                raise InputError("payload", f"--payload is not valid JSON: {exc}.") from None
            if not isinstance(decoded, dict):
                raise InputError("payload", "--payload must be a JSON object ({...}).")
            payload = decoded
        driver = ctx.app.make(BroadcastSettings).driver
        data = {"driver": driver, "channel": channel, "event": event, "payload": payload}
        if ctx.dry_run:
            return CommandResult.success(
                f"Dry run: would broadcast [{event}] to [{channel}] through the {driver} driver.",
                data={**data, "dry_run": True},
            )
        await ctx.app.make(Broadcaster).broadcast([channel], event, payload)
        if driver == "memory" and not ctx.json:
            ctx.output.warning(
                "The memory driver reaches only this process's connections; set "
                "BROADCAST_DRIVER=redis to reach a running server."
            )
        return CommandResult.success(
            f"Broadcast [{event}] to [{channel}] through the {driver} driver.", data=data
        )


class BroadcastConnectionsCommand(Command):
    name = "broadcast:connections"
    summary = "Show websocket connections per instance and subscribers per channel"
    description = (
        "With the redis driver, reads every live serving instance's figures from Redis "
        "(each instance refreshes them as connections come and go); with the memory "
        "driver, shows this process only."
    )

    async def handle(self, ctx: CommandContext) -> CommandResult:
        from foundry.broadcast.hub import Hub

        hub = ctx.app.make(Hub)
        instances = await hub.backend.instances()
        channels: dict[str, int] = {}
        for stats in instances:
            for name, count in stats.channels.items():
                channels[name] = channels.get(name, 0) + count
        total = sum(s.connections for s in instances)
        presence = await hub.backend.presence.user_counts()
        data = {
            "driver": hub.backend.name,
            "connections": total,
            "instances": [s.to_dict() for s in instances],
            "channels": dict(sorted(channels.items())),
            "presence_users": presence,
        }
        if not ctx.json:
            rows = [(s.id, s.connections, len(s.channels), _ago(s.updated_at)) for s in instances]
            ctx.output.table(
                ["Instance", "Connections", "Channels", "Updated"], rows, title="Instances"
            )
            ctx.output.table(
                ["Channel", "Subscribers", "Users"],
                [(n, c, presence.get(n, "")) for n, c in sorted(channels.items())],
                title="Channels",
            )
        plural = "instance" if len(instances) == 1 else "instances"
        return CommandResult.success(
            f"{total} connections on {len(instances)} {plural}, {len(channels)} occupied "
            f"channels ({hub.backend.name} driver).",
            data=data,
        )


def _ago(timestamp: float) -> str:
    if not timestamp:
        return "-"
    seconds = max(0.0, datetime.now(UTC).timestamp() - timestamp)
    return f"{seconds:.1f}s ago"
