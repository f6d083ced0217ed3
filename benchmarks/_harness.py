"""Shared timing helpers for the benchmark scripts: run commands repeatedly, report medians
and ratios. Peers are always measured in the same run as Foundry, on the same machine."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


@dataclass
class Timing:
    label: str
    samples: list[float]

    @property
    def median_ms(self) -> float:
        return statistics.median(self.samples) * 1000

    @property
    def spread_ms(self) -> float:
        return (
            statistics.quantiles(self.samples, n=4)[2] - statistics.quantiles(self.samples, n=4)[0]
        ) * 1000


def time_command(
    label: str,
    argv: Sequence[str],
    *,
    runs: int = 20,
    warmup: int = 3,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
) -> Timing:
    """Wall time of a whole process, ``runs`` times after ``warmup`` runs."""
    full_env = {**os.environ, **(env or {})}
    samples: list[float] = []
    for index in range(warmup + runs):
        started = time.perf_counter()
        done = subprocess.run(list(argv), cwd=cwd, env=full_env, capture_output=True, check=False)
        elapsed = time.perf_counter() - started
        if done.returncode != 0:
            raise SystemExit(f"{label}: {' '.join(argv)} failed:\n{done.stderr.decode()[-2000:]}")
        if index >= warmup:
            samples.append(elapsed)
    return Timing(label, samples)


def report(title: str, rows: Sequence[Timing]) -> None:
    print(f"\n{title}")
    width = max(len(r.label) for r in rows) + 2
    for row in rows:
        print(f"  {row.label.ljust(width)}{row.median_ms:8.1f} ms  (IQR {row.spread_ms:.1f} ms)")


def verdict(description: str, ratio: float, target: float, *, lower_is_better: bool = True) -> None:
    met = ratio <= target if lower_is_better else ratio >= target
    sign = "<=" if lower_is_better else ">="
    print(f"  {description}: {ratio:.2f}x (target {sign} {target}x) {'MET' if met else 'MISSED'}")
