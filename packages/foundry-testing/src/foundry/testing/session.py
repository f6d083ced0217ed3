"""The test session: the application root, the kernel, the environment, the migration.

Once per pytest session, on first use of the ``app`` fixture:

* ``APP_ENV=testing`` is set (so ``foundry-env`` loads ``.env.testing`` when it exists),
  then the ``foundry_env`` ini variables;
* ``DATABASE_URL`` is pointed at a new SQLite file in pytest's temporary folder, unless the
  environment (or ``foundry_env``) already sets it — then that database is used, so point
  it at a database that exists for tests;
* the app's and packages' migrations run once, through the ``migrate`` command.

Everything set here is undone when the session ends.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Coroutine, Sequence
from pathlib import Path
from typing import Any, TypeVar

from foundry.domain.application import CommandRunner
from foundry.domain.outputs import BufferedOutput
from foundry.domain.provider import ServiceProvider
from foundry.testing.environment import EnvironmentSnapshot
from foundry.testing.errors import TestSetupError
from foundry.testing.project import Kernel, load_kernel, merged_env

__all__ = ["TestSession", "run_in_new_loop"]

T = TypeVar("T")


def run_in_new_loop(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run ``coroutine`` to completion on a fresh event loop in a worker thread.

    Session set-up may be reached from inside a running loop (an async fixture asked for
    it); a thread keeps the two loops apart, and connections made here die with this loop.
    """
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["value"] = asyncio.run(coroutine)
        except BaseException as exc:  # re-raised in the caller's thread
            outcome["error"] = exc

    worker = threading.Thread(target=target, name="foundry-testing-setup")
    worker.start()
    worker.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]  # type: ignore[no-any-return]


class TestSession:
    """What every test of the session shares.

    Args:
        base_path: the application root.
        kernel: the installed kernel.
        providers: providers added to every test's application (``foundry_providers``).
        env: variables set for the whole session (``foundry_env``).
        temp_dir: where the session's SQLite database goes.
    """

    __test__ = False

    def __init__(
        self,
        base_path: Path,
        kernel: Kernel | None = None,
        *,
        providers: Sequence[type[ServiceProvider]] = (),
        env: dict[str, str] | None = None,
        temp_dir: Path,
    ) -> None:
        self.base_path = base_path
        self._kernel = kernel
        self.providers = tuple(providers)
        self._env = dict(env or {})
        self._temp_dir = temp_dir
        self._snapshot: EnvironmentSnapshot | None = None
        self.database_url: str | None = None
        self.migration_output = ""

    @property
    def kernel(self) -> Kernel:
        if self._kernel is None:
            self._kernel = load_kernel()
        return self._kernel

    def session_env(self) -> dict[str, str]:
        """``APP_ENV=testing``, the ini variables and, unless given, the SQLite URL."""
        env = merged_env({"APP_ENV": "testing"}, self._env)
        if "DATABASE_URL" not in env and not os.environ.get("DATABASE_URL"):
            path = (self._temp_dir / "database.sqlite").resolve()
            env["DATABASE_URL"] = f"sqlite:///{path}"  # an absolute path: four slashes
        return env

    def start(self) -> None:
        """Set the session's environment and migrate the database.

        Raises:
            TestSetupError: the application does not boot or ``migrate`` fails; the
                message holds the command's output.
        """
        env = self.session_env()
        self.database_url = env.get("DATABASE_URL") or os.environ.get("DATABASE_URL")
        if self.database_url and ":memory:" in self.database_url:
            raise TestSetupError(
                f"DATABASE_URL={self.database_url} cannot be used for tests: every connection "
                "to an in-memory SQLite database sees a different, empty database, so the "
                "tests would not see the migrated tables. Unset DATABASE_URL to use a "
                "SQLite file per test session."
            )
        self._snapshot = EnvironmentSnapshot(env).take()
        try:
            run_in_new_loop(self._migrate())
        except BaseException:
            self.stop()
            raise

    async def _migrate(self) -> None:
        app = self.kernel.build(self.base_path, self.providers)
        try:
            app.boot()
            if not app.commands.has("migrate"):
                return  # no database package installed: nothing to migrate
            output = BufferedOutput()
            outcome = await app.make(CommandRunner).run("migrate", output=output)
            self.migration_output = output.text()
            if not outcome.ok:
                shown = f"\n{self.migration_output}" if self.migration_output else ""
                raise TestSetupError(
                    f"Migrating the test database failed (exit code {outcome.exit_code}): "
                    f"{outcome.error}{shown}\nFix the migration, or point DATABASE_URL at a "
                    "database the tests may migrate."
                ) from outcome.exception
        finally:
            await app.terminate()

    def stop(self) -> None:
        """Undo the session's environment."""
        if self._snapshot is not None:
            self._snapshot.restore()
            self._snapshot = None
