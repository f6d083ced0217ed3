"""Two server processes migrating one SQLite file at start-up (``serve --workers 2``).

The first worker holds the migration lock while its revision runs; the second must wait
for it instead of racing it into "database is locked", then find nothing left to migrate.
Both workers are real processes, started the way ``DATABASE_MIGRATE_ON_START`` runs.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from infra_support import app_migration, revision_source

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="fcntl locks are POSIX")

WORKER = textwrap.dedent(
    """
    import asyncio
    import logging
    import sys
    from pathlib import Path

    import aiosqlite  # imported up front: the marker below then means "about to migrate"
    import alembic.runtime.environment
    import alembic.script

    from foundry.application import Application, create_app
    import foundry.infra.migrations.migrator
    from foundry.infra.provider import InfraServiceProvider

    logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s")


    async def main() -> None:
        app = Application(Path(sys.argv[1]), providers=[InfraServiceProvider], discover=False)
        app.boot()
        api = create_app(application=app)
        Path(sys.argv[2]).touch()  # about to start: the test may release the first worker
        async with api.router.lifespan_context(api):
            pass
        await app.terminate()


    asyncio.run(main())
    """
)

SLOW_UPGRADE = """
import time
from pathlib import Path

op.create_table("products", sa.Column("id", sa.Integer, primary_key=True))
Path({started!r}).touch()
deadline = time.monotonic() + 60
while not Path({release!r}).exists() and time.monotonic() < deadline:
    time.sleep(0.05)
"""


def wait_for(path: Path, process: subprocess.Popen[str]) -> None:
    """Wait (at most a minute) until ``path`` exists; fail if ``process`` ends first."""
    deadline = time.monotonic() + 60
    while not path.exists():
        if process.poll() is not None:
            _, err = process.communicate()
            pytest.fail(f"the worker ended before {path.name} appeared:\n{err}")
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"{path.name} never appeared")
        time.sleep(0.05)


def test_two_workers_migrating_one_sqlite_file_at_start_take_turns(base: Path) -> None:
    signals = base.parent / "signals"
    signals.mkdir()
    started, release = signals / "started", signals / "release"
    upgrade = SLOW_UPGRADE.format(started=str(started), release=str(release))
    app_migration(
        base, "a1_products.py", revision_source("a1a1a1a1a1a1", branch="app", upgrade=upgrade)
    )
    script = base.parent / "worker.py"
    script.write_text(WORKER)
    database = base / "storage" / "database.sqlite"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "DATABASE_MIGRATE_ON_START": "true",
    }

    def worker(name: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, str(script), str(base), str(signals / name)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    first = worker("first-ready")
    wait_for(started, first)  # the first worker is inside its migration, holding the lock
    second = worker("second-ready")
    wait_for(signals / "second-ready", second)
    time.sleep(1.0)  # let the second worker reach the migration lock before releasing
    release.touch()
    first_out = first.communicate(timeout=120)
    second_out = second.communicate(timeout=120)

    assert first.returncode == 0, first_out[1]
    assert second.returncode == 0, second_out[1]
    assert "Applied 1 migration(s) at start-up" in first_out[1]
    assert "Applied" not in second_out[1], second_out[1]
    with sqlite3.connect(database) as connection:
        logged = connection.execute("SELECT revision, batch FROM migrations").fetchall()
        versions = connection.execute("SELECT version_num FROM alembic_version").fetchall()
    assert logged == [("a1a1a1a1a1a1", 1)]
    assert versions == [("a1a1a1a1a1a1",)]
