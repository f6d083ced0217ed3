"""``Migrator``: Laravel's migrate / rollback / reset / status on top of Alembic branches.

Alembic applies revisions and keeps each branch's head in ``alembic_version``; the
``migrations`` log adds batches. ``migrate`` applies everything pending (every branch, in
dependency order) as one batch; ``rollback`` undoes the last batch, or the last N
migrations, newest first; ``reset`` undoes everything. Each revision runs in its own
transaction on PostgreSQL and SQLite, so a failure loses only the failing migration.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractAsyncContextManager, nullcontext
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from foundry.domain.application import MigrationLocation
from foundry.infra.connectivity import is_connection_error
from foundry.infra.errors import MigrationError
from foundry.infra.migrations.layout import MigrationLayout, Revision
from foundry.infra.migrations.locking import (
    DEFAULT_LOCK_TIMEOUT,
    migration_lock,
    sqlite_migration_lock,
)
from foundry.infra.migrations.log import LogRow, MigrationLog
from foundry.infra.migrations.runner import AppliedStep, StepRecorder, run_steps

if TYPE_CHECKING:
    from alembic.runtime.migration import RevisionStep
    from sqlalchemy.engine import Connection

    from foundry.infra.database import SQLDatabase

__all__ = ["MigrationRun", "MigrationState", "Migrator"]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class MigrationState:
    """One revision as ``migrate:status`` shows it."""

    revision: str
    branch: str
    package: str | None
    description: str
    file: str
    ran: bool
    batch: int | None = None
    applied_at: datetime | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "revision": self.revision,
            "branch": self.branch,
            "package": self.package,
            "description": self.description,
            "file": self.file,
            "ran": self.ran,
            "batch": self.batch,
            "applied_at": self.applied_at.isoformat() if self.applied_at else None,
        }


@dataclass(frozen=True, slots=True)
class MigrationRun:
    """What a command did: the steps in order and the batch they formed."""

    steps: tuple[AppliedStep, ...] = ()
    batch: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"batch": self.batch, "steps": [step.to_dict() for step in self.steps]}


class Migrator:
    """Runs the migrations of an app and its packages against one database.

    Args:
        database: the application's :class:`~foundry.infra.database.SQLDatabase`.
        locations: ``app.migration_locations`` (each package's branch, then the app's).
        lock_timeout: seconds to wait while another process migrates the same database.
    """

    def __init__(
        self,
        database: SQLDatabase,
        locations: Sequence[MigrationLocation],
        *,
        lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
    ) -> None:
        self._db = database
        self._layout = MigrationLayout(locations, database.base_path)
        self._lock_timeout = lock_timeout

    @property
    def layout(self) -> MigrationLayout:
        return self._layout

    @property
    def database(self) -> SQLDatabase:
        return self._db

    # --- public, async -----------------------------------------------------------------

    async def status(self) -> list[MigrationState]:
        """Every revision, applied ones first (in the order they ran), then pending ones."""
        return await self._run(self._status)

    async def heads(self) -> tuple[str, ...]:
        """The revisions ``alembic_version`` holds (one per applied branch head)."""
        return await self._run(self._heads)

    async def migrate(self) -> MigrationRun:
        """Apply every pending revision as one new batch."""
        return await self._run(self._migrate, exclusive=True)

    async def pretend(self) -> tuple[list[Revision], str]:
        """The pending revisions and the SQL they would run; nothing is changed."""
        return await self._run(self._pretend)

    async def rollback(self, steps: int | None = None) -> MigrationRun:
        """Undo the last batch, or the last ``steps`` migrations, newest first."""
        if steps is not None and steps < 1:
            raise ValueError("steps must be 1 or more")
        return await self._run(lambda conn: self._rollback(conn, steps=steps), exclusive=True)

    async def reset(self) -> MigrationRun:
        """Undo every applied migration, newest first."""
        return await self._run(lambda conn: self._rollback(conn, everything=True), exclusive=True)

    async def _run(self, work: Callable[[Connection], T], *, exclusive: bool = False) -> T:
        self._layout.revisions  # noqa: B018 - read and check the folders before connecting
        try:
            engine = self._db.engine
            async with self._file_lock(exclusive), engine.connect() as connection:
                return await connection.run_sync(work)
        except MigrationError:
            raise
        except Exception as exc:
            if is_connection_error(exc):
                raise self._db.unreachable(exc) from exc
            raise

    def _file_lock(self, exclusive: bool) -> AbstractAsyncContextManager[None]:
        """SQLite's migration lock (a file lock, taken before connecting); servers lock
        inside the connection instead (:func:`migration_lock`)."""
        path = self._db.parsed_url.sqlite_path
        if not exclusive or self._db.dialect != "sqlite" or path is None:
            return nullcontext()
        return sqlite_migration_lock(path, self._lock_timeout)

    # --- reading the state -------------------------------------------------------------

    def _heads(self, connection: Connection) -> tuple[str, ...]:
        from alembic.runtime.migration import MigrationContext

        return tuple(MigrationContext.configure(connection).get_current_heads())

    def _unknown(self, exc: Exception, heads: Iterable[str]) -> MigrationError:
        unknown = [h for h in heads if h not in self._layout.revisions]
        if unknown:
            return MigrationError(
                f"The database records revision {', '.join(unknown)} in alembic_version, but "
                "no migration folder contains it: was a package uninstalled or a migration file "
                "deleted? Reinstall it (or restore the file), then try again."
            )
        return MigrationError(f"The migration history cannot be resolved: {exc}")

    def _applied(self, heads: tuple[str, ...]) -> set[str]:
        if not heads:
            return set()
        try:
            found = self._layout.script.revision_map.iterate_revisions(heads, "base")
            return {script.revision for script in found}
        except Exception as exc:  # alembic's ResolutionError / CommandError
            raise self._unknown(exc, heads) from exc

    def _plan(self, heads: tuple[str, ...]) -> list[RevisionStep]:
        try:
            # Alembic passes the current heads as a tuple here too; its annotation says str.
            return list(self._layout.script._upgrade_revs("heads", heads))  # type: ignore[arg-type]
        except Exception as exc:  # alembic's ResolutionError / CommandError
            raise self._unknown(exc, heads) from exc

    def _oldest_first(self) -> list[str]:
        return list(reversed([s.revision for s in self._layout.script.walk_revisions()]))

    def _status(self, connection: Connection) -> list[MigrationState]:
        heads = self._heads(connection)
        applied = self._applied(heads)
        rows = {row.revision: row for row in MigrationLog(connection).rows()}
        order = [rev for rev in rows if rev in applied]
        order += [rev for rev in self._oldest_first() if rev in applied and rev not in rows]
        order += [step.revision.revision for step in self._plan(heads)]
        connection.rollback()
        return [self._state(rev, rev in applied, rows.get(rev)) for rev in order]

    def _state(self, revision: str, ran: bool, row: LogRow | None) -> MigrationState:
        info = self._layout.revisions[revision]
        return MigrationState(
            revision=revision,
            branch=info.branch,
            package=info.package,
            description=info.description,
            file=self._layout.shown(info.path),
            ran=ran,
            batch=row.batch if row else None,
            applied_at=row.applied_at if row else None,
        )

    def _reconcile(self, connection: Connection, log: MigrationLog) -> tuple[str, ...]:
        """Make the log agree with alembic_version (revisions applied or undone outside
        these commands); returns the current heads."""
        heads = self._heads(connection)
        applied = self._applied(heads)
        log.create()
        rows = log.rows()
        logged = {row.revision for row in rows}
        for row in rows:
            if row.revision not in applied:
                log.forget(row.revision)
        missing = [rev for rev in self._oldest_first() if rev in applied and rev not in logged]
        if missing:
            batch = log.last_batch() + 1
            for revision in missing:
                log.record(revision, self._layout.revisions[revision].branch, batch)
        connection.commit()
        return heads

    # --- changing it -------------------------------------------------------------------

    def _migrate(self, connection: Connection) -> MigrationRun:
        with migration_lock(connection, self._db.dialect, self._lock_timeout):
            return self._migrate_locked(connection)

    def _migrate_locked(self, connection: Connection) -> MigrationRun:
        log = MigrationLog(connection)
        heads = self._reconcile(connection, log)
        if not self._plan(heads):
            return MigrationRun()
        batch = log.last_batch() + 1
        recorder = StepRecorder(self._layout, log, batch, self._db.dialect)
        script = self._layout.script

        def upgrade(rev: Any, _context: Any) -> Iterable[RevisionStep]:
            return recorder.track(script._upgrade_revs("heads", rev))

        run_steps(connection, self._layout, self._db.dialect, upgrade, recorder, upgrade=True)
        return MigrationRun(tuple(recorder.done), batch)

    def _pretend(self, connection: Connection) -> tuple[list[Revision], str]:
        from alembic.config import Config
        from alembic.runtime.environment import EnvironmentContext

        from foundry.infra.migrations.environment import OPTIONS_KEY, EnvironmentOptions

        heads = self._heads(connection)
        plan = self._plan(heads)
        connection.rollback()
        if not plan:
            return [], ""
        buffer = io.StringIO()
        config = Config(output_buffer=buffer)
        config.attributes[OPTIONS_KEY] = EnvironmentOptions(dialect=self._db.dialect)
        script = self._layout.script

        def upgrade(rev: Any, _context: Any) -> Iterable[RevisionStep]:
            return script._upgrade_revs("heads", rev)

        with EnvironmentContext(
            config,
            script,
            fn=upgrade,
            as_sql=True,
            starting_rev=heads or None,
            destination_rev="heads",
        ):
            script.run_env()
        pending = [self._layout.revisions[step.revision.revision] for step in plan]
        return pending, buffer.getvalue()

    def _chosen(self, rows: list[LogRow], steps: int | None, everything: bool) -> list[LogRow]:
        if everything:
            return list(reversed(rows))
        if steps is not None:
            return list(reversed(rows[-steps:]))
        last = max(row.batch for row in rows)
        return [row for row in reversed(rows) if row.batch == last]

    def _check_dependents(self, chosen: list[LogRow], rows: list[LogRow]) -> None:
        undoing = {row.revision for row in chosen}
        for row in rows:
            if row.revision in undoing:
                continue
            info = self._layout.revisions[row.revision]
            blocked = undoing.intersection(info.down_revisions + info.depends_on)
            if blocked:
                raise MigrationError(
                    f"Rolling back {', '.join(sorted(blocked))} would leave {row.revision} "
                    f"({info.branch}, batch {row.batch}) applied on top of it. Roll back more "
                    "migrations (a larger --step) or use migrate:reset."
                )

    def _rollback(
        self, connection: Connection, *, steps: int | None = None, everything: bool = False
    ) -> MigrationRun:
        with migration_lock(connection, self._db.dialect, self._lock_timeout):
            return self._rollback_locked(connection, steps, everything)

    def _rollback_locked(
        self, connection: Connection, steps: int | None, everything: bool
    ) -> MigrationRun:
        from alembic.runtime.migration import RevisionStep

        log = MigrationLog(connection)
        self._reconcile(connection, log)
        rows = log.rows()
        connection.commit()
        if not rows:
            return MigrationRun()
        chosen = self._chosen(rows, steps, everything)
        self._check_dependents(chosen, rows)
        recorder = StepRecorder(self._layout, log, chosen[0].batch, self._db.dialect)
        script = self._layout.script

        def downgrade(_rev: Any, _context: Any) -> Iterable[RevisionStep]:
            steps_down = (
                RevisionStep(script.revision_map, script.get_revision(row.revision), False)
                for row in chosen
            )
            return recorder.track(steps_down)

        run_steps(connection, self._layout, self._db.dialect, downgrade, recorder, upgrade=False)
        return MigrationRun(tuple(recorder.done), chosen[0].batch)
