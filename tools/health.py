"""Per-package health: the dependency rule, lint, types, build and isolated tests.

Run through nox (``uv run nox -s health``) or directly (``uv run python tools/health.py``).
Every package of the catalogue gets a row; a package not built yet shows as ``missing``.
A red check names the command that failed and shows the end of its output. The table is
also written as JSON (``reports/health.json``) for CI artefacts.

Each package's tests run in an environment of its own holding only that package,
foundry-domain and what its pyproject declares (``uv sync --package``), so a package that
leans on an undeclared dependency fails here, not on a user's machine.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import subprocess
import sys
import time
import tomllib
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from catalogue import CATALOGUE

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ROOT / "packages"
ENVS = ROOT / ".nox" / "packages"
DIST = ROOT / "build" / "dist"
CHECKS = ("deps", "lint", "types", "build", "tests")
_FOUNDRY_DEP = re.compile(r"^\s*(foundry[-_][A-Za-z0-9_.\-]+)")


@dataclass
class CheckResult:
    ok: bool
    command: str = ""
    output: str = ""
    seconds: float = 0.0


@dataclass
class PackageHealth:
    name: str
    family: str
    present: bool
    checks: dict[str, CheckResult] = field(default_factory=dict)

    @property
    def healthy(self) -> bool:
        return self.present and all(c.ok for c in self.checks.values())


def distribution(name: str) -> str:
    return f"foundry-{name}"


def package_dir(name: str) -> Path:
    return PACKAGES / distribution(name)


def _run(command: Sequence[str], *, env: dict[str, str] | None = None) -> CheckResult:
    started = time.monotonic()
    proc = subprocess.run(
        list(command),
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        check=False,
    )
    shown = " ".join(shlex.quote(part) for part in command)
    if env:
        shown = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items()) + " " + shown
    return CheckResult(
        ok=proc.returncode == 0,
        command=shown,
        output=(proc.stdout + proc.stderr)[-4000:],
        seconds=time.monotonic() - started,
    )


# --- deps -----------------------------------------------------------------------------


def dependency_problems(pkg_dir: Path) -> list[str]:
    """Why a package breaks the workspace rules (empty when it keeps them)."""
    problems: list[str] = []
    pyproject = pkg_dir / "pyproject.toml"
    try:
        data = tomllib.loads(pyproject.read_text())
    except (OSError, tomllib.TOMLDecodeError) as exc:
        return [f"{pyproject} is unreadable: {exc}"]
    project = data.get("project", {})
    name = project.get("name", "")
    for dep in project.get("dependencies", []):
        match = _FOUNDRY_DEP.match(dep)
        if match:
            dep_name = match.group(1).lower().replace("_", "-")
            if dep_name != "foundry-domain":
                problems.append(
                    f"depends on {dep_name}: packages may depend on foundry-domain only"
                )
    for extra, deps in project.get("optional-dependencies", {}).items():
        for dep in deps:
            match = _FOUNDRY_DEP.match(dep)
            if match and match.group(1).lower().replace("_", "-") != "foundry-domain":
                problems.append(f"extra [{extra}] depends on {match.group(1)}")
    src = pkg_dir / "src" / "foundry"
    if (src / "__init__.py").exists():
        problems.append("ships src/foundry/__init__.py, which breaks the foundry namespace")
    module = name.removeprefix("foundry-").replace("-", "_")
    if not (src / module / "py.typed").exists():
        problems.append(f"src/foundry/{module}/py.typed is missing")
    if "dev" not in data.get("dependency-groups", {}):
        problems.append("has no [dependency-groups] dev of its own (it would inherit the root's)")
    if not (pkg_dir / "README.md").exists():
        problems.append("has no README.md")
    if not (pkg_dir / "tests").is_dir():
        problems.append("has no tests/ folder")
    providers = project.get("entry-points", {}).get("foundry.providers", {})
    if name != "foundry-domain" and len(providers) != 1:
        problems.append(f"declares {len(providers)} foundry.providers entry points (one expected)")
    return problems


def check_deps(name: str) -> CheckResult:
    started = time.monotonic()
    problems = dependency_problems(package_dir(name))
    return CheckResult(
        ok=not problems,
        command=f"python tools/health.py --only {name} --checks deps",
        output="\n".join(problems),
        seconds=time.monotonic() - started,
    )


# --- lint / types / build / tests ----------------------------------------------------------


def check_lint(name: str) -> CheckResult:
    target = str(package_dir(name).relative_to(ROOT))
    result = _run([sys.executable, "-m", "ruff", "check", target])
    if not result.ok:
        return result
    return _run([sys.executable, "-m", "ruff", "format", "--check", target])


def run_mypy(names: Sequence[str]) -> dict[str, CheckResult]:
    """One mypy run over every package's sources; errors are attributed per package."""
    present = [n for n in names if package_dir(n).is_dir()]
    targets = [str((package_dir(n) / "src" / "foundry").relative_to(ROOT)) for n in present]
    mypypath = os.pathsep.join(
        str(p / "src") for p in sorted(PACKAGES.iterdir()) if (p / "src").is_dir()
    )
    result = _run([sys.executable, "-m", "mypy", *targets], env={"MYPYPATH": mypypath})
    results: dict[str, CheckResult] = {}
    for name in present:
        prefix = f"packages/{distribution(name)}/"
        lines = [line for line in result.output.splitlines() if line.startswith(prefix)]
        crashed = not result.ok and not any(
            ": error:" in line for line in result.output.splitlines()
        )
        results[name] = CheckResult(
            ok=not lines and not crashed,
            command=result.command,
            output="\n".join(lines) if lines else (result.output if crashed else ""),
            seconds=result.seconds,
        )
    return results


def check_build(name: str) -> CheckResult:
    out = DIST / name
    if out.exists():
        for old in out.iterdir():
            old.unlink()
    result = _run(
        [
            "uv",
            "build",
            "--quiet",
            str(package_dir(name).relative_to(ROOT)),
            "--out-dir",
            str(out.relative_to(ROOT)),
        ]
    )
    if result.ok:
        built = sorted(p.name for p in out.iterdir()) if out.exists() else []
        if not any(p.endswith(".whl") for p in built) or not any(
            p.endswith(".tar.gz") for p in built
        ):
            result.ok = False
            result.output += f"\nexpected an sdist and a wheel in {out}, found {built}"
    return result


def environment_for(name: str) -> Path:
    return ENVS / name


def check_tests(name: str) -> CheckResult:
    env_dir = environment_for(name)
    # --locked: a stale uv.lock is a red check. FOUNDRY_HEALTH_FROZEN=1 uses the lock as it
    # stands instead (while other members are half-written and cannot be locked).
    lock_mode = "--frozen" if os.environ.get("FOUNDRY_HEALTH_FROZEN") else "--locked"
    if os.environ.get("FOUNDRY_HEALTH_NO_SYNC") and (env_dir / "bin" / "python").exists():
        # The environment is editable: reuse it as it is (day-to-day loop only).
        sync = CheckResult(ok=True)
    else:
        sync = _run(
            ["uv", "sync", "--quiet", lock_mode, "--exact", "--package", distribution(name)],
            env={"UV_PROJECT_ENVIRONMENT": str(env_dir)},
        )
    if not sync.ok:
        return sync
    pkg = package_dir(name).relative_to(ROOT)
    python = env_dir / "bin" / "python"
    command = [str(python), "-m", "pytest", "-q", "--no-header"]
    command += [str(pkg / "tests"), str(pkg / "README.md"), "--doctest-glob=README.md"]
    command += ["--rootdir", str(pkg), "-c", str(ROOT / "pyproject.toml")]
    result = _run(command)
    result.seconds += sync.seconds
    return result


RUNNERS: dict[str, Callable[[str], CheckResult]] = {
    "deps": check_deps,
    "lint": check_lint,
    "build": check_build,
    "tests": check_tests,
}


# --- the table ---------------------------------------------------------------------------


def collect(only: Sequence[str] | None, checks: Sequence[str], jobs: int) -> list[PackageHealth]:
    rows = [
        PackageHealth(name=name, family=family, present=package_dir(name).is_dir())
        for family, name, _ in CATALOGUE
        if not only or name in only
    ]
    present = [row for row in rows if row.present]
    if "types" in checks and present:
        for name, result in run_mypy([r.name for r in present]).items():
            next(r for r in present if r.name == name).checks["types"] = result

    def run_row(row: PackageHealth) -> None:
        for check in checks:
            if check == "types":
                continue
            row.checks[check] = RUNNERS[check](row.name)

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        list(pool.map(run_row, present))
    for row in present:
        row.checks = {c: row.checks[c] for c in checks if c in row.checks}
    return rows


def render(rows: Sequence[PackageHealth], checks: Sequence[str]) -> str:
    width = max(len(distribution(r.name)) for r in rows) + 2
    header = "package".ljust(width) + "".join(c.ljust(8) for c in checks)
    lines = [header, "-" * len(header)]
    for row in rows:
        label = distribution(row.name).ljust(width)
        if not row.present:
            lines.append(label + "missing")
            continue
        cells = []
        for check in checks:
            result = row.checks.get(check)
            cells.append(("ok" if result and result.ok else "FAIL").ljust(8))
        lines.append(label + "".join(cells))
    healthy = sum(1 for r in rows if r.healthy)
    lines.append("-" * len(header))
    lines.append(f"{healthy}/{len(rows)} packages healthy")
    failures = [
        (row, check, result)
        for row in rows
        for check, result in row.checks.items()
        if not result.ok
    ]
    if failures:
        lines.append("")
        lines.append("Failures:")
        for row, check, result in failures:
            lines.append(f"  {distribution(row.name)} {check}: {result.command}")
            tail = [line for line in result.output.strip().splitlines() if line.strip()][-15:]
            lines.extend(f"    | {line}" for line in tail)
    return "\n".join(lines)


def to_json(rows: Sequence[PackageHealth]) -> dict[str, object]:
    return {
        "healthy": sum(1 for r in rows if r.healthy),
        "total": len(rows),
        "packages": [
            {
                "name": distribution(r.name),
                "family": r.family,
                "present": r.present,
                "healthy": r.healthy,
                "checks": {k: asdict(v) for k, v in r.checks.items()},
            }
            for r in rows
        ],
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", help="comma-separated package names (without foundry-)")
    parser.add_argument("--checks", default=",".join(CHECKS), help="comma-separated checks")
    parser.add_argument("--jobs", type=int, default=max(2, (os.cpu_count() or 2)))
    parser.add_argument("--json", default=str(ROOT / "reports" / "health.json"))
    args = parser.parse_args(argv)
    only = [n.strip().removeprefix("foundry-") for n in args.only.split(",")] if args.only else None
    checks = [c.strip() for c in args.checks.split(",") if c.strip()]
    unknown = [c for c in checks if c not in CHECKS]
    if unknown:
        parser.error(f"unknown check(s): {', '.join(unknown)} (choose from {', '.join(CHECKS)})")
    if only:
        catalogued = {name for _, name, _ in CATALOGUE}
        strangers = [n for n in only if n not in catalogued]
        if strangers:
            parser.error(f"not in the catalogue: {', '.join(strangers)}")
    rows = collect(only, checks, args.jobs)
    print(render(rows, checks))
    report = Path(args.json)
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text(json.dumps(to_json(rows), indent=2) + "\n")
    present = [r for r in rows if r.present]
    return 0 if all(r.healthy for r in present) else 1


if __name__ == "__main__":
    raise SystemExit(main())
