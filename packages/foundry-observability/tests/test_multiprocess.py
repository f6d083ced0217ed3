"""Several worker processes, one PROMETHEUS_MULTIPROC_DIR, one scrape that sums them.

The workers are real processes (tests/mp_worker.py) started the way ``serve --workers N``
starts uvicorn's: the variable is in their environment before Python starts. Each line
the test waits for is printed by the worker once its state is ready, so nothing sleeps to
synchronise; the read deadline only keeps a broken worker from hanging the suite.
"""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from foundry.domain.errors import ConfigurationError
from foundry.observability import Metrics, prepare_directory

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX processes")

WORKER = Path(__file__).with_name("mp_worker.py")
DEADLINE = 60.0  # seconds; a guard against hangs, never an assertion about speed
PRODUCT = {"method": "GET", "route": "/products/{id}", "status": "200"}


class Worker:
    def __init__(self, base: Path, folder: Path, requests: int) -> None:
        env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(folder), "APP_ENV": "testing"}
        self.proc = subprocess.Popen(
            [sys.executable, str(WORKER), str(base), str(base / "app.db"), str(requests)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._stderr: list[str] = []
        threading.Thread(target=self._pump, daemon=True).start()
        threading.Thread(target=self._pump_err, daemon=True).start()
        ready = self.read_line()
        assert ready.startswith("ready "), ready
        self.pid = int(ready.split()[1])

    def _pump(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self._lines.put(line.rstrip("\n"))
        self._lines.put(None)

    def _pump_err(self) -> None:
        assert self.proc.stderr is not None
        self._stderr.extend(self.proc.stderr)

    def read_line(self) -> str:
        try:
            line = self._lines.get(timeout=DEADLINE)
        except queue.Empty:
            self.proc.kill()
            raise AssertionError("worker gave no answer: " + "".join(self._stderr)) from None
        if line is None:
            self.proc.wait()
            raise AssertionError("worker exited: " + "".join(self._stderr))
        return line

    def send(self, command: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()

    def scrape(self) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
        self.send("scrape")
        lines = []
        while (line := self.read_line()) != "<<end>>":
            lines.append(line)
        samples = {}
        for family in text_string_to_metric_families("\n".join(lines) + "\n"):
            for sample in family.samples:
                samples[(sample.name, frozenset(sample.labels.items()))] = sample.value
        return samples

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.send("exit")
            self.proc.wait(timeout=DEADLINE)
        assert self.proc.returncode == 0, "".join(self._stderr)


def value(samples: dict, name: str, **labels: str) -> float | None:
    return samples.get((name, frozenset(labels.items())))


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "storage" / "framework" / "metrics"


def test_a_scrape_sums_every_workers_requests(tmp_path: Path, folder: Path) -> None:
    first = Worker(tmp_path, folder, requests=3)
    second = Worker(tmp_path, folder, requests=5)
    try:
        assert first.pid != second.pid
        pids = {int(p.stem.rsplit("_", 1)[1]) for p in folder.glob("counter_*.db")}
        assert pids == {first.pid, second.pid}
        for answering in (first, second):  # whichever worker answers, the totals agree
            samples = answering.scrape()
            assert value(samples, "foundry_http_requests_total", **PRODUCT) == 8
            count = value(
                samples,
                "foundry_http_request_duration_seconds_count",
                method="GET",
                route="/products/{id}",
            )
            assert count == 8
            assert value(samples, "foundry_db_pool_size") == 4  # 2 workers x pool of 2
            assert value(samples, "foundry_app_info", version="0.1.0", env="testing") == 1
    finally:
        first.stop()
        second.stop()


def test_pool_gauges_add_up_live_workers_and_drop_stopped_ones(
    tmp_path: Path, folder: Path
) -> None:
    first = Worker(tmp_path, folder, requests=1)
    second = Worker(tmp_path, folder, requests=2)
    try:
        second.send("hold")
        assert second.read_line() == "held"
        samples = first.scrape()
        assert value(samples, "foundry_db_pool_checked_out") == 1
        second.stop()
        after = first.scrape()
        assert value(after, "foundry_db_pool_size") == 2  # the stopped worker's pool is gone
        assert value(after, "foundry_db_pool_checked_out") == 0
        assert value(after, "foundry_http_requests_total", **PRODUCT) == 3  # its count stays
    finally:
        first.stop()
        second.stop()


def test_a_new_run_starts_from_a_clean_folder(tmp_path: Path, folder: Path) -> None:
    earlier = Worker(tmp_path, folder, requests=4)
    earlier.stop()
    assert list(folder.glob("counter_*.db"))  # what the previous run left
    fresh = Worker(tmp_path, folder, requests=1)
    try:
        samples = fresh.scrape()
        assert value(samples, "foundry_http_requests_total", **PRODUCT) == 1
        assert not list(folder.glob(f"*_{earlier.pid}.db"))
    finally:
        fresh.stop()


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def touch(folder: Path, name: str, age: float = 0.0) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(b"\0" * 8)
    if age:
        past = time.time() - age
        os.utime(path, (past, past))
    return path


def test_stale_files_are_removed_when_no_other_process_is_alive(folder: Path) -> None:
    gone = dead_pid()
    counter = touch(folder, f"counter_{gone}.db")
    live_gauge = touch(folder, f"gauge_livesum_{gone}.db")
    unrelated = touch(folder, "notes.txt")
    removed = prepare_directory(folder)
    assert set(removed) == {counter, live_gauge}
    assert unrelated.exists()


def test_a_starting_sibling_keeps_dead_workers_counters_but_not_their_live_gauges(
    folder: Path,
) -> None:
    sibling = subprocess.Popen(
        [sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE
    )
    try:
        gone = dead_pid()
        alive_counter = touch(folder, f"counter_{sibling.pid}.db")
        dead_counter = touch(folder, f"histogram_{gone}.db")
        dead_gauge = touch(folder, f"gauge_livesum_{gone}.db")
        removed = prepare_directory(folder)
        assert removed == [dead_gauge]
        assert alive_counter.exists()
        assert dead_counter.exists()
    finally:
        sibling.communicate(b"")


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_an_old_file_with_our_reused_pid_is_stale(folder: Path) -> None:
    old = touch(folder, f"counter_{os.getpid()}.db", age=10 * 365 * 86400)
    removed = prepare_directory(folder)
    assert removed == [old]
    mine = touch(folder, f"counter_{os.getpid()}.db")
    assert prepare_directory(folder) == []
    assert mine.exists()


def test_an_unusable_folder_is_a_clear_configuration_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(ConfigurationError) as raised:
        prepare_directory(blocker / "metrics")
    assert raised.value.message.startswith(f"PROMETHEUS_MULTIPROC_DIR={blocker / 'metrics'}")


def test_setting_the_folder_after_prometheus_was_imported_is_refused(folder: Path) -> None:
    # this test process imported prometheus-client without the variable
    with pytest.raises(ConfigurationError) as raised:
        Metrics(multiprocess_dir=str(folder))
    assert "before the process starts" in raised.value.message
