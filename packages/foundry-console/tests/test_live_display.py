"""Progress bars and spinners: drawn on a real terminal, absent from a pipe.

Each test runs a small script in a child process, once attached to a pseudo-terminal
(``pty.openpty()``) and once with stdout piped, and looks at what the child wrote.
"""

from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
DEADLINE_SECONDS = 60  # a guard against a hung child, not a timing assertion

PROGRESS_SCRIPT = """
import time
from foundry.console import RichOutput

output = RichOutput()
with output.progress({total}, description="Copying files") as bar:
    for step in range(12):
        time.sleep(0.02)
        bar.advance()
        if step == 5:
            output.line("halfway there")
output.line("after the bar")
"""

SPINNER_SCRIPT = """
import time
from foundry.console import RichOutput

output = RichOutput()
with output.spinner("Connecting to the database"):
    time.sleep(0.3)
output.line("connected")
"""


def environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"NO_COLOR", "FORCE_COLOR"}}
    env.update(TERM="xterm-256color", COLUMNS="120", LINES="40", **extra)
    env.pop("TTY_COMPATIBLE", None)
    env.pop("TTY_INTERACTIVE", None)
    return env


def run_on_terminal(script: Path, env: dict[str, str]) -> str:
    """Run ``script`` with stdin/stdout/stderr on a pseudo-terminal; return the screen."""
    master, slave = pty.openpty()
    child = subprocess.Popen(
        [sys.executable, str(script)], stdin=slave, stdout=slave, stderr=slave, env=env
    )
    os.close(slave)
    chunks: list[bytes] = []
    try:
        while True:
            ready, _, _ = select.select([master], [], [], DEADLINE_SECONDS)
            if not ready:
                break
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the child closed its side of the terminal
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(master)
        child.wait(timeout=DEADLINE_SECONDS)
    assert child.returncode == 0, b"".join(chunks).decode(errors="replace")
    return b"".join(chunks).decode("utf-8", errors="replace").replace("\r\n", "\n")


def run_piped(script: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        env=env,
        timeout=DEADLINE_SECONDS,
        check=True,
    )


@pytest.fixture
def progress_script(tmp_path: Path) -> Path:
    script = tmp_path / "progress.py"
    script.write_text(textwrap.dedent(PROGRESS_SCRIPT.format(total=12)))
    return script


def test_progress_bar_with_rate_and_eta_is_drawn_on_a_terminal(progress_script: Path) -> None:
    screen = run_on_terminal(progress_script, environment())
    visible = ANSI.sub("", screen)
    assert "\x1b[" in screen  # styled and redrawn in place
    assert "Copying files" in visible
    assert "━" in visible  # the bar itself
    assert "12/12" in visible
    assert "100%" in visible
    assert re.search(r"(\d+(\.\d)?|\?) it/s", visible), visible  # the rate column
    assert re.search(r"eta (\d:\d\d:\d\d|-:--:--)", visible), visible  # the ETA column
    assert "halfway there" in visible  # lines written during the bar print above it
    assert visible.rstrip().endswith("after the bar")


def test_progress_bar_is_absent_when_stdout_is_piped(progress_script: Path) -> None:
    result = run_piped(progress_script, environment())
    assert result.stdout == "halfway there\nafter the bar\n"
    assert "\x1b" not in result.stdout + result.stderr
    assert result.stderr == ""


def test_force_color_does_not_draw_a_bar_into_a_pipe(progress_script: Path) -> None:
    result = run_piped(progress_script, environment(FORCE_COLOR="1"))
    visible = ANSI.sub("", result.stdout)
    assert "Copying files" not in visible
    assert "━" not in visible
    assert visible == "halfway there\nafter the bar\n"


def test_no_color_terminal_draws_the_bar_without_colours(progress_script: Path) -> None:
    screen = run_on_terminal(progress_script, environment(NO_COLOR="1"))
    assert "Copying files" in screen
    assert "12/12" in screen
    assert not re.search(r"\x1b\[[0-9;]*m", screen)  # no colour or style codes at all


def test_indeterminate_progress_is_drawn_with_count_and_rate(tmp_path: Path) -> None:
    script = tmp_path / "indeterminate.py"
    script.write_text(textwrap.dedent(PROGRESS_SCRIPT.format(total=None)))
    visible = ANSI.sub("", run_on_terminal(script, environment()))
    assert "Copying files" in visible
    assert "12/?" in visible
    assert "it/s" in visible
    assert run_piped(script, environment()).stdout == "halfway there\nafter the bar\n"


def test_spinner_is_drawn_on_a_terminal_and_absent_from_a_pipe(tmp_path: Path) -> None:
    script = tmp_path / "spinner.py"
    script.write_text(textwrap.dedent(SPINNER_SCRIPT))
    screen = ANSI.sub("", run_on_terminal(script, environment()))
    assert "Connecting to the database" in screen
    assert "connected" in screen
    result = run_piped(script, environment())
    assert result.stdout == "connected\n"
    assert result.stderr == ""


def test_quiet_draws_no_bar_even_on_a_terminal(tmp_path: Path) -> None:
    script = tmp_path / "quiet.py"
    script.write_text(
        textwrap.dedent(
            """
            from foundry.console import RichOutput
            from foundry.domain.commands import Verbosity

            output = RichOutput(verbosity=Verbosity.QUIET)
            with output.progress(3, description="Copying files") as bar:
                bar.advance(3)
            output.error("only this")
            """
        )
    )
    screen = ANSI.sub("", run_on_terminal(script, environment()))
    assert "Copying files" not in screen
    assert screen.strip() == "only this"
