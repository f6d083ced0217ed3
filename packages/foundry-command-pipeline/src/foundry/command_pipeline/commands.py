"""``pipeline:run``: run command lines in order (or in parallel) and print a summary."""

from __future__ import annotations

from typing import TYPE_CHECKING

from foundry.domain.commands import Argument, Command, CommandContext, CommandResult, Option
from foundry.domain.errors import CommandNotFoundError, InputError

if TYPE_CHECKING:
    from foundry.command_pipeline.builder import Pipeline
    from foundry.command_pipeline.results import PipelineResult

__all__ = ["PipelineRunCommand"]


class PipelineRunCommand(Command):
    """Run several commands as one pipeline and print how each one ended."""

    name = "pipeline:run"
    summary = "Run commands in order (or in parallel) and print a summary"
    description = (
        "Run several commands as one pipeline and print how each one ended.\n\n"
        "Each STEP is one command line in quotes, split the way a shell splits it:\n"
        '  foundry pipeline:run "cache:clear" "migrate --force --step=2"\n'
        "--force and --dry-run inside a step apply to that step; given to pipeline:run\n"
        "itself they apply to every step. Steps run one after another and the first\n"
        "failure stops the rest (--continue-on-error runs them all); --parallel runs them\n"
        "concurrently, --concurrency at a time. --on-success, --on-failure and --finally\n"
        "add steps that run after the others. Every command is looked up before anything\n"
        "runs. Exits 1 when a step failed; --format json prints the whole summary."
    )
    arguments = (
        Argument(
            "steps",
            'Quoted command lines, e.g. "cache:clear" "migrate --force"',
            type="list",
        ),
    )
    options = (
        Option("parallel", "Run the steps concurrently", type="bool"),
        Option("concurrency", "How many steps run at once with --parallel", type="int", default=4),
        Option("continue-on-error", "Run every step even after one failed", type="bool"),
        Option("on-success", "A step to run when every step succeeded (repeatable)", type="list"),
        Option("on-failure", "A step to run when a step failed (repeatable)", type="list"),
        Option("finally", "A step to run at the end, whatever happened (repeatable)", type="list"),
    )

    async def handle(self, ctx: CommandContext) -> CommandResult:
        from foundry.command_pipeline.builder import Pipeline
        from foundry.command_pipeline.steps import Step

        lines = [str(line) for line in ctx.argument("steps", [])]  # required: never empty
        parallel = bool(ctx.option("parallel"))
        concurrency = int(ctx.option("concurrency", 4))
        if concurrency < 1:
            raise InputError("concurrency", f"--concurrency: {concurrency} is below 1")
        main = [Step.parse(line) for line in lines]
        pipe = Pipeline(
            ctx.app,
            stop_on_error=not ctx.option("continue_on_error"),
            output=ctx.output,
            verbosity=ctx.verbosity,
            dry_run=ctx.dry_run,
            force=ctx.force,
        )
        for line in ctx.option("on_success") or []:
            pipe.on_success(Step.parse(str(line)))
        for line in ctx.option("on_failure") or []:
            pipe.on_failure(Step.parse(str(line)))
        for line in ctx.option("finally") or []:
            pipe.finally_(Step.parse(str(line)))
        if not ctx.json:
            _announce(ctx, pipe, parallel, len(main), concurrency)
        try:
            if parallel:
                result = await pipe.batch(main, concurrency=concurrency)
            else:
                for step in main:
                    pipe.then(step)
                result = await pipe.run()
        except CommandNotFoundError as exc:
            raise InputError("steps", f"{exc.message} Nothing was run.") from exc
        if not ctx.json:
            _render(ctx, result)
        if result.ok:
            return CommandResult.success(result.summary(), data=result.to_dict())
        return CommandResult.failure(result.summary(), data=result.to_dict())


def _announce(
    ctx: CommandContext, pipe: Pipeline, parallel: bool, count: int, concurrency: int
) -> None:
    if parallel:
        ctx.output.info(f"Running {count} step(s), {min(count, concurrency)} at a time")
    else:
        pipe.before_each(lambda step: ctx.output.info(f"Running {step.label}"))


def _render(ctx: CommandContext, result: PipelineResult) -> None:
    from foundry.command_pipeline.results import format_duration

    rows = [
        (
            step.step.label,
            step.phase,
            step.status.value,
            "" if step.exit_code is None else str(step.exit_code),
            format_duration(step.duration_ms) if step.ran else "",
            step.error or step.reason or "",
        )
        for step in result.steps
    ]
    title = f"Parallel batch ({result.concurrency} at a time)" if result.parallel else "Pipeline"
    ctx.output.line()
    ctx.output.table(("Step", "Phase", "Status", "Exit", "Time", "Note"), rows, title=title)
