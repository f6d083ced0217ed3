"""One scheduled event: what runs, when, under which conditions, and what follows.

Built by :class:`~foundry.scheduling.Schedule` (``schedule.command(...)``, ``.call(...)``,
``.job(...)``) and configured fluently, as in Laravel::

    schedule.command("reports:send").weekdays().daily_at("8:00") \\
        .timezone("Europe/Zurich").without_overlapping().on_one_server() \\
        .email_output_on_failure("ops@example.com")

The event only holds the declaration; :class:`~foundry.scheduling.ScheduleRunner` runs it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from datetime import datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Self

from foundry.domain.cache import Cache
from foundry.domain.contracts import unbound_message
from foundry.domain.mail import Address, Mailer, coerce_addresses
from foundry.scheduling.cron import CronExpression
from foundry.scheduling.errors import ScheduleError
from foundry.scheduling.frequencies import ManagesFrequencies, TimeWindow
from foundry.scheduling.invoke import invoke
from foundry.scheduling.tasks import Task

if TYPE_CHECKING:
    from foundry.domain.application import Application

__all__ = ["Event", "HookKind"]

HookKind = Literal["after", "success", "failure"]
Condition = Callable[..., Any] | bool


class Event(ManagesFrequencies):
    """A task plus when and how to run it (Laravel's ``Illuminate\\Console\\Scheduling\\Event``).

    Every method returns the event, so calls chain. Reading methods are properties whose
    names do not clash with the fluent setters: :attr:`display_name` (set by
    :meth:`name`) and :attr:`summary` (set by :meth:`description`).

    Args:
        task: what to run.
        timezone: the default timezone (``APP_TIMEZONE``) until :meth:`timezone` is called.
        origin: where the event was declared (``app/schedule.py``, a provider), for errors.
    """

    def __init__(self, task: Task, *, timezone: tzinfo, origin: str = "") -> None:
        self.task = task
        self.origin = origin
        self._expression = CronExpression("* * * * *")
        self._timezone = timezone
        self._windows: list[TimeWindow] = []
        self._conditions: list[tuple[Literal["when", "skip"], Condition]] = []
        self._environments: tuple[str, ...] = ()
        self._overlap_expires: int | None = None
        self._one_server = False
        self._background = False
        self._name: str | None = None
        self._description: str | None = None
        self._output_path: Path | None = None
        self._append_output = False
        self._mail_to: tuple[Address, ...] = ()
        self._mail_only_with_output = False
        self._mail_on_failure: tuple[Address, ...] = ()
        self._before: list[Callable[..., Any]] = []
        self._after: list[tuple[HookKind, Callable[..., Any]]] = []

    # --- naming ------------------------------------------------------------------------

    def name(self, name: str) -> Self:
        """Name the event: ``schedule:test --name`` finds it by this, and locks use it."""
        self._name = self._text(name, "name")
        return self

    def description(self, description: str) -> Self:
        """A human description shown by ``schedule:list`` and in e-mail subjects."""
        self._description = self._text(description, "description")
        return self

    @property
    def display_name(self) -> str:
        """The event's name, or the task's summary when it was not named."""
        return self._name or self.task.summary

    @property
    def summary(self) -> str:
        """The description, or else the display name."""
        return self._description or self.display_name

    @property
    def mutex_name(self) -> str:
        """The lock key; the same on every server running the same schedule."""
        identity = self._name or self.task.identity
        key = f"{self._expression.text}\0{identity}".encode()
        digest = hashlib.sha1(key, usedforsecurity=False).hexdigest()
        return f"framework/schedule-{digest}"

    # --- conditions --------------------------------------------------------------------

    def when(self, condition: Condition) -> Self:
        """Run only when ``condition`` (a bool, or a sync/async callable with injected
        parameters) is true at run time."""
        self._conditions.append(("when", self._condition(condition, "when")))
        return self

    def skip(self, condition: Condition) -> Self:
        """Do not run when ``condition`` is true at run time."""
        self._conditions.append(("skip", self._condition(condition, "skip")))
        return self

    def environments(self, *names: str | Sequence[str]) -> Self:
        """Run only when ``APP_ENV`` is one of ``names`` (``"production"``)."""
        flat: list[str] = []
        for name in names:
            flat.extend([name] if isinstance(name, str) else list(name))
        if not flat or not all(isinstance(n, str) and n.strip() for n in flat):
            raise ScheduleError(f"{self._where()}: environments() needs one or more names.")
        self._environments = tuple(n.strip() for n in flat)
        return self

    def without_overlapping(self, expires_after: int = 1440) -> Self:
        """Skip a run while the previous one still holds the lock (a ``Cache`` lock that
        expires after ``expires_after`` minutes, in case a run died holding it)."""
        if isinstance(expires_after, bool) or not isinstance(expires_after, int):
            raise ScheduleError(f"{self._where()}: expires_after must be whole minutes.")
        if expires_after < 1:
            raise ScheduleError(f"{self._where()}: expires_after must be at least 1 minute.")
        self._overlap_expires = expires_after
        return self

    def on_one_server(self) -> Self:
        """Run on one server only when several run the schedule (a shared ``Cache``)."""
        self._one_server = True
        return self

    def run_in_background(self) -> Self:
        """Start the event without waiting for it before the next one of the minute."""
        self._background = True
        return self

    # --- output ------------------------------------------------------------------------

    def send_output_to(self, path: str | Path) -> Self:
        """Write the run's output to ``path`` (relative paths are in the app root),
        replacing what was there."""
        self._output_path, self._append_output = Path(path), False
        return self

    def append_output_to(self, path: str | Path) -> Self:
        """Append the run's output to ``path``."""
        self._output_path, self._append_output = Path(path), True
        return self

    def email_output_to(
        self, addresses: str | Address | Sequence[str | Address], only_if_output: bool = False
    ) -> Self:
        """E-mail the output after every run (through the ``Mailer``)."""
        self._mail_to = coerce_addresses(addresses)
        self._mail_only_with_output = only_if_output
        return self

    def email_output_on_failure(self, addresses: str | Address | Sequence[str | Address]) -> Self:
        """E-mail the output when a run fails."""
        self._mail_on_failure = coerce_addresses(addresses)
        return self

    # --- hooks -------------------------------------------------------------------------

    def before(self, hook: Callable[..., Any]) -> Self:
        """Call ``hook`` before the task; if it raises, the task does not run."""
        self._before.append(self._hook(hook, "before"))
        return self

    def after(self, hook: Callable[..., Any]) -> Self:
        """Call ``hook`` after every run (it may ask for the ``EventOutcome``)."""
        self._after.append(("after", self._hook(hook, "after")))
        return self

    def on_success(self, hook: Callable[..., Any]) -> Self:
        """Call ``hook`` after a successful run."""
        self._after.append(("success", self._hook(hook, "on_success")))
        return self

    def on_failure(self, hook: Callable[..., Any]) -> Self:
        """Call ``hook`` after a failed run."""
        self._after.append(("failure", self._hook(hook, "on_failure")))
        return self

    # --- reading -----------------------------------------------------------------------

    @property
    def expression(self) -> str:
        return self._expression.text

    @property
    def tz(self) -> tzinfo:
        """The timezone the expression and windows are read in."""
        return self._timezone

    @property
    def windows(self) -> tuple[TimeWindow, ...]:
        return tuple(self._windows)

    @property
    def conditions(self) -> tuple[str, ...]:
        """The kinds of run-time conditions declared, in order (``when``, ``skip``)."""
        return tuple(kind for kind, _ in self._conditions)

    @property
    def allowed_environments(self) -> tuple[str, ...]:
        return self._environments

    @property
    def prevents_overlapping(self) -> bool:
        return self._overlap_expires is not None

    @property
    def overlap_expires_after(self) -> int | None:
        """Minutes the overlap lock lives, or None when overlapping is allowed."""
        return self._overlap_expires

    @property
    def runs_on_one_server(self) -> bool:
        return self._one_server

    @property
    def runs_in_background(self) -> bool:
        return self._background

    @property
    def output_path(self) -> Path | None:
        return self._output_path

    @property
    def appends_output(self) -> bool:
        return self._append_output

    @property
    def mail_to(self) -> tuple[Address, ...]:
        return self._mail_to

    @property
    def mail_only_with_output(self) -> bool:
        return self._mail_only_with_output

    @property
    def mail_on_failure(self) -> tuple[Address, ...]:
        return self._mail_on_failure

    @property
    def before_hooks(self) -> tuple[Callable[..., Any], ...]:
        return tuple(self._before)

    @property
    def after_hooks(self) -> tuple[tuple[HookKind, Callable[..., Any]], ...]:
        return tuple(self._after)

    # --- deciding ----------------------------------------------------------------------

    def is_due_at(self, minute: datetime) -> bool:
        """Whether the expression and the windows allow the aware ``minute``."""
        return self._expression.is_due(minute, self._timezone) and self._in_windows(minute)

    def next_due(self, after: datetime) -> datetime | None:
        """The next minute (UTC) strictly after ``after`` at which the event is due by
        time (conditions such as ``when`` are only known when that minute comes)."""
        return self._expression.next_due(after, self._timezone, self._in_windows)

    async def skip_reason(self, app: Application) -> str | None:
        """Why the conditions say not to run now, or None to run."""
        if self._environments and app.environment not in self._environments:
            allowed = ", ".join(self._environments)
            return f"the environment is {app.environment}, it runs in {allowed}"
        for kind, condition in self._conditions:
            value = condition if isinstance(condition, bool) else await invoke(app, condition)
            if kind == "when" and not value:
                return "a when() condition is false"
            if kind == "skip" and value:
                return "a skip() condition is true"
        return None

    def problems(self, app: Application) -> list[str]:
        """What the application lacks for this event (checked when the schedule loads)."""
        found = [f"{self._where()}: {problem}" for problem in self.task.problems(app)]
        for wanted, method in (
            (self.prevents_overlapping, "without_overlapping()"),
            (self._one_server, "on_one_server()"),
        ):
            if not wanted:
                continue
            if not app.bound(Cache):
                found.append(
                    f"{self._where()}: {method} keeps its lock in the cache. "
                    + unbound_message(Cache)
                )
            if self.task.anonymous and self._name is None:
                found.append(
                    f"{self._where()}: {method} needs a stable lock name, and a lambda has "
                    'none: add .name("...") to the event.'
                )
        if (self._mail_to or self._mail_on_failure) and not app.bound(Mailer):
            found.append(
                f"{self._where()}: e-mailing output needs a mailer. {unbound_message(Mailer)}"
            )
        return found

    # --- helpers -----------------------------------------------------------------------

    def _where(self) -> str:
        origin = f" ({self.origin})" if self.origin else ""
        return f'Scheduled event "{self.summary}"{origin}'

    def _text(self, value: str, what: str) -> str:
        if not isinstance(value, str) or not value.strip():
            raise ScheduleError(f"{self._where()}: {what}() needs non-empty text.")
        return value.strip()

    def _condition(self, condition: Condition, method: str) -> Condition:
        if not (isinstance(condition, bool) or callable(condition)):
            raise ScheduleError(
                f"{self._where()}: {method}() takes a bool or a callable, not "
                f"{type(condition).__name__}."
            )
        return condition

    def _hook(self, hook: Callable[..., Any], method: str) -> Callable[..., Any]:
        if not callable(hook):
            raise ScheduleError(f"{self._where()}: {method}() takes a callable.")
        return hook

    def __repr__(self) -> str:
        return f"<Event {self.expression} {self.summary}>"
