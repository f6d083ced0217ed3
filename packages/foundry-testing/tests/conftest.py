"""Fixtures: a sample application in a pytester folder, and a throwaway PostgreSQL database.

The plugin is tested the way apps use it: small test modules are written next to a sample
app and run by pytest in a subprocess (``pytester.runpytest_subprocess``), so each run has
its own interpreter, SQLModel registry and ``app`` package.

PostgreSQL runs when ``DATABASE_URL`` is a PostgreSQL URL: a ``foundry_test_<random>``
database is created for the run and dropped at its end. With ``FOUNDRY_REQUIRE_SERVICES=1``
a missing URL or an unreachable server fails those tests instead of skipping them.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the testing_support module

from testing_support import write_sample_app

from foundry.testing.servers import ServerDatabases

pytest_plugins = ["pytester"]

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


@pytest.fixture(scope="session")
def postgres_url(server_databases: ServerDatabases) -> str:
    """The URL of this run's throwaway PostgreSQL database (the plugin's own fixture)."""
    return server_databases.url("postgresql")
