"""The shared metrics folder of several worker processes (``PROMETHEUS_MULTIPROC_DIR``).

With ``uvicorn --workers N`` each worker counts its own requests; prometheus-client's
multiprocess mode has every process write its values to memory-mapped files in one folder
(``counter_<pid>.db``, ``histogram_<pid>.db``, ``gauge_livesum_<pid>.db`` ...) and a
scrape, answered by any worker, adds them up.

Files outlive their processes, which is what keeps totals from going backwards when one
worker restarts, but a folder left by an earlier run would be added to the new run's
numbers forever and grow with every restart. :func:`prepare_directory` runs when a
serving process starts and, under a lock, decides:

* no other live process has files there: the folder is stale (the previous run is over),
  so every file of a dead process is deleted;
* some are alive: this is a sibling worker starting (or restarting) inside a running
  server, so counters of dead workers are kept and only their *live* gauges (in-flight
  requests, pool connections) are removed, exactly as ``mark_process_dead`` does.

A file carrying this process's own id but written before it started (the id was reused)
is stale too.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
from collections.abc import Iterator
from pathlib import Path

from foundry.domain.errors import ConfigurationError

__all__ = ["mark_process_dead", "prepare_directory", "process_alive"]

_FILE = re.compile(r"^(?P<kind>[a-z]+(?:_[a-z]+)?)_(?P<pid>\d+)\.db$")
_LIVE_PREFIX = "gauge_live"
_LOCK = ".foundry-metrics.lock"


def process_alive(pid: int) -> bool:
    """Whether a process with this id exists (signal 0 checks without sending)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, owned by someone else
    except OSError as exc:  # pragma: no cover - platform specific
        return exc.errno != errno.ESRCH
    return True


def _process_started_at(pid: int) -> float | None:
    """Epoch seconds when ``pid`` started (Linux ``/proc``), None where unknown."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        boot = next(
            float(line.split()[1])
            for line in Path("/proc/stat").read_text().splitlines()
            if line.startswith("btime ")
        )
    except (OSError, StopIteration, ValueError, IndexError):
        return None
    fields = stat[stat.rfind(")") + 2 :].split()
    try:
        ticks = float(fields[19])  # field 22 of stat: start time in clock ticks after boot
    except (IndexError, ValueError):
        return None
    return boot + ticks / os.sysconf("SC_CLK_TCK")


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: no cross-process lock available
        yield
        return
    with open(folder / _LOCK, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _files(folder: Path) -> list[tuple[Path, str, int]]:
    found = []
    for path in folder.iterdir():
        match = _FILE.match(path.name)
        if match:
            found.append((path, match["kind"], int(match["pid"])))
    return found


def prepare_directory(path: str | os.PathLike[str], *, pid: int | None = None) -> list[Path]:
    """Create the folder if needed and clear what earlier processes left; see the module.

    Args:
        path: the ``PROMETHEUS_MULTIPROC_DIR`` folder.
        pid: this process's id (default :func:`os.getpid`).

    Returns:
        The files deleted.

    Raises:
        ConfigurationError: the folder cannot be created or written.
    """
    folder = Path(path)
    own = os.getpid() if pid is None else pid
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with _locked(folder):
            files = _files(folder)
            others_alive = any(p != own and process_alive(p) for _, _, p in files)
            started = _process_started_at(own)
            removed: list[Path] = []
            for file, kind, file_pid in files:
                if file_pid == own:
                    # ours only if written since we started; older means a reused id
                    stale = started is not None and file.stat().st_mtime < started - 1
                elif process_alive(file_pid):
                    stale = False
                else:
                    stale = not others_alive or kind.startswith(_LIVE_PREFIX)
                if stale:
                    file.unlink(missing_ok=True)
                    removed.append(file)
            return removed
    except OSError as exc:
        raise ConfigurationError(
            f"PROMETHEUS_MULTIPROC_DIR={folder} cannot be used for metrics: {exc.strerror or exc}. "
            "Point it at a writable folder (serve uses storage/framework/metrics).",
            context={"variable": "PROMETHEUS_MULTIPROC_DIR"},
        ) from exc


def mark_process_dead(path: str | os.PathLike[str], pid: int | None = None) -> None:
    """Remove the live gauges of a process that is stopping (its in-flight requests and
    pool connections must stop counting); its counters and histograms stay."""
    folder = Path(path)
    own = os.getpid() if pid is None else pid
    if not folder.is_dir():
        return
    for file, kind, file_pid in _files(folder):
        if file_pid == own and kind.startswith(_LIVE_PREFIX):
            file.unlink(missing_ok=True)
