"""Running ``foundry queue:work`` in a real subprocess, as a deployment does."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path

HERE = Path(__file__).resolve().parent
CLI = "import sys; from foundry.cli.main import main; sys.exit(main())"
KEEP = {"queue", "infra", "signal-handler", "command-events"}


def others() -> str:
    """Every installed provider but the ones a worker here needs (FOUNDRY_DONT_DISCOVER),
    so the subprocess boots exactly the application the test describes."""
    from importlib.metadata import entry_points

    return ",".join(sorted({ep.name for ep in entry_points(group="foundry.providers")} - KEEP))


def spawn(base: Path, *argv: str, env: Mapping[str, str] | None = None) -> subprocess.Popen[str]:
    """Start ``foundry queue:work ARGV`` in the app folder ``base``."""
    environment = {**os.environ, **(env or {})}
    environment["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(HERE), environment.get("PYTHONPATH", "")) if p
    )
    environment["FOUNDRY_BASE_PATH"] = str(base)
    environment["FOUNDRY_DONT_DISCOVER"] = others()
    return subprocess.Popen(
        [sys.executable, "-c", CLI, "queue:work", *argv],
        cwd=base,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.05)


def stop(process: subprocess.Popen[str], sig: int = signal.SIGTERM, timeout: float = 30) -> int:
    if process.poll() is None:
        process.send_signal(sig)
    try:
        return process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        raise


def output(process: subprocess.Popen[str]) -> str:
    out, err = process.communicate(timeout=10) if process.poll() is not None else ("", "")
    return f"{out}\n{err}"
