"""What a scheduled event runs: a console command, a callable, or a queued job.

Each task knows how to describe itself (for ``schedule:list`` and lock names), what it
needs from the application (checked when the schedule loads) and how to run once,
reporting a :class:`TaskResult`.
"""

from __future__ import annotations

import inspect
import json
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from foundry.domain.application import CommandCaller
from foundry.domain.commands import Command
from foundry.domain.contracts import unbound_message
from foundry.domain.queue import QueueDispatcher
from foundry.scheduling.errors import ScheduleError
from foundry.scheduling.invoke import callable_label, check_parameters, invoke

if TYPE_CHECKING:
    from foundry.domain.application import Application

__all__ = ["CallableTask", "CommandTask", "JobTask", "Task", "TaskResult"]


@dataclass(frozen=True, slots=True)
class TaskResult:
    """How one run of a task ended, and the text it produced (its "output")."""

    ok: bool
    exit_code: int = 0
    output: str = ""
    error: str | None = None
    exception: BaseException | None = None

    @classmethod
    def from_value(cls, value: Any) -> TaskResult:
        """A successful run of a callable: text it returned is its output."""
        return cls(True, 0, value if isinstance(value, str) else "")


class Task(ABC):
    """Something an event runs; ``run`` may raise, and the runner reports the exception
    as a failed run."""

    kind: ClassVar[str]

    @property
    @abstractmethod
    def summary(self) -> str:
        """How ``schedule:list`` shows the task (``cache:prune --force``)."""

    @property
    def identity(self) -> str:
        """What tells this task from others in lock names (stable across servers)."""
        return f"{self.kind}:{self.summary}"

    @property
    def anonymous(self) -> bool:
        """True when the task has no stable name of its own (a lambda)."""
        return False

    def problems(self, app: Application) -> list[str]:
        """What the application lacks for this task to run (empty when nothing)."""
        return []

    @abstractmethod
    async def run(self, app: Application) -> TaskResult:
        """Run once and report how it ended."""


def _option_words(params: Mapping[str, Any]) -> list[str]:
    words: list[str] = []
    for key, value in params.items():
        flag = "--" + key.replace("_", "-")
        if value is True:
            words.append(flag)
        elif value is None or value is False:
            continue
        elif isinstance(value, list | tuple):
            words.extend(f"{flag}={item}" for item in value)
        else:
            words.append(f"{flag}={value}")
    return words


class CommandTask(Task):
    """A console command run through the ``CommandCaller`` (foundry-command-executor),
    so its parameters are validated as typed input is and its output is captured."""

    kind = "command"

    def __init__(
        self,
        command: str | type[Command],
        params: Mapping[str, Any] | None = None,
        options: Mapping[str, Any] | None = None,
    ) -> None:
        if isinstance(command, type) and issubclass(command, Command):
            command = command.name
        if not isinstance(command, str) or not command.strip() or len(command.split()) != 1:
            raise ScheduleError(
                f"schedule.command({command!r}): give the command's name alone and its "
                "parameters as keywords, e.g. schedule.command('emails:send', user='ada', "
                "force=True).",
                context={"command": repr(command)},
            )
        self.name = command.strip()
        self.params = dict(params or {})
        self.options = dict(options or {})

    @property
    def summary(self) -> str:
        return " ".join([self.name, *_option_words({**self.params, **self.options})])

    def problems(self, app: Application) -> list[str]:
        found: list[str] = []
        if not app.bound(CommandCaller):
            found.append(
                "scheduled commands run through the CommandCaller. "
                + unbound_message(CommandCaller)
            )
        registry = app.commands
        if not registry.has(self.name):
            hint = registry.suggest(self.name)
            also = f" Did you mean: {', '.join(hint)}?" if hint else ""
            found.append(f'no command is named "{self.name}".{also}')
        return found

    async def run(self, app: Application) -> TaskResult:
        caller = app.make(CommandCaller)
        result = await caller.call(self.name, self.params, **self.options)
        return TaskResult(
            result.ok, result.exit_code, result.output, result.error, result.exception
        )


class CallableTask(Task):
    """A function, coroutine function, callable object or invokable class.

    A class is built by the container at each run and then called; every parameter is
    injected by type hint unless given as a fixed value. Synchronous code runs in a worker
    thread. Text the callable returns is the run's output.
    """

    kind = "call"

    def __init__(self, target: Callable[..., Any], parameters: Mapping[str, Any]) -> None:
        if not callable(target):
            raise ScheduleError(
                f"schedule.call({target!r}): expected a function, a coroutine function or "
                "an invokable class."
            )
        self.target = target
        self.parameters = dict(parameters)
        to_check = target.__call__ if inspect.isclass(target) else target
        check_parameters(to_check, self.parameters, f"schedule.call({callable_label(target)})")

    @property
    def summary(self) -> str:
        label = callable_label(self.target)
        code = getattr(self.target, "__code__", None)
        if self.anonymous and code is not None:
            return f"{label} (line {code.co_firstlineno})"
        return label

    @property
    def anonymous(self) -> bool:
        return "<lambda>" in callable_label(self.target)

    async def run(self, app: Application) -> TaskResult:
        target: Any = self.target
        if inspect.isclass(target):
            target = app.make(target)  # an invokable class: built per run
        value = await invoke(app, target, given=self.parameters, thread=True)
        return TaskResult.from_value(value)


class JobTask(Task):
    """A queued job: dispatched through the ``QueueDispatcher`` contract when one is
    bound (foundry-queue), otherwise handled right here, its ``handle`` parameters
    injected by type hint."""

    kind = "job"

    def __init__(
        self, job: Any, *, queue: str | None = None, connection: str | None = None
    ) -> None:
        if inspect.isclass(job):
            raise ScheduleError(
                f"schedule.job({job.__qualname__}): pass a job instance, e.g. "
                f"schedule.job({job.__qualname__}(...)), so its payload is known."
            )
        self.job = job
        self.queue = queue
        self.connection = connection

    @property
    def summary(self) -> str:
        return type(self.job).__qualname__

    @property
    def identity(self) -> str:
        payload_of = getattr(self.job, "payload", None)
        try:
            payload = payload_of() if callable(payload_of) else vars(self.job)
            body = json.dumps(payload, sort_keys=True, default=str)
        except (TypeError, ValueError):
            body = repr(self.job)
        return f"job:{callable_label(self.job)}:{body}"

    def problems(self, app: Application) -> list[str]:
        if app.bound(QueueDispatcher) or callable(getattr(self.job, "handle", None)):
            return []
        return [
            "the job has no handle() to run here and no queue takes it. "
            + unbound_message(QueueDispatcher)
        ]

    async def run(self, app: Application) -> TaskResult:
        if app.bound(QueueDispatcher):
            dispatcher = app.make(QueueDispatcher)
            job_id = await dispatcher.dispatch(
                self.job, queue=self.queue, connection=self.connection
            )
            where = f" on queue {self.queue}" if self.queue else ""
            return TaskResult(True, 0, f"Dispatched {self.summary}{where} as job {job_id}.")
        value = await invoke(app, self.job.handle, thread=True)
        return TaskResult.from_value(value)
