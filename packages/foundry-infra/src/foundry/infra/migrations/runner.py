"""Running Alembic steps on one connection, recording each, explaining a failure.

The steps (upgrades or single-revision downgrades) are handed to Alembic as the ``fn`` of an
``EnvironmentContext``; Alembic runs ``env.py``, which runs each step in its own
transaction and calls :meth:`StepRecorder.applied` inside that transaction, where the
``migrations`` log row is written. When a step raises, :func:`failure` says which revision
failed, why, and what state the database was left in.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from foundry.infra.engine import set_sqlite_foreign_keys
from foundry.infra.errors import MigrationError
from foundry.infra.migrations.environment import OPTIONS_KEY, EnvironmentOptions
from foundry.infra.migrations.layout import MigrationLayout
from foundry.infra.migrations.log import MigrationLog

if TYPE_CHECKING:
    from alembic.runtime.migration import RevisionStep
    from sqlalchemy.engine import Connection

__all__ = ["AppliedStep", "StepRecorder", "describe_error", "failure", "run_steps"]


@dataclass(frozen=True, slots=True)
class AppliedStep:
    """One revision applied (``up``) or rolled back (``down``)."""

    revision: str
    branch: str
    description: str
    file: str
    direction: str
    duration_ms: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "revision": self.revision,
            "branch": self.branch,
            "description": self.description,
            "file": self.file,
            "direction": self.direction,
            "duration_ms": round(self.duration_ms, 2),
        }


class StepRecorder:
    """Follows a run: the step in progress, the steps done, the log rows to write."""

    def __init__(self, layout: MigrationLayout, log: MigrationLog, batch: int, dialect: str):
        self._layout = layout
        self._log = log
        self.batch = batch
        self._dialect = dialect
        self.current: RevisionStep | None = None
        self._started = 0.0
        self.done: list[AppliedStep] = []

    def track(self, steps: Iterable[RevisionStep]) -> Iterator[RevisionStep]:
        """Yield ``steps``, remembering which one is running."""
        for step in steps:
            self.current = step
            self._started = time.perf_counter()
            yield step

    def applied(self, ctx: Any, step: Any, heads: Any, run_args: Any) -> None:
        """Alembic ``on_version_apply`` hook, called inside the step's transaction."""
        revision = step.up_revision_id
        info = self._layout.revisions[revision]
        if step.is_upgrade:
            if self._dialect == "sqlite":
                _check_foreign_keys(ctx.connection, revision)
            self._log.record(revision, info.branch, self.batch)
        else:
            self._log.forget(revision)
        self.done.append(
            AppliedStep(
                revision=revision,
                branch=info.branch,
                description=info.description,
                file=self._layout.shown(info.path),
                direction="up" if step.is_upgrade else "down",
                duration_ms=(time.perf_counter() - self._started) * 1000,
            )
        )
        self.current = None


def _check_foreign_keys(connection: Connection, revision: str) -> None:
    """SQLite migrations run with foreign keys off (batch mode copies tables); check them
    before the migration commits, as SQLite's own schema-change procedure does."""
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        table, _rowid, parent, _fk = broken[0]
        raise MigrationError(
            f"it leaves {len(broken)} row(s) whose foreign keys point nowhere (first: a row "
            f"of {table} referencing {parent})",
            revision=revision,
        )


def run_steps(
    connection: Connection,
    layout: MigrationLayout,
    dialect: str,
    fn: Callable[[Any, Any], Iterable[RevisionStep]],
    recorder: StepRecorder,
    *,
    upgrade: bool,
) -> None:
    """Run ``fn``'s steps through Alembic on ``connection``.

    Raises:
        MigrationError: a step failed (see :func:`failure` for the message).
    """
    from alembic.config import Config
    from alembic.runtime.environment import EnvironmentContext

    config = Config()
    config.attributes[OPTIONS_KEY] = EnvironmentOptions(
        dialect=dialect, connection=connection, callbacks=(recorder.applied,)
    )
    if connection.in_transaction():
        connection.commit()  # Alembic must see a connection outside any transaction
    sqlite = dialect == "sqlite"
    if sqlite:
        set_sqlite_foreign_keys(connection, False)
    try:
        with EnvironmentContext(config, layout.script, fn=fn):
            layout.script.run_env()
        if connection.in_transaction():
            connection.commit()
    except Exception as exc:
        if connection.in_transaction():
            connection.rollback()
        raise failure(layout, recorder, exc, dialect, upgrade=upgrade) from exc
    finally:
        if sqlite:
            set_sqlite_foreign_keys(connection, True)


def describe_error(exc: BaseException) -> str:
    """One line saying what went wrong inside a migration."""
    if isinstance(exc, MigrationError):
        return exc.message.rstrip(".")
    orig = getattr(exc, "orig", None)
    args = tuple(getattr(orig, "args", ()))
    if len(args) >= 2 and isinstance(args[0], int) and isinstance(args[1], str):
        text = args[1]  # MySQL drivers: (code, message)
    elif orig is not None:
        text = str(orig)
    else:
        text = f"{type(exc).__name__}: {exc}"
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[0].rstrip(".") if lines else type(exc).__name__


def failure(
    layout: MigrationLayout,
    recorder: StepRecorder,
    exc: BaseException,
    dialect: str,
    *,
    upgrade: bool,
) -> MigrationError:
    """The error for a failed run: the revision, the cause and the database's state."""
    detail = describe_error(exc)
    done = len(recorder.done)
    step = recorder.current
    if step is None:
        action = "Migrating" if upgrade else "Rolling back"
        return MigrationError(f"{action} failed: {detail}", context={"completed": done})
    revision = step.revision.revision
    info = layout.revisions[revision]
    label = f"{revision} ({info.branch}: {info.description or 'no description'}, "
    label += f"{layout.shown(info.path)})"
    if dialect == "mysql":
        listed = "pending" if upgrade else "applied"
        state = (
            "MySQL and MariaDB commit each DDL statement at once, so the changes it made "
            "before the error are still in the database, while alembic_version and the "
            f"migrations log still show it as {listed}. Repair those changes by hand (or make "
            "the migration safe to re-run) before running the command again."
        )
    else:
        state = "It was rolled back: the database holds none of its changes."
    if done:
        did = f"applied (batch {recorder.batch})" if upgrade else "rolled back"
        if done == 1:
            state += f" The migration before it was {did} and stays so."
        else:
            state += f" The {done} migrations before it were {did} and stay so."
    verb = "Migration" if upgrade else "Rolling back"
    return MigrationError(
        f"{verb} {label} failed: {detail}. {state}",
        revision=revision,
        context={"branch": info.branch, "completed": done, "dialect": dialect},
    )
