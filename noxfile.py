"""Foundry's test matrix.

``uv run nox`` runs the default sessions: ``health`` (every package: dependency rule, lint,
types, build, isolated tests) and ``app`` (the reference application's own tests).
``uv run nox -s integration`` runs the real-service suites (PostgreSQL, MariaDB, Redis,
SMTP, browser). Per-package sessions (``nox -s "tests(package='cache')"``) serve the
day-to-day loop.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nox

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "tools"))

from catalogue import NAMES  # noqa: E402

nox.options.default_venv_backend = "uv"
nox.options.sessions = ["health", "app"]
nox.options.reuse_existing_virtualenvs = True

PRESENT = [name for name in NAMES if (ROOT / "packages" / f"foundry-{name}").is_dir()]


@nox.session(venv_backend="none")
def health(session: nox.Session) -> None:
    """The per-package table (deps, lint, types, build, tests) for all 50 packages."""
    session.run("python", "tools/health.py", *session.posargs)


@nox.session(venv_backend="none")
@nox.parametrize("package", PRESENT)
def deps(session: nox.Session, package: str) -> None:
    """The dependency rule for one package."""
    session.run("python", "tools/health.py", "--only", package, "--checks", "deps")


@nox.session(venv_backend="none")
@nox.parametrize("package", PRESENT)
def build(session: nox.Session, package: str) -> None:
    """sdist + wheel for one package."""
    session.run("python", "tools/health.py", "--only", package, "--checks", "build")


@nox.session(venv_backend="none")
@nox.parametrize("package", PRESENT)
def tests(session: nox.Session, package: str) -> None:
    """One package's tests in an environment of its own."""
    session.run("python", "tools/health.py", "--only", package, "--checks", "tests")


@nox.session(venv_backend="none")
def lint(session: nox.Session) -> None:
    """ruff over the whole repository, and the generated variable table of
    docs/configuration.md checked against the packages' declarations (a few seconds: two
    `foundry` commands in the reference app, with the workspace environment)."""
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("python", "tools/env_table.py", "--check")


@nox.session(venv_backend="none")
def app(session: nox.Session) -> None:
    """The reference application: lint, then its tests in an environment holding exactly
    its own dependencies (so no package it does not declare takes part)."""
    env_dir = ROOT / ".nox" / "test-project"
    session.run(
        "uv",
        "sync",
        "--quiet",
        "--locked",
        "--exact",
        "--package",
        "foundry-test-project",
        env={"UV_PROJECT_ENVIRONMENT": str(env_dir)},
    )
    session.run("python", "-m", "ruff", "check", "test-project")
    session.run("python", "-m", "ruff", "format", "--check", "test-project")
    session.chdir(ROOT / "test-project")
    # The embedded defaults (SQLite): the PostgreSQL and MariaDB runs of this suite are in
    # the integration session, each on a fresh database.
    python = str(env_dir / "bin" / "python")
    session.run("env", "-u", "DATABASE_URL", python, "-m", "pytest", "-q", *session.posargs)


@nox.session(venv_backend="none")
def integration(session: nox.Session) -> None:
    """Cross-package and real-service suites (PostgreSQL, MariaDB, Redis, SMTP, browser).

    With FOUNDRY_REQUIRE_SERVICES=1 (CI), a suite whose service is missing fails instead of
    skipping. The reference app's environment is built first, as `nox -s app` builds it.
    """
    session.run(
        "uv",
        "sync",
        "--quiet",
        "--locked",
        "--exact",
        "--package",
        "foundry-test-project",
        env={"UV_PROJECT_ENVIRONMENT": str(ROOT / ".nox" / "test-project")},
    )
    session.run("python", "-m", "pytest", "-q", "-rs", "tests-integration", *session.posargs)
