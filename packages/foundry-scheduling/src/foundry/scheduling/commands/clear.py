"""``schedule:clear-cache``: free the overlap locks a killed run left behind."""

from __future__ import annotations

from foundry.domain.commands import Command, CommandContext, CommandResult

__all__ = ["ScheduleClearCacheCommand"]


class ScheduleClearCacheCommand(Command):
    """Delete the without_overlapping() locks of every scheduled event.

    A run that is killed (SIGKILL, a crashed machine) cannot release its overlap lock,
    and the event is then skipped until the lock expires (expires_after, a day by
    default). Run this once you know no run of those events is still going. Honours
    --dry-run (lists the locks, deletes nothing).
    """

    name = "schedule:clear-cache"
    summary = "Delete the overlap locks of the scheduled events"

    async def handle(self, ctx: CommandContext) -> CommandResult:
        from foundry.domain.cache import Cache
        from foundry.scheduling.schedule import Schedule

        schedule = ctx.app.make(Schedule)
        events = [event for event in schedule if event.prevents_overlapping]
        if not events:
            return CommandResult.success("No scheduled event uses without_overlapping().")
        cache = ctx.app.make(Cache)
        cleared: list[str] = []
        for event in events:
            if not ctx.dry_run:
                await cache.lock(event.mutex_name, 60).force_release()
            cleared.append(event.summary)
            if not ctx.json:
                verb = "Would delete" if ctx.dry_run else "Deleted"
                ctx.output.line(f"{verb} the overlap lock of {event.summary}")
        data = {"events": cleared, "dry_run": ctx.dry_run}
        if ctx.dry_run:
            return CommandResult.success("Dry run: no lock was deleted.", data=data)
        return CommandResult.success(f"{len(cleared)} overlap lock(s) deleted.", data=data)
