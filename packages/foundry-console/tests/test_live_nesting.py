"""Live displays on a terminal: one at a time, and other output printed above them."""

from __future__ import annotations

import io
import re
from collections.abc import Callable

from foundry.console import RichOutput, SilentProgressBar

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def test_a_bar_inside_a_spinner_counts_silently(
    terminal: io.TextIOWrapper, read_terminal: Callable[[], str]
) -> None:
    output = RichOutput(stdout=terminal, stderr=terminal)
    with output.spinner("Preparing"), output.progress(4, description="Inner") as bar:
        bar.advance(4)
    assert isinstance(bar, SilentProgressBar)
    assert bar.completed == 4
    screen = ANSI.sub("", read_terminal())
    assert "Preparing" in screen
    assert "Inner" not in screen


def test_errors_during_a_bar_print_above_it_on_the_same_terminal(
    terminal: io.TextIOWrapper, read_terminal: Callable[[], str]
) -> None:
    output = RichOutput(stdout=terminal, stderr=terminal)
    with output.progress(2, description="Copying") as bar:
        output.error("one file was skipped")
        bar.advance(2)
    output.line("done")
    screen = ANSI.sub("", read_terminal())
    assert "one file was skipped" in screen
    assert "2/2" in screen
    assert screen.rstrip().endswith("done")


def test_live_update_changes_the_description(
    terminal: io.TextIOWrapper, read_terminal: Callable[[], str]
) -> None:
    output = RichOutput(stdout=terminal, stderr=terminal)
    with output.progress(3, description="Starting") as bar:
        bar.update(completed=3, description="Finished copying")
    assert not isinstance(bar, SilentProgressBar)
    screen = ANSI.sub("", read_terminal())
    assert "Finished copying" in screen
    assert "3/3" in screen


def test_explicitly_undecorated_terminal_gets_no_escape_codes(
    terminal: io.TextIOWrapper, read_terminal: Callable[[], str]
) -> None:
    output = RichOutput(stdout=terminal, stderr=terminal, decorated=False)
    with output.progress(2, description="Copying") as bar:
        bar.advance(2)
    output.success("done")
    assert read_terminal() == "done\n"
