"""Real signals sent to a real process running the coordinator (tests/child.py).

The child prints ``ready`` once its handlers are installed and the test waits for that
line (and for the other lines it needs) before signalling, so no sleep is used to
synchronise. The read deadlines only keep a broken child from hanging the suite.
"""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")

CHILD = Path(__file__).with_name("child.py")
DEADLINE = 60.0  # seconds; a guard against hangs, never an assertion about speed


class Child:
    """A running child.py with its output collected as it arrives."""

    def __init__(self, scenario: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, str(CHILD), scenario],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: list[str] = []
        self._stdout: queue.Queue[str | None] = queue.Queue()
        self._stderr: list[str] = []
        self._readers = [
            threading.Thread(target=self._read_stdout, daemon=True),
            threading.Thread(target=self._read_stderr, daemon=True),
        ]
        for reader in self._readers:
            reader.start()

    @property
    def stderr(self) -> str:
        return "".join(self._stderr)

    def _read_stdout(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self._stdout.put(line.rstrip("\n"))
        self._stdout.put(None)

    def _read_stderr(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self._stderr.append(line)

    def expect(self, wanted: str) -> None:
        """Block until the child prints ``wanted`` (fail if it exits first)."""
        while True:
            try:
                line = self._stdout.get(timeout=DEADLINE)
            except queue.Empty:
                self.kill()
                pytest.fail(f"child never printed {wanted!r}; got {self.lines}")
            if line is None:
                self.finish()
                pytest.fail(f"child exited before printing {wanted!r}: {self.lines}\n{self.stderr}")
            self.lines.append(line)
            if line == wanted:
                return

    def send(self, sig: signal.Signals) -> None:
        os.kill(self.proc.pid, sig)

    def finish(self) -> int:
        """Wait for the exit; returns the status, with all output collected."""
        try:
            self.proc.wait(timeout=DEADLINE)
        except subprocess.TimeoutExpired:
            self.kill()
            pytest.fail(f"child did not exit; stdout so far: {self.lines}")
        for reader in self._readers:
            reader.join(timeout=DEADLINE)
        while (line := self._stdout.get(timeout=DEADLINE)) is not None:
            self.lines.append(line)
        return self.proc.returncode

    def kill(self) -> None:
        self.proc.kill()
        self.proc.wait()


@pytest.fixture
def spawn():
    children: list[Child] = []

    def start(scenario: str) -> Child:
        child = Child(scenario)
        children.append(child)
        child.expect("ready")
        return child

    yield start
    for child in children:
        if child.proc.poll() is None:
            child.kill()


def test_sigterm_runs_the_phases_in_order_and_exits_143(spawn):
    child = spawn("phases")

    child.send(signal.SIGTERM)
    status = child.finish()

    assert [line for line in child.lines if line.startswith("phase ")] == [
        "phase PRE_SHUTDOWN stop-accepting",
        "phase SHUTDOWN drain-first",
        "phase SHUTDOWN drain-second",
        "phase POST_SHUTDOWN close-pools",
    ]
    assert "received SIGTERM" in child.lines
    assert "uninstalled, SIGTERM handler restored: True" in child.lines
    assert status == 128 + signal.SIGTERM == 143
    assert "Graceful shutdown started (received SIGTERM)" in child.stderr
    assert "Graceful shutdown complete" in child.stderr


def test_sigint_runs_the_phases_and_exits_130(spawn):
    child = spawn("phases")

    child.send(signal.SIGINT)
    status = child.finish()

    assert "phase POST_SHUTDOWN close-pools" in child.lines
    assert "received SIGINT" in child.lines
    assert status == 130


def test_sigquit_is_a_graceful_termination_request(spawn):
    child = spawn("phases")

    child.send(signal.SIGQUIT)
    status = child.finish()

    assert "phase POST_SHUTDOWN close-pools" in child.lines
    assert status == 128 + signal.SIGQUIT


def test_sighup_without_a_callback_is_a_termination_request(spawn):
    child = spawn("phases")

    child.send(signal.SIGHUP)
    status = child.finish()

    assert "received SIGHUP" in child.lines
    assert "phase POST_SHUTDOWN close-pools" in child.lines
    assert status == 128 + signal.SIGHUP


def test_sighup_and_sigusr1_with_callbacks_run_them_and_keep_running(spawn):
    child = spawn("reload")

    child.send(signal.SIGHUP)
    child.expect("reloaded config")
    child.send(signal.SIGUSR1)
    child.expect("usr1 callback")
    child.send(signal.SIGHUP)
    child.expect("reloaded config")
    assert child.proc.poll() is None  # still running: SIGHUP was not a shutdown

    child.send(signal.SIGTERM)
    status = child.finish()

    assert "phase SHUTDOWN drain" in child.lines
    assert status == 143


def test_overrunning_callbacks_are_abandoned_and_the_next_phase_runs(spawn):
    child = spawn("timeouts")

    child.send(signal.SIGTERM)
    status = child.finish()

    assert "slow-async started" in child.lines
    assert "slow-async cancelled" in child.lines
    assert "slow-async finished" not in child.lines
    assert "blocking-sync finished" not in child.lines
    assert "after-slow ran" in child.lines
    assert "post ran" in child.lines
    assert status == 143  # the abandoned thread did not hold up the exit
    assert "slow_async (SHUTDOWN) did not finish within 0.2s; abandoned" in child.stderr
    assert "blocking_sync (SHUTDOWN) did not finish within 0.2s; abandoned" in child.stderr


def test_second_sigint_during_a_slow_shutdown_forces_exit_130(spawn):
    child = spawn("stuck")

    child.send(signal.SIGINT)
    child.expect("in-flight started")
    child.send(signal.SIGINT)
    status = child.finish()

    assert status == 130
    assert "post ran" not in child.lines  # no more cleanup ran after the forced exit
    assert "exit 130" not in child.lines  # nor did the program's own exit path
    assert "unflushed line written before the forced exit" in child.lines
    assert "Received SIGINT again during shutdown; exiting immediately" in child.stderr


def test_second_sigint_forces_exit_even_when_the_event_loop_is_blocked(spawn):
    child = spawn("blocked-loop")

    child.send(signal.SIGINT)
    child.expect("loop blocked")
    child.send(signal.SIGINT)
    status = child.finish()

    assert status == 130


def test_second_sigterm_during_shutdown_does_not_force_exit(spawn):
    child = spawn("timeouts")

    child.send(signal.SIGTERM)
    child.expect("slow-async started")
    child.send(signal.SIGTERM)
    status = child.finish()

    assert "post ran" in child.lines
    assert "Received SIGTERM while shutting down; already stopping" in child.stderr
    assert status == 143
