"""``schedule:list``: the application's real schedule and when each event runs next."""

from __future__ import annotations

from foundry.domain.commands import Command, CommandContext, CommandResult, Option

__all__ = ["ScheduleListCommand"]


class ScheduleListCommand(Command):
    """List the scheduled events: expression, task, next due time and flags.

    The next due time is shown in the event's own timezone (or --timezone), and takes
    its between()/unless_between() windows into account; when()/skip() conditions are
    only known when the minute comes. --next sorts by next due time.
    """

    name = "schedule:list"
    summary = "List the scheduled events"
    options = (
        Option("timezone", "Show times in this timezone (e.g. Europe/Zurich)"),
        Option("next", "Sort by next due time", type="bool"),
    )

    def handle(self, ctx: CommandContext) -> CommandResult:
        from foundry.domain.clock import Clock
        from foundry.scheduling.cron import zone
        from foundry.scheduling.reporting import event_row
        from foundry.scheduling.schedule import Schedule

        schedule = ctx.app.make(Schedule)
        wanted = ctx.option("timezone")
        display = zone(wanted, where="(--timezone)") if wanted else None
        now = ctx.app.make(Clock).now()
        rows = [event_row(event, now, display) for event in schedule]
        if ctx.option("next"):
            rows.sort(key=lambda row: (row["next_due"] is None, row["next_due_utc"] or ""))
        if not ctx.json:
            if not rows:
                ctx.output.line("No scheduled events. Declare them in app/schedule.py.")
            else:
                ctx.output.table(
                    ("Expression", "Task", "Next due", "Timezone", "Flags"),
                    [
                        (
                            row["expression"],
                            _task_cell(row),
                            row["next_due_display"] or "never",
                            row["timezone"],
                            ", ".join(row["flags"]),
                        )
                        for row in rows
                    ],
                )
        return CommandResult.success(f"{len(rows)} scheduled event(s).", data=rows)


def _task_cell(row: dict[str, object]) -> str:
    task, description = str(row["task"]), str(row["description"])
    return task if description == task else f"{description} ({task})"
