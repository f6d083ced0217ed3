"""A real process: under a pseudo-terminal it asks; with stdin not a TTY it does not."""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import sys
import time

import pytest

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")

SCRIPT = """
import sys
from foundry.domain.errors import InputError
from foundry.interactive import TerminalPrompter

default = sys.argv[1] if len(sys.argv) > 1 else None
prompter = TerminalPrompter()
print(f"INTERACTIVE={prompter.interactive}", flush=True)
try:
    answer = prompter.ask("What is your name?", default=default, field="name")
except InputError as error:
    print(f"ERROR={error.message}", flush=True)
    sys.exit(2)
except KeyboardInterrupt:
    print("INTERRUPTED", flush=True)
    sys.exit(130)
print(f"ANSWER={answer}", flush=True)
"""

CURSOR_POSITION_REQUEST = b"\x1b[6n"
HANG_GUARD = 30.0  # seconds before a stuck child is reported instead of waited on forever


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env["TERM"] = "xterm-256color"
    env.pop("PROMPT_TOOLKIT_NO_CPR", None)
    return env


class PseudoTerminal:
    """Plays the terminal for one child: reads its screen, types keys, answers queries."""

    def __init__(self, *args: str) -> None:
        self.leader, follower = pty.openpty()
        self.process = subprocess.Popen(
            [sys.executable, "-c", SCRIPT, *args],
            stdin=follower,
            stdout=follower,
            stderr=follower,
            env=_environment(),
            start_new_session=True,
        )
        os.close(follower)
        self.screen = b""

    def read_until(self, marker: bytes) -> bytes:
        deadline = time.monotonic() + HANG_GUARD
        while marker not in self.screen:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"never saw {marker!r}; screen: {self.screen!r}")
            ready, _, _ = select.select([self.leader], [], [], remaining)
            if not ready:
                continue
            try:
                chunk = os.read(self.leader, 4096)
            except OSError:  # the child closed the terminal
                chunk = b""
            if not chunk:
                raise AssertionError(f"child ended before {marker!r}; screen: {self.screen!r}")
            # A real terminal answers where its cursor is; prompt_toolkit asks on start.
            for _ in range(chunk.count(CURSOR_POSITION_REQUEST)):
                os.write(self.leader, b"\x1b[1;1R")
            self.screen += chunk
        return self.screen

    def type(self, keys: str) -> None:
        os.write(self.leader, keys.encode())

    def finish(self) -> int:
        try:
            return self.process.wait(timeout=HANG_GUARD)
        finally:
            if self.process.poll() is None:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
            os.close(self.leader)


def test_a_question_is_answered_by_typing_at_the_terminal() -> None:
    terminal = PseudoTerminal("world")
    try:
        terminal.read_until(b"INTERACTIVE=True")
        terminal.read_until(b"What is your name?")
        terminal.type("Ada\r")
        terminal.read_until(b"ANSWER=Ada")
    finally:
        code = terminal.finish()
    assert code == 0
    assert b"[world]" in terminal.screen


def test_ctrl_c_at_the_terminal_interrupts_the_question() -> None:
    terminal = PseudoTerminal("world")
    try:
        terminal.read_until(b"What is your name?")
        terminal.type("Ad\x03")
        terminal.read_until(b"INTERRUPTED")
    finally:
        code = terminal.finish()
    assert code == 130


def _without_a_terminal(*args: str) -> subprocess.CompletedProcess[str]:
    # stdin is a pipe kept open and never written: reading it would block until the guard.
    reader, writer = os.pipe()
    try:
        return subprocess.run(
            [sys.executable, "-c", SCRIPT, *args],
            stdin=reader,
            capture_output=True,
            text=True,
            env=_environment(),
            timeout=HANG_GUARD,
            check=False,
        )
    finally:
        os.close(reader)
        os.close(writer)


def test_without_a_terminal_the_default_is_returned_without_reading_stdin() -> None:
    result = _without_a_terminal("world")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["INTERACTIVE=False", "ANSWER=world"]


def test_without_a_terminal_and_no_default_the_option_is_reported_missing() -> None:
    result = _without_a_terminal()
    assert result.returncode == 2, result.stderr
    assert result.stdout.splitlines() == ["INTERACTIVE=False", "ERROR=missing --name"]
