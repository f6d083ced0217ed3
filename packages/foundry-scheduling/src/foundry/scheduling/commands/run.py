"""``schedule:run``: run what is due in the current minute (cron calls it every minute)."""

from __future__ import annotations

from foundry.domain.commands import Command, CommandContext, CommandResult

__all__ = ["ScheduleRunCommand"]


class ScheduleRunCommand(Command):
    """Run the scheduled events that are due in the current minute.

    Meant for cron, every minute:

        * * * * * cd /path/to/app && foundry schedule:run >> /dev/null 2>&1

    The minute comes from the application's clock, truncated. Events run one after
    another in the order they were declared (those marked run_in_background() start
    without waiting, and the command waits for them before it exits). Each outcome is
    reported; the command exits 1 when any event failed.
    """

    name = "schedule:run"
    summary = "Run the scheduled events that are due now"

    async def handle(self, ctx: CommandContext) -> CommandResult:
        from foundry.scheduling.reporting import moment, write_outcome
        from foundry.scheduling.runner import ScheduleRunner
        from foundry.scheduling.schedule import Schedule

        schedule = ctx.app.make(Schedule)
        tz = schedule.timezone

        def report(outcome: object) -> None:
            from foundry.scheduling.outcome import EventOutcome

            if not ctx.json and isinstance(outcome, EventOutcome):
                write_outcome(ctx.output, outcome, tz)

        runner = ScheduleRunner(ctx.app, schedule, on_outcome=report)
        minute = runner.current_minute()
        if not ctx.json:
            ctx.output.verbose(f"Running the events due at {moment(minute, tz)}.")
        result = await runner.run_due(minute)
        data = result.to_dict()
        if not result.outcomes:
            return CommandResult.success(
                f"No scheduled events are due at {moment(minute, tz)}.", data=data
            )
        if result.failed:
            names = ", ".join(o.summary for o in result.failed)
            return CommandResult.failure(
                f"{len(result.failed)} of {len(result.ran)} scheduled event(s) failed: {names}",
                data=data,
            )
        return CommandResult.success(
            f"{len(result.ran)} scheduled event(s) ran, {len(result.skipped)} skipped.",
            data=data,
        )
