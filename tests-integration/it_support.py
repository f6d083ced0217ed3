"""Helpers of the real-service suites (fixtures are in conftest.py).

Services are named by environment variables: ``DATABASE_URL`` (PostgreSQL), ``MYSQL_URL``
(MariaDB/MySQL), ``REDIS_URL``. A suite whose service is not configured or not reachable
is skipped — unless ``FOUNDRY_REQUIRE_SERVICES=1`` (set by CI), which turns every such skip
into a failure, so a green CI run means every suite really ran.

Each test that needs a database gets a fresh one (``foundry_it_<random>``), dropped after.
The reference app runs in its own environment (``.nox/test-project``, built by ``nox -s
app``), exactly as a user's app would.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "test-project"
APP_ENV = ROOT / ".nox" / "test-project"


def require_services() -> bool:
    return os.environ.get("FOUNDRY_REQUIRE_SERVICES", "") not in ("", "0", "false")


def unavailable(reason: str) -> None:
    """Skip, or fail when the services are required."""
    if require_services():
        pytest.fail(f"{reason} (FOUNDRY_REQUIRE_SERVICES=1)")
    pytest.skip(reason)


def reachable(url: str) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 0), timeout=2):
            return True
    except OSError:
        return False


def app_python() -> Path:
    python = APP_ENV / "bin" / "python"
    if not python.exists():
        pytest.fail(f"{APP_ENV} is missing: run `uv run nox -s app` first (it builds it)")
    return python


def foundry(*argv: str, env: dict[str, str], cwd: Path = APP, check: bool = True) -> str:
    """Run the reference app's `foundry` in its own environment; its stdout."""
    done = subprocess.run(
        [str(APP_ENV / "bin" / "foundry"), *argv],
        cwd=cwd,
        env={**os.environ, "FOUNDRY_AUDIT_LOG": "off", "FOUNDRY_COMMAND_CACHE": "off", **env},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if check and done.returncode != 0:
        raise AssertionError(
            f"foundry {' '.join(argv)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
        )
    return done.stdout


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def _admin(url: str, statement: str) -> None:
    """Run one administrative statement with the server's own client."""
    parts = urlsplit(url)
    if parts.scheme.startswith("postgres"):
        command = [
            "psql",
            _with_database(url, "postgres"),
            "-v",
            "ON_ERROR_STOP=1",
            "-c",
            statement,
        ]
    else:
        command = ["mariadb", "-h", parts.hostname or "127.0.0.1", "-P", str(parts.port or 3306)]
        command += ["-u", parts.username or "root", "-e", statement]
        if parts.password:
            command.insert(1, f"-p{parts.password}")
    subprocess.run(command, check=True, capture_output=True, timeout=60)


def fresh_database(variable: str) -> Iterator[str]:
    url = os.environ.get(variable)
    if not url:
        unavailable(f"{variable} is not set")
    assert url is not None
    if not reachable(url):
        unavailable(f"{variable} points at a server that does not answer")
    name = f"foundry_it_{secrets.token_hex(4)}"
    _admin(url, f"CREATE DATABASE {name}")
    try:
        yield _with_database(url, name)
    finally:
        quoted = f'"{name}"' if urlsplit(url).scheme.startswith("postgres") else f"`{name}`"
        force = " WITH (FORCE)" if urlsplit(url).scheme.startswith("postgres") else ""
        _admin(url, f"DROP DATABASE IF EXISTS {quoted}{force}")
