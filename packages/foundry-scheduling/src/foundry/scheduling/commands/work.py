"""``schedule:work``: run the schedule every minute in the foreground, without cron."""

from __future__ import annotations

from foundry.domain.commands import Command, CommandContext, CommandResult

__all__ = ["ScheduleWorkCommand"]


class ScheduleWorkCommand(Command):
    """Run the schedule at the start of every minute until stopped.

    For development and for containers without cron. The next minute boundary is read
    from the application's clock before every nap, so runs never drift. SIGTERM or
    SIGINT (with foundry-signal-handler installed) stops it gracefully: the minute in
    progress and background events finish first. Restart it after deploying new code,
    as for queue:work.
    """

    name = "schedule:work"
    summary = "Run the schedule every minute, in the foreground"

    async def handle(self, ctx: CommandContext) -> CommandResult:
        from foundry.scheduling.outcome import EventOutcome
        from foundry.scheduling.reporting import write_outcome
        from foundry.scheduling.runner import ScheduleRunner
        from foundry.scheduling.schedule import Schedule
        from foundry.scheduling.worker import ScheduleWorker

        schedule = ctx.app.make(Schedule)

        def report(outcome: EventOutcome) -> None:
            if not ctx.json:
                write_outcome(ctx.output, outcome, schedule.timezone)

        runner = ScheduleRunner(ctx.app, schedule, on_outcome=report)
        worker = ScheduleWorker(ctx.app, runner)
        if not ctx.json:
            ctx.output.info(
                f"Running {len(schedule)} scheduled event(s) every minute. Press Ctrl+C to stop."
            )
        summary = await worker.run()
        data = {
            "minutes": [minute.isoformat() for minute in summary.minutes],
            "ran": summary.ran,
            "failed": summary.failed,
            "skipped_minutes": summary.skipped_minutes,
            "stopped_by": summary.stopped_by,
        }
        return CommandResult.success(
            f"Stopped ({summary.stopped_by or 'finished'}) after {len(summary.minutes)} "
            f"minute(s): {summary.ran} run(s), {summary.failed} failed.",
            data=data,
        )
