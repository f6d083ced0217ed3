"""``queue:work``: run a worker until it is stopped."""

from __future__ import annotations

from typing import Any

from foundry.domain.commands import Argument, Command, CommandContext, CommandResult, Option

__all__ = ["WorkCommand"]


class WorkCommand(Command):
    """Take jobs from a queue connection and run them until stopped.

    CONNECTION defaults to QUEUE_CONNECTION. --queue lists queues in priority order
    (high,default): a job of an earlier queue always goes first. --concurrency runs that
    many jobs at once. The worker stops gracefully on SIGTERM or Ctrl-C (running jobs
    finish within --timeout, or go back to their queue), after --max-jobs jobs, after
    --max-time seconds, or with --stop-when-empty once the queues are empty.
    """

    name = "queue:work"
    summary = "Process jobs from a queue connection"
    arguments = (
        Argument(
            "connection", "The connection to work (default: QUEUE_CONNECTION)", required=False
        ),
    )
    options = (
        Option("queue", "Queues to work, in priority order (comma-separated)"),
        Option(
            "concurrency", "Jobs to run at the same time", type="int", default=1, rules=("min:1",)
        ),
        Option("max-jobs", "Stop after this many jobs", type="int", rules=("min:1",)),
        Option("max-time", "Stop taking jobs after this many seconds", type="float"),
        Option("stop-when-empty", "Stop when the queues are empty", type="bool"),
        Option(
            "sleep", "Seconds to wait for jobs when the queues are empty", type="float", default=3.0
        ),
        Option(
            "timeout",
            "Seconds a job may run when it sets no timeout itself (0: no limit)",
            type="float",
            default=60.0,
        ),
        Option("tries", "Attempts for jobs that set no tries themselves", type="int", default=1),
    )

    async def handle(self, ctx: CommandContext) -> CommandResult:
        from foundry.domain.errors import InputError
        from foundry.domain.signals import ShutdownCoordinator
        from foundry.queue.manager import QueueManager
        from foundry.queue.worker import Worker, WorkerOptions, parse_queues

        manager = ctx.app.make(QueueManager)
        connection = manager.worker_connection(ctx.argument("connection"))
        concurrency = int(ctx.option("concurrency", 1))
        tries = int(ctx.option("tries", 1))
        sleep = float(ctx.option("sleep", 3.0))
        if concurrency < 1:
            raise InputError("concurrency", "--concurrency must be 1 or more.")
        if tries < 1:
            raise InputError("tries", "--tries must be 1 or more.")
        if sleep < 0:
            raise InputError("sleep", "--sleep cannot be negative.")
        timeout = float(ctx.option("timeout", 60.0))
        options = WorkerOptions(
            queues=parse_queues(ctx.option("queue"), connection.default_queue),
            concurrency=concurrency,
            max_jobs=ctx.option("max_jobs"),
            max_time=ctx.option("max_time"),
            stop_when_empty=bool(ctx.option("stop_when_empty", False)),
            sleep=sleep,
            timeout=timeout if timeout > 0 else None,
            tries=tries,
        )
        coordinator = (
            ctx.app.make(ShutdownCoordinator) if ctx.app.bound(ShutdownCoordinator) else None
        )
        listener = None if ctx.json else _printer(ctx)
        worker = Worker(
            manager,
            connection,
            options,
            coordinator=coordinator,
            handle_signals=True,
            listener=listener,
        )
        if not ctx.json:
            ctx.output.info(
                f"Working {connection.name} queue(s) {', '.join(options.queues)} "
                f"with concurrency {options.concurrency}."
            )
        report = await worker.run()
        data = {"connection": connection.name, "queues": list(options.queues), **report.to_dict()}
        return CommandResult.success(
            f"Worker stopped ({report.reason}): {report.processed} processed, "
            f"{report.failed} failed, {report.released} released.",
            data=data,
        )


def _printer(ctx: CommandContext) -> Any:
    from datetime import datetime

    def show(event: str, job: Any, details: dict[str, Any]) -> None:
        stamp = datetime.now().strftime("%Y-%m-%d %H:%M:%S")
        name = job.envelope.meta.get("name") or job.envelope.job
        label = f"{stamp} {name} [{job.id}]"
        if event == "processing":
            ctx.output.verbose(f"{label} RUNNING (attempt {job.envelope.attempts})")
        elif event == "done":
            ctx.output.line(f"{label} {details['duration_ms']:.1f} ms DONE")
        elif event == "failed":
            ctx.output.error(f"{label} FAIL {details['error']}")
        elif event == "released":
            ctx.output.warning(f"{label} RELEASED for {details['delay']:g} s: {details['reason']}")
        elif event == "skipped":
            ctx.output.line(f"{label} SKIPPED (batch cancelled)")
        elif event == "abandoned":
            ctx.output.warning(f"{label} ABANDONED (lease lost)")

    return show
