"""A console command in a process whose ``PROMETHEUS_MULTIPROC_DIR`` names a folder that
is not there yet (a fresh container, a cron job before the first ``serve``).

Its command metrics belong in that folder, so the folder is created; when it cannot be,
the process says so once, as a warning, and runs its commands without metrics instead of
logging an ERROR with a traceback on every command. The processes are real
(tests/console_worker.py): prometheus-client reads the variable when it is imported.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX processes")

WORKER = Path(__file__).with_name("console_worker.py")


def console(base: Path, folder: Path, runs: int = 2) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(folder), "APP_ENV": "testing"}
    env.pop("METRICS_ENABLED", None)
    return subprocess.run(
        [sys.executable, str(WORKER), str(base), str(runs)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_missing_multiprocess_folder_is_created_and_commands_are_counted(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "storage" / "framework" / "metrics"
    ran = console(tmp_path, folder)
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.splitlines() == ["exit 0", "exit 0"]
    assert ran.stderr == ""  # no ERROR, no traceback, no warning
    assert folder.is_dir()
    assert any(p.name.startswith("counter_") for p in folder.iterdir())


def test_a_folder_that_cannot_be_created_gives_one_warning_and_no_metrics(
    tmp_path: Path,
) -> None:
    blocker = tmp_path / "storage"
    blocker.write_text("a file where the folder should be")
    ran = console(tmp_path, blocker / "metrics", runs=3)
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.splitlines() == ["exit 0"] * 3
    lines = ran.stderr.splitlines()
    assert len(lines) == 1, ran.stderr
    [line] = lines
    assert line.startswith("WARNING foundry.observability: ")
    assert f"PROMETHEUS_MULTIPROC_DIR={blocker / 'metrics'}" in line
    assert "Traceback" not in ran.stderr
    assert blocker.is_file()
