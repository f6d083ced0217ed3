"""``notifications:table`` and ``notifications:prune``."""

from __future__ import annotations

from typing import Any

from foundry.domain.commands import Command, CommandContext, CommandResult, Option

__all__ = ["NotificationsTableCommand", "PruneNotificationsCommand"]

BRANCH = "notifications"


class NotificationsTableCommand(Command):
    """Say where the notifications table's migration is, and how to apply it.

    Laravel copies a migration into the app; Foundry ships it as this package's own
    Alembic branch, which `foundry migrate` applies with every other branch, so there is
    nothing to copy and no copy to drift from the package.
    """

    name = "notifications:table"
    summary = "Show the migration that creates the notifications table"

    def handle(self, ctx: CommandContext) -> CommandResult:
        from importlib import resources

        folder = resources.files("foundry.notifications").joinpath("migrations")
        files = sorted(p.name for p in folder.iterdir() if p.name.endswith(".py"))
        data: dict[str, Any] = {
            "branch": BRANCH,
            "location": "foundry.notifications:migrations",
            "path": str(folder),
            "migrations": files,
            "applied_by": "foundry migrate",
        }
        if not ctx.json:
            ctx.output.line("The notifications table ships with foundry-notifications.")
            ctx.output.definition_list(
                {"branch": BRANCH, "folder": str(folder), "revisions": ", ".join(files)}
            )
        return CommandResult.success(
            "Nothing to publish: run `foundry migrate` to create the notifications table "
            f"(branch {BRANCH}).",
            data=data,
        )


class PruneNotificationsCommand(Command):
    """Delete read notifications, read more than N days ago.

    N is --days, else NOTIFICATIONS_PRUNE_DAYS (30). Unread notifications are never
    deleted. The provider schedules it daily when foundry-scheduling is installed.
    """

    name = "notifications:prune"
    summary = "Delete notifications read more than N days ago"
    options = (
        Option(
            "days",
            "Delete those read more than this many days ago (default NOTIFICATIONS_PRUNE_DAYS)",
            type="int",
            rules=("min:1",),
        ),
    )

    async def handle(self, ctx: CommandContext) -> CommandResult:
        from datetime import timedelta

        from foundry.domain.clock import Clock, SystemClock
        from foundry.domain.contracts import unbound_message
        from foundry.domain.database import Database
        from foundry.domain.errors import CommandError, InputError
        from foundry.notifications.settings import NotificationSettings
        from foundry.notifications.store import prune_read

        days = ctx.option("days")
        if days is None:
            days = NotificationSettings.from_config(ctx.app.config).prune_days
        if int(days) < 1:
            raise InputError("days", "--days must be 1 or more.")
        if not ctx.app.bound(Database):
            raise CommandError(unbound_message(Database))
        clock = ctx.app.make(Clock) if ctx.app.bound(Clock) else SystemClock()
        cutoff = clock.now() - timedelta(days=int(days))
        async with ctx.app.make(Database).session() as session:
            count = await prune_read(session, cutoff, dry_run=ctx.dry_run)
        data = {
            "days": int(days),
            "before": cutoff.isoformat(),
            "deleted": 0 if ctx.dry_run else count,
        }
        if ctx.dry_run:
            data["would_delete"] = count
            return CommandResult.success(
                f"Dry run: {count} notification(s) read more than {days} day(s) ago would be "
                "deleted; nothing was.",
                data=data,
            )
        return CommandResult.success(
            f"Deleted {data['deleted']} notification(s) read more than {days} day(s) ago.",
            data=data,
        )
