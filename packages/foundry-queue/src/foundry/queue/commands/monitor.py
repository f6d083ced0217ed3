"""``queue:monitor`` (sizes, exit 1 over a threshold) and ``queue:clear``."""

from __future__ import annotations

from foundry.domain.commands import Argument, Command, CommandContext, CommandResult, Option

__all__ = ["ClearCommand", "MonitorCommand"]

COLUMNS = ("connection", "queue", "size", "ready", "delayed", "reserved", "status")


class MonitorCommand(Command):
    """Show how many jobs wait on queues; exit 1 when one holds more than --max.

    QUEUES are "queue" (on the default connection) or "connection:queue", several or
    comma-separated: foundry queue:monitor redis:default,redis:emails --max 500. Sizes
    count waiting, delayed and reserved jobs. Run it from cron or a health check to be
    told when workers fall behind.
    """

    name = "queue:monitor"
    summary = "Monitor the size of queues"
    arguments = (
        Argument(
            "queues", "Queues to watch: queue or connection:queue", type="list", required=False
        ),
    )
    options = (Option("max", "Alert above this many jobs", type="int", default=1000),)

    async def handle(self, ctx: CommandContext) -> CommandResult:
        from foundry.domain.errors import InputError
        from foundry.queue.manager import QueueManager

        manager = ctx.app.make(QueueManager)
        limit = int(ctx.option("max", 1000))
        if limit < 0:
            raise InputError("max", "--max cannot be negative.")
        raw = [p.strip() for item in ctx.argument("queues") or [] for p in str(item).split(",")]
        targets: list[tuple[str, str]] = []
        for item in [p for p in raw if p]:
            connection, sep, queue = item.rpartition(":")
            name = connection if sep else manager.default_connection
            targets.append((name, queue or manager.connection(name).default_queue))
        if not targets:
            default = manager.connection()
            targets = [(default.name, default.default_queue)]
        rows = []
        for name, queue in targets:
            target = manager.connection(name)
            sizes: dict[str, int] = await target.sizes(queue) if hasattr(target, "sizes") else {}
            size = sum(sizes.values()) if sizes else await target.size(queue)
            rows.append(
                {
                    "connection": name,
                    "queue": queue,
                    "size": size,
                    **{k: sizes.get(k, 0) for k in ("ready", "delayed", "reserved")},
                    "status": "ALERT" if size > limit else "OK",
                }
            )
        if not ctx.json:
            ctx.output.table(
                ["Connection", "Queue", "Size", "Ready", "Delayed", "Reserved", "Status"],
                [
                    [
                        r["connection"],
                        r["queue"],
                        r["size"],
                        r["ready"],
                        r["delayed"],
                        r["reserved"],
                        r["status"],
                    ]
                    for r in rows
                ],
            )
        alerts = [r for r in rows if r["status"] == "ALERT"]
        if alerts:
            names = ", ".join(f"{r['connection']}:{r['queue']} ({r['size']})" for r in alerts)
            return CommandResult.failure(f"Queues over {limit} jobs: {names}.", data=rows)
        return CommandResult.success(f"{len(rows)} queue(s) within {limit} jobs.", data=rows)


class ClearCommand(Command):
    """Delete every job waiting on a queue (not failed jobs: see queue:flush).

    Refused in production without --force.
    """

    name = "queue:clear"
    summary = "Delete all jobs from a queue"
    arguments = (
        Argument("connection", "The connection (default: QUEUE_CONNECTION)", required=False),
    )
    options = (Option("queue", "The queue (default: the connection's default queue)"),)

    async def handle(self, ctx: CommandContext) -> CommandResult:
        from foundry.domain.errors import CommandError
        from foundry.queue.manager import QueueManager

        manager = ctx.app.make(QueueManager)
        connection = manager.connection(ctx.argument("connection"))
        queue = ctx.option("queue") or connection.default_queue
        if ctx.app.is_production() and not ctx.force and not ctx.dry_run:
            raise CommandError(
                f"Refusing to clear {connection.name}:{queue} in production; "
                "run again with --force."
            )
        if ctx.dry_run:
            size = await connection.size(queue)
            return CommandResult.success(
                f"Would delete {size} job(s) from {connection.name}:{queue}.",
                data={"connection": connection.name, "queue": queue, "deleted": 0, "size": size},
            )
        deleted = await connection.clear(queue)
        return CommandResult.success(
            f"Deleted {deleted} job(s) from {connection.name}:{queue}.",
            data={"connection": connection.name, "queue": queue, "deleted": deleted},
        )
