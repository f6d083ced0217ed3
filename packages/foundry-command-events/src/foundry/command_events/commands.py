"""``event:list``: which listeners hear which events, in the order they run."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from foundry.domain.commands import Command, CommandContext, CommandResult, Option
from foundry.domain.errors import CommandError
from foundry.domain.events import EventDispatcher

if TYPE_CHECKING:
    from foundry.command_events.listeners import EventListing

__all__ = ["EventListCommand"]


class EventListCommand(Command):
    """List every event with its listeners, highest priority first.

    Listeners are shown by qualified name (``module.function``) so they can be found in the
    source; ``*`` rows are listeners on every event. ``--format json`` prints the same data.
    """

    name = "event:list"
    summary = "List the application's events and their listeners"
    options = (Option("event", "Only events whose name contains this text"),)

    def handle(self, ctx: CommandContext) -> CommandResult:
        from foundry.command_events.dispatcher import Dispatcher

        dispatcher = ctx.app.make(EventDispatcher)
        if not isinstance(dispatcher, Dispatcher):
            raise CommandError(
                f"event:list cannot read the listeners of {type(dispatcher).__qualname__}, "
                "the EventDispatcher bound in this application; it lists the dispatcher of "
                "foundry-command-events (bind foundry.command_events.Dispatcher instead)."
            )
        needle = str(ctx.option("event", "")).lower()
        listing = [e for e in dispatcher.describe() if needle in e["event"].lower()]
        data: list[dict[str, Any]] = [dict(entry) for entry in listing]
        if not ctx.json:
            _render(ctx, listing, needle)
        count = sum(len(entry["listeners"]) for entry in listing)
        return CommandResult.success(f"{count} listener(s) on {len(listing)} event(s).", data=data)


def _render(ctx: CommandContext, listing: list[EventListing], needle: str) -> None:
    if not listing:
        where = f' matching "{needle}"' if needle else ""
        ctx.output.info(f"No event listeners are registered{where}.")
        return
    rows: list[tuple[str, str, str, str]] = []
    for entry in listing:
        for index, listener in enumerate(entry["listeners"]):
            rows.append(
                (
                    entry["event"] if index == 0 else "",
                    str(listener["priority"]),
                    listener["listener"],
                    "yes" if listener["once"] else "",
                )
            )
    ctx.output.table(("Event", "Priority", "Listener", "Once"), rows, title="Events")
