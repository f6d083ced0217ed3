"""Fixtures: a sample application in a pytester folder, and a throwaway PostgreSQL database.

The plugin is tested the way apps use it: small test modules are written next to a sample
app and run by pytest in a subprocess (``pytester.runpytest_subprocess``), so each run has
its own interpreter, SQLModel registry and ``app`` package.

PostgreSQL runs when ``DATABASE_URL`` is a PostgreSQL URL: a ``foundry_test_<random>``
database is created for the run and dropped at its end. With ``FOUNDRY_REQUIRE_SERVICES=1``
a missing URL or an unreachable server fails those tests instead of skipping them.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the testing_support module

from testing_support import write_sample_app

pytest_plugins = ["pytester"]

REQUIRE_SERVICES = os.environ.get("FOUNDRY_REQUIRE_SERVICES") == "1"
_GIVEN_DATABASE_URL = os.environ.get("DATABASE_URL", "").strip()
_CLEARED = ("DATABASE_URL", "APP_ENV", "FOUNDRY_BASE_PATH", "FOUNDRY_DONT_DISCOVER")


@pytest.fixture
def sample_app(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    """A pytester folder holding the sample app; runs default to its own SQLite database."""
    for name in _CLEARED:
        monkeypatch.delenv(name, raising=False)
    write_sample_app(pytester.path)
    return pytester


def run_tests(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    """Run pytest on the sample app in a subprocess (its own interpreter and registry)."""
    return pytester.runpytest_subprocess("-q", *args, timeout=300)


def _postgres_scheme(url: str) -> bool:
    scheme = url.partition("://")[0].partition("+")[0].lower()
    return scheme in ("postgres", "postgresql")


def _with_database(url: str, database: str) -> str:
    parts = urlsplit(url)
    scheme = parts.scheme.partition("+")[0]
    return urlunsplit((scheme, parts.netloc, f"/{database}", parts.query, ""))


def _admin(url: str, statement: str) -> None:
    import asyncpg

    async def execute() -> None:
        connection = await asyncpg.connect(_with_database(url, "postgres"), timeout=5)
        try:
            await connection.execute(statement)
        finally:
            await connection.close()

    asyncio.run(execute())


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """The URL of a new, empty PostgreSQL database for this run."""
    if not _postgres_scheme(_GIVEN_DATABASE_URL):
        problem = "PostgreSQL tests need DATABASE_URL=postgresql://..."
        if REQUIRE_SERVICES:
            pytest.fail(f"FOUNDRY_REQUIRE_SERVICES=1 and {problem}")
        pytest.skip(problem)
    name = f"foundry_test_{secrets.token_hex(4)}"
    try:
        _admin(_GIVEN_DATABASE_URL, f"CREATE DATABASE {name}")
    except Exception as exc:
        problem = f"the PostgreSQL server is not reachable: {type(exc).__name__}: {exc}"
        if REQUIRE_SERVICES:
            pytest.fail(f"FOUNDRY_REQUIRE_SERVICES=1 and {problem}")
        pytest.skip(problem)
    yield _with_database(_GIVEN_DATABASE_URL, name)
    _admin(_GIVEN_DATABASE_URL, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
