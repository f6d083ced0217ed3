"""The progress bar a command gets when nothing may be drawn still counts."""

from __future__ import annotations

import io

from foundry.console import RichOutput, SilentProgressBar
from foundry.domain.commands import Verbosity


def test_piped_progress_counts_and_writes_nothing() -> None:
    out, err = io.StringIO(), io.StringIO()
    output = RichOutput(stdout=out, stderr=err)
    with output.progress(10, description="Copying") as bar:
        bar.advance()
        bar.advance(4)
        bar.update(description="Still copying")
    assert isinstance(bar, SilentProgressBar)
    assert (bar.completed, bar.total, bar.description) == (5, 10, "Still copying")
    assert out.getvalue() == err.getvalue() == ""


def test_indeterminate_progress_is_safe_when_piped() -> None:
    out = io.StringIO()
    with RichOutput(stdout=out).progress(None) as bar:
        bar.advance(3)
        bar.update(completed=7)
    assert isinstance(bar, SilentProgressBar)
    assert bar.completed == 7
    assert out.getvalue() == ""


def test_decorated_pipe_still_draws_no_bar() -> None:
    out = io.StringIO()
    output = RichOutput(stdout=out, decorated=True, verbosity=Verbosity.DEBUG)
    with output.progress(2, description="Copying") as bar:
        bar.advance(2)
    with output.spinner("Waiting"):
        pass
    assert out.getvalue() == ""


def test_progress_ends_cleanly_when_the_block_raises() -> None:
    output = RichOutput(stdout=io.StringIO())
    try:
        with output.progress(3) as bar:
            bar.advance()
            raise KeyError("boom")
    except KeyError:
        pass
    with output.progress(3) as again:
        again.advance()
    assert again.completed == 1
