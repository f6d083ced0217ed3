"""``queue:failed``, ``queue:retry``, ``queue:forget`` and ``queue:flush``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from foundry.domain.commands import Argument, Command, CommandContext, CommandResult, Option

if TYPE_CHECKING:
    from foundry.domain.application import Application
    from foundry.queue.failed import FailedJobStore

__all__ = ["FailedCommand", "FlushCommand", "ForgetCommand", "RetryCommand"]


def store_of(app: Application) -> FailedJobStore:
    """The failed-job store, or a one-line error naming what to install."""
    from foundry.domain.contracts import unbound_message
    from foundry.domain.database import Database
    from foundry.domain.errors import CommandError
    from foundry.queue.manager import QueueManager

    store = app.make(QueueManager).failed_store()
    if store is None:
        raise CommandError("Failed jobs are kept in the database. " + unbound_message(Database))
    return store


class FailedCommand(Command):
    """List the jobs that used their tries, newest first (--format json for all fields)."""

    name = "queue:failed"
    summary = "List failed queue jobs"
    options = (
        Option("queue", "Only jobs of this queue"),
        Option("limit", "Show at most this many", type="int"),
    )

    async def handle(self, ctx: CommandContext) -> CommandResult:
        jobs = await store_of(ctx.app).all(queue=ctx.option("queue"), limit=ctx.option("limit"))
        if ctx.json:
            return CommandResult.success(
                f"{len(jobs)} failed job(s).", data=[job.to_dict(full=True) for job in jobs]
            )
        if not jobs:
            return CommandResult.success("No failed jobs.", data=[])
        ctx.output.table(
            ["ID", "UUID", "Connection", "Queue", "Job", "Failed at", "Error"],
            [
                [
                    j.id,
                    j.uuid,
                    j.connection,
                    j.queue,
                    j.name,
                    j.failed_at.isoformat(" ", "seconds"),
                    j.error,
                ]
                for j in jobs
            ],
        )
        return CommandResult.success(
            f"{len(jobs)} failed job(s).", data=[job.to_dict() for job in jobs]
        )


class RetryCommand(Command):
    """Put failed jobs back on the connection and queue they failed on.

    Give failed-job ids or uuids (several, or comma-separated), or "all" (with --queue,
    all of that queue). Each job gets its tries afresh and leaves the failed list.
    """

    name = "queue:retry"
    summary = "Retry failed queue jobs"
    arguments = (Argument("id", "Failed job ids or uuids, or all", type="list"),)
    options = (Option("queue", "With all: only jobs of this queue"),)

    async def handle(self, ctx: CommandContext) -> CommandResult:
        from foundry.domain.errors import CommandError, InputError
        from foundry.queue.manager import QueueManager

        store = store_of(ctx.app)
        manager = ctx.app.make(QueueManager)
        wanted = [part.strip() for item in ctx.argument("id", []) for part in str(item).split(",")]
        wanted = [w for w in wanted if w]
        if not wanted:
            raise InputError("id", "Name the failed jobs to retry (ids or uuids), or all.")
        if wanted == ["all"]:
            jobs = await store.all(queue=ctx.option("queue"))
        else:
            jobs = []
            for identifier in wanted:
                found = await store.find(identifier)
                if found is None:
                    raise CommandError(
                        f"No failed job has the id or uuid {identifier!r}; nothing was retried. "
                        "See foundry queue:failed."
                    )
                jobs.append(found)
        retried = []
        for job in jobs:
            connection = manager.connection(job.connection)
            if ctx.dry_run:
                retried.append(job.uuid)
                continue
            await store.forget(job.id)
            try:
                await connection.push_body(job.uuid, job.queue, job.payload)
            except Exception:
                await store.record(job.uuid, job.connection, job.queue, job.payload, job.exception)
                raise
            retried.append(job.uuid)
            if not ctx.json:
                ctx.output.line(f"Retrying {job.name} [{job.uuid}] on {job.connection}/{job.queue}")
        verb = "Would retry" if ctx.dry_run else "Retried"
        return CommandResult.success(
            f"{verb} {len(retried)} failed job(s).", data={"retried": retried}
        )


class ForgetCommand(Command):
    """Delete one failed job (by id or uuid) from the failed list."""

    name = "queue:forget"
    summary = "Delete a failed queue job"
    arguments = (Argument("id", "The failed job's id or uuid"),)

    async def handle(self, ctx: CommandContext) -> CommandResult:
        identifier = str(ctx.argument("id"))
        if ctx.dry_run:
            found = await store_of(ctx.app).find(identifier) is not None
            return CommandResult.success(
                f"Would delete failed job {identifier}."
                if found
                else f"No failed job {identifier}.",
                data={"deleted": False, "found": found},
            )
        if not await store_of(ctx.app).forget(identifier):
            return CommandResult.failure(
                f"No failed job has the id or uuid {identifier!r}. See foundry queue:failed.",
                data={"deleted": False},
            )
        return CommandResult.success(f"Failed job {identifier} deleted.", data={"deleted": True})


class FlushCommand(Command):
    """Delete every failed job, or with --hours only those that failed longer ago."""

    name = "queue:flush"
    summary = "Delete all (or old) failed queue jobs"
    options = (
        Option("hours", "Only jobs that failed more than this many hours ago", type="float"),
    )

    async def handle(self, ctx: CommandContext) -> CommandResult:
        from foundry.domain.errors import InputError

        hours = ctx.option("hours")
        if hours is not None and hours < 0:
            raise InputError("hours", "--hours cannot be negative.")
        store = store_of(ctx.app)
        if ctx.dry_run:
            count = await store.count()
            return CommandResult.success(
                "Dry run: nothing was deleted.", data={"deleted": 0, "failed_jobs": count}
            )
        deleted = await store.flush(hours)
        scope = f" older than {hours:g} hours" if hours is not None else ""
        return CommandResult.success(
            f"Deleted {deleted} failed job(s){scope}.", data={"deleted": deleted}
        )
