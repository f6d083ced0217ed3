"""``config:validate``: every configuration problem, without booting into a failure."""

from __future__ import annotations

from foundry.domain.commands import Command, CommandContext, CommandResult

__all__ = ["ValidateCommand"]


class ValidateCommand(Command):
    """Check every declared configuration section and the files in ``config/``.

    Prints each section with its schema and the provider that declared it, then every
    problem (the key, what is wrong, where the value came from). Exits 1 when there is
    any problem, so CI can run it before a deploy.
    """

    name = "config:validate"
    requires_boot = False  # must report on configuration that stops the boot
    summary = "Validate the configuration against every provider's section schema"

    def handle(self, ctx: CommandContext) -> CommandResult:
        from foundry.config_layer.validation import validate_application

        report = validate_application(ctx.app)
        data = report.to_dict()
        if not ctx.json:
            out = ctx.output
            if report.sections:
                rows = [
                    (
                        r.schema.section,
                        r.schema.reference,
                        r.schema.provider,
                        "ok" if r.ok else f"{len(r.problems)} problem(s)",
                    )
                    for r in report.sections
                ]
                out.table(("Section", "Schema", "Declared by", "Status"), rows)
            else:
                out.line("No installed provider declares a configuration section.")
            if report.problems:
                out.line()
                out.line("Problems:")
                out.bullet_list(str(problem) for problem in report.problems)
        count = len(report.problems)
        if count:
            noun = "problem" if count == 1 else "problems"
            return CommandResult.failure(f"Invalid configuration: {count} {noun} found.", data)
        sections = len(report.sections)
        noun = "section" if sections == 1 else "sections"
        return CommandResult.success(f"Configuration is valid ({sections} {noun} checked).", data)
