"""Where a run's output goes: a file (replaced or appended) and e-mail (``Mailer``)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from foundry.domain.mail import Mailer, Message
from foundry.scheduling.errors import reason_of

if TYPE_CHECKING:
    from foundry.domain.application import Application
    from foundry.scheduling.event import Event
    from foundry.scheduling.outcome import EventOutcome

__all__ = ["deliver_output", "mail_subject"]


def mail_subject(event: Event, outcome: EventOutcome) -> str:
    """Laravel's subject line, marked when the run failed."""
    state = "" if outcome.ok else " (failed)"
    return f"Scheduled Job Output For [{event.summary}]{state}"


async def deliver_output(app: Application, event: Event, outcome: EventOutcome) -> list[str]:
    """Write and e-mail the output as the event asks; return what went wrong.

    Nothing is raised: a file that cannot be written or a mailer that fails is reported
    as a problem of this run, and the other events still run. Relative paths are in the
    application root. Failure recipients and every-run recipients get one message.
    """
    problems: list[str] = []
    if event.output_path is not None:
        path = event.output_path
        target = path if path.is_absolute() else app.base_path / path
        try:
            _write(target, outcome.output, append=event.appends_output)
        except OSError as exc:
            problems.append(f"cannot write the output to {path}: {exc.strerror or exc}")
    recipients = list(event.mail_on_failure) if not outcome.ok else []
    if event.mail_to and (outcome.output.strip() or not event.mail_only_with_output):
        recipients += [a for a in event.mail_to if a not in recipients]
    if recipients:
        message = Message(
            subject=mail_subject(event, outcome),
            to=tuple(recipients),
            text=outcome.output or "(no output)",
        )
        try:
            await app.make(Mailer).send(message)
        except Exception as exc:
            problems.append(f"cannot e-mail the output: {reason_of(exc)}")
    return problems


def _write(target: Path, text: str, *, append: bool) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    body = text + "\n" if text and not text.endswith("\n") else text
    with target.open("a" if append else "w", encoding="utf-8") as handle:
        handle.write(body)
