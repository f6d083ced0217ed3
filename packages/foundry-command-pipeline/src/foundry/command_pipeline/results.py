"""What a pipeline or a batch reports: each step's outcome and the overall status."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from foundry.command_pipeline.steps import Step
from foundry.domain.application import CommandOutcome
from foundry.domain.commands import CommandStatus
from foundry.domain.outputs import OutputLine

__all__ = ["PHASES", "Phase", "PipelineResult", "StepResult", "format_duration"]

Phase = Literal["main", "on_success", "on_failure", "finally"]
PHASES: tuple[Phase, ...] = ("main", "on_success", "on_failure", "finally")


def format_duration(milliseconds: float) -> str:
    """``850 ms`` below a second, ``1.25 s`` above."""
    if milliseconds < 1000:
        return f"{milliseconds:.0f} ms"
    return f"{milliseconds / 1000:.2f} s"


@dataclass(frozen=True, slots=True)
class StepResult:
    """How one step ended, or why it did not run.

    Attributes:
        step: the step as it was built.
        phase: ``main`` (the chain or the batch), ``on_success``, ``on_failure``, ``finally``.
        status: ``success``, ``failure``, or ``skipped`` (not run, or the command itself
            reported it had nothing to do).
        exit_code: the command's exit code; None when it did not run.
        duration_ms: the command's own run time (0 when it did not run).
        error: the one-line reason of a failure.
        reason: why a step was skipped.
        outcome: the kernel's full outcome (result data, exception) when it ran.
        lines: what the step wrote, when its output was captured (the concurrent steps of
            a batch); empty for a step that wrote straight to the pipeline's output.
    """

    step: Step
    phase: Phase
    status: CommandStatus
    exit_code: int | None
    duration_ms: float = 0.0
    error: str | None = None
    reason: str | None = None
    outcome: CommandOutcome | None = field(default=None, repr=False, compare=False)
    lines: tuple[OutputLine, ...] = field(default=(), repr=False, compare=False)

    @classmethod
    def from_outcome(
        cls,
        step: Step,
        phase: Phase,
        outcome: CommandOutcome,
        lines: tuple[OutputLine, ...] = (),
    ) -> StepResult:
        """A step that ran: failed when it exited non-zero, else what the command said."""
        if outcome.exit_code != 0:
            status = CommandStatus.FAILURE
        elif outcome.result.status is CommandStatus.SKIPPED:
            status = CommandStatus.SKIPPED
        else:
            status = CommandStatus.SUCCESS
        reason = outcome.result.message if status is CommandStatus.SKIPPED else None
        return cls(
            step,
            phase,
            status,
            int(outcome.exit_code),  # whatever CommandRunner is bound, a plain int here
            outcome.duration_ms,
            outcome.error,
            reason,
            outcome,
            lines,
        )

    @classmethod
    def not_run(cls, step: Step, phase: Phase, reason: str) -> StepResult:
        return cls(step, phase, CommandStatus.SKIPPED, None, reason=reason)

    @property
    def ran(self) -> bool:
        return self.outcome is not None

    @property
    def ok(self) -> bool:
        return self.status is not CommandStatus.FAILURE

    @property
    def output(self) -> str:
        """The captured lines as text (``""`` when the output was not captured)."""
        return "\n".join(line.text for line in self.lines)

    @property
    def message(self) -> str | None:
        return self.outcome.result.message if self.outcome else None

    @property
    def data(self) -> Any:
        return self.outcome.result.data if self.outcome else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "command": self.outcome.command if self.outcome else self.step.command,
            "step": self.step.label,
            "phase": self.phase,
            "status": self.status.value,
            "exit_code": self.exit_code,
            "duration_ms": round(self.duration_ms, 3),
            "error": self.error,
            "reason": self.reason,
            "message": self.message,
            "data": self.data,
        }


@dataclass(frozen=True, slots=True)
class PipelineResult:
    """Every step of a run in the order it was reported, and the overall verdict.

    The pipeline succeeded when no step that ran failed. For a sequential run ``steps`` is
    in run order; for a batch the main steps keep the order they were given, whatever
    order they finished in.
    """

    steps: tuple[StepResult, ...]
    duration_ms: float
    parallel: bool = False
    concurrency: int = 1

    @property
    def status(self) -> CommandStatus:
        return CommandStatus.FAILURE if self.failed else CommandStatus.SUCCESS

    @property
    def ok(self) -> bool:
        return self.status is CommandStatus.SUCCESS

    def _count(self, status: CommandStatus) -> int:
        return sum(1 for step in self.steps if step.status is status)

    @property
    def succeeded(self) -> int:
        return self._count(CommandStatus.SUCCESS)

    @property
    def failed(self) -> int:
        return self._count(CommandStatus.FAILURE)

    @property
    def skipped(self) -> int:
        return self._count(CommandStatus.SKIPPED)

    @property
    def first_failure(self) -> StepResult | None:
        return next((step for step in self.steps if not step.ok), None)

    def phase(self, name: Phase) -> tuple[StepResult, ...]:
        """The results of one phase (``main``, ``on_success``, ``on_failure``, ``finally``)."""
        return tuple(step for step in self.steps if step.phase == name)

    def summary(self) -> str:
        """One line for people: the verdict, the counts and the time taken."""
        counts = (
            f"{self.succeeded} succeeded, {self.failed} failed, {self.skipped} skipped "
            f"in {format_duration(self.duration_ms)}"
        )
        failure = self.first_failure
        if failure is None:
            return f"Pipeline succeeded: {counts}."
        return f"Pipeline failed at {failure.step.label} (exit {failure.exit_code}): {counts}."

    def to_dict(self) -> dict[str, Any]:
        """The ``--format json`` document's data."""
        return {
            "status": self.status.value,
            "parallel": self.parallel,
            "concurrency": self.concurrency,
            "total": len(self.steps),
            "succeeded": self.succeeded,
            "failed": self.failed,
            "skipped": self.skipped,
            "duration_ms": round(self.duration_ms, 3),
            "steps": [step.to_dict() for step in self.steps],
        }
