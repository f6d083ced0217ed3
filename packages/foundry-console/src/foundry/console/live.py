"""Live displays on a terminal: the progress bar (with rate and ETA) and the spinner.

Imported only when a live display actually starts on a real terminal; piped output and
``import foundry.console`` never load it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.live import Live
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskID,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.spinner import Spinner
from rich.text import Text

__all__ = ["EtaColumn", "LiveProgressBar", "RateColumn", "live_progress", "live_spinner"]


class RateColumn(ProgressColumn):
    """Steps per second (``12.5 it/s``), or seconds per step when slower than one a second."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        if not speed or speed <= 0:
            return Text("? it/s", style="progress.data.speed")
        if speed >= 1:
            return Text(f"{speed:,.1f} it/s", style="progress.data.speed")
        return Text(f"{1 / speed:,.1f} s/it", style="progress.data.speed")


class EtaColumn(TimeRemainingColumn):
    """``eta 0:01:05``: the estimated time left, labelled so it cannot pass for elapsed."""

    def render(self, task: Task) -> Text:
        remaining = super().render(task)
        return Text.assemble(("eta ", "progress.remaining"), remaining)


class LiveProgressBar:
    """The :class:`foundry.domain.console.ProgressBar` drawn by rich on a terminal."""

    def __init__(self, progress: Progress, task: TaskID) -> None:
        self._progress = progress
        self._task = task

    @property
    def completed(self) -> int:
        """Steps done so far."""
        return int(self._progress.tasks[self._task].completed)

    def advance(self, steps: int = 1) -> None:
        """Move forward by ``steps``."""
        self._progress.advance(self._task, steps)

    def update(self, *, completed: int | None = None, description: str | None = None) -> None:
        """Set the steps done and/or the text shown before the bar."""
        self._progress.update(self._task, completed=completed, description=description)


def _columns(total: int | None) -> list[ProgressColumn]:
    columns: list[ProgressColumn] = [
        TextColumn("{task.description}", markup=False),
        BarColumn(),
        MofNCompleteColumn(),
    ]
    if total is None:  # indeterminate: a pulsing bar, the count, the rate, time so far
        columns += [RateColumn(), TimeElapsedColumn()]
    else:
        columns += [TaskProgressColumn(), RateColumn(), EtaColumn()]
    return columns


@contextmanager
def live_progress(
    console: Console,
    total: int | None,
    description: str,
    *,
    redirect_stdout: bool,
    redirect_stderr: bool,
) -> Iterator[LiveProgressBar]:
    """Draw a progress bar on ``console`` until the block ends; the final state stays."""
    progress = Progress(
        *_columns(total),
        console=console,
        transient=False,
        redirect_stdout=redirect_stdout,
        redirect_stderr=redirect_stderr,
    )
    task = progress.add_task(description, total=total)
    with progress:
        yield LiveProgressBar(progress, task)


@contextmanager
def live_spinner(
    console: Console, text: str, *, redirect_stdout: bool, redirect_stderr: bool
) -> Iterator[None]:
    """Spin beside ``text`` until the block ends, then erase the line."""
    spinner = Spinner("dots", text=Text(text), style="progress.spinner")
    with Live(
        spinner,
        console=console,
        transient=True,
        refresh_per_second=12.5,
        redirect_stdout=redirect_stdout,
        redirect_stderr=redirect_stderr,
    ):
        yield
