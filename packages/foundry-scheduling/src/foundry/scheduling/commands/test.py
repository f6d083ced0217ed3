"""``schedule:test``: run one scheduled event now, to try it without waiting for its time."""

from __future__ import annotations

from typing import TYPE_CHECKING

from foundry.domain.commands import Command, CommandContext, CommandResult, Option

if TYPE_CHECKING:
    from foundry.scheduling.event import Event

__all__ = ["ScheduleTestCommand"]


class ScheduleTestCommand(Command):
    """Run one scheduled event now, whatever its time and conditions.

    --name picks the event by its name, description or task (an exact match first,
    else every event containing the text). When several match, you choose one
    interactively; without a terminal (-n), name it exactly. The event's hooks, output
    file and e-mail run as in a real run; its overlap lock is honoured.
    """

    name = "schedule:test"
    summary = "Run a scheduled event now"
    options = (Option("name", "The event's name, description or command"),)

    async def handle(self, ctx: CommandContext) -> CommandResult:
        from foundry.domain.errors import InputError, NotFoundError
        from foundry.scheduling.reporting import write_outcome
        from foundry.scheduling.runner import ScheduleRunner
        from foundry.scheduling.schedule import Schedule

        schedule = ctx.app.make(Schedule)
        if not len(schedule):
            raise NotFoundError("No scheduled events. Declare them in app/schedule.py.")
        wanted = ctx.option("name")
        events = schedule.matching(wanted) if wanted else list(schedule)
        if not events:
            known = ", ".join(sorted({e.display_name for e in schedule}))
            raise NotFoundError(f'No scheduled event matches "{wanted}". Scheduled: {known}.')
        labels = _labels(events)
        if len(events) == 1:
            event = events[0]
        elif ctx.interactive:
            choice = ctx.prompt.choice(
                "Which event would you like to run?", list(labels), field="name"
            )
            event = labels[choice]
        else:
            raise InputError(
                "name",
                f"{len(events)} scheduled events match; pass --name with one of: "
                + ", ".join(labels),
            )
        runner = ScheduleRunner(ctx.app, schedule)
        outcome = await runner.run_event(event)
        if not ctx.json:
            write_outcome(ctx.output, outcome, schedule.timezone)
            if outcome.output:
                ctx.output.line(outcome.output)
        data = outcome.to_dict()
        if not outcome.ok:
            return CommandResult.failure(
                f'"{outcome.summary}" failed: {outcome.error}',
                data=data,
                exit_code=outcome.exit_code or 1,
            )
        if not outcome.ran:
            return CommandResult.skipped(f'"{outcome.summary}" did not run: {outcome.reason}.')
        return CommandResult.success(f'"{outcome.summary}" ran.', data=data)


def _labels(events: list[Event]) -> dict[str, Event]:
    labels: dict[str, Event] = {}
    for event in events:
        label = f"{event.summary} [{event.expression}]"
        if label in labels:
            label = f"{label} #{len(labels) + 1}"
        labels[label] = event
    return labels
