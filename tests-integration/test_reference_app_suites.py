"""The reference app's own test suite, run again on PostgreSQL and on MariaDB (its default
run, in `nox -s app`, is on SQLite)."""

from __future__ import annotations

import os
import subprocess

import pytest
from it_support import APP, app_python


@pytest.mark.parametrize("database", ["postgres_url", "mysql_url"])
def test_the_reference_app_suite_passes_on(database: str, request: pytest.FixtureRequest) -> None:
    url = request.getfixturevalue(database)
    done = subprocess.run(
        [str(app_python()), "-m", "pytest", "-q"],
        cwd=APP,
        env={**os.environ, "DATABASE_URL": url},
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert " passed" in done.stdout
