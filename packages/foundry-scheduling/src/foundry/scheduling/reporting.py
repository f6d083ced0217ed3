"""How the ``schedule:*`` commands show minutes, outcomes and events to a person."""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, Any

from foundry.scheduling.outcome import EventOutcome, EventStatus

if TYPE_CHECKING:
    from foundry.domain.console import Output
    from foundry.scheduling.event import Event

__all__ = ["event_flags", "event_row", "moment", "write_outcome"]


def moment(when: datetime, tz: tzinfo) -> str:
    """``2026-03-29 03:00 CEST`` (the offset when the zone has no abbreviation)."""
    local = when.astimezone(tz)
    label = local.strftime("%Z")
    if not label or label[0] in "+-":
        label = local.strftime("%z")
        label = f"{label[:3]}:{label[3:]}"
    return f"{local:%Y-%m-%d %H:%M} {label}"


def _duration(ms: float) -> str:
    return f"{ms:.0f} ms" if ms < 10_000 else f"{ms / 1000:.1f} s"


def write_outcome(output: Output, outcome: EventOutcome, tz: tzinfo) -> None:
    """One line per outcome: ``DONE``, ``FAIL`` (to stderr) or ``SKIP`` with its reason."""
    when = moment(outcome.minute, tz)
    if outcome.status is EventStatus.SUCCESS:
        where = " in the background" if outcome.background else ""
        output.success(f"{when}  DONE  {outcome.summary} ({_duration(outcome.duration_ms)}{where})")
    elif outcome.status is EventStatus.FAILURE:
        output.error(
            f"{when}  FAIL  {outcome.summary} ({_duration(outcome.duration_ms)}): {outcome.error}"
        )
    else:
        output.line(f"{when}  SKIP  {outcome.summary}: {outcome.reason}")


def event_flags(event: Event) -> list[str]:
    """What besides the expression governs the event, in short words."""
    flags: list[str] = [str(window) for window in event.windows]
    if event.allowed_environments:
        flags.append("env " + ",".join(event.allowed_environments))
    flags.extend(f"{kind}()" for kind in dict.fromkeys(event.conditions))
    if event.prevents_overlapping:
        flags.append(f"without overlapping ({event.overlap_expires_after} min)")
    if event.runs_on_one_server:
        flags.append("on one server")
    if event.runs_in_background:
        flags.append("in background")
    return flags


def event_row(event: Event, now: datetime, display: tzinfo | None) -> dict[str, Any]:
    """The ``schedule:list --format json`` record of one event."""
    tz = display or event.tz
    upcoming = event.next_due(now)
    return {
        "name": event.display_name,
        "description": event.summary,
        "task": event.task.summary,
        "kind": event.task.kind,
        "expression": event.expression,
        "timezone": str(event.tz),
        "next_due": upcoming.astimezone(tz).isoformat() if upcoming else None,
        "next_due_utc": upcoming.isoformat() if upcoming else None,
        "next_due_display": moment(upcoming, tz) if upcoming else None,
        "without_overlapping": event.prevents_overlapping,
        "expires_after": event.overlap_expires_after,
        "on_one_server": event.runs_on_one_server,
        "background": event.runs_in_background,
        "environments": list(event.allowed_environments),
        "windows": [str(window) for window in event.windows],
        "flags": event_flags(event),
        "origin": event.origin,
    }
