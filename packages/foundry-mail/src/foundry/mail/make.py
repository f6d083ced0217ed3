"""``make:mail``: scaffold a mailable class and its template.

The class lands in ``app/mail/<name>.py`` and its template in ``resources/views/mail/``
(``<name>.html``, or ``<name>.md`` with ``--markdown``), rendered from the ``mail/*`` stubs
through the bound ``StubRenderer`` (``foundry-stub-system``), so ``foundry stub:publish
mail/mailable`` lets an app change what every new mailable looks like.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from foundry.domain.commands import Argument, Command, CommandContext, CommandResult, Option

__all__ = ["MakeMailCommand"]

PACKAGES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("app",), "The application's own code."),
    (("app", "mail"), "Mailables: one class per kind of e-mail the application sends."),
)
VERBS = {"created": "Created", "overwritten": "Overwrote", "planned": "Would create"}


class MakeMailCommand(Command):
    """Create a mailable class in app/mail/ and its template in resources/views/mail/.

    NAME may be written OrderShipped, order-shipped or order_shipped: the class is
    OrderShipped in app/mail/order_shipped.py. --markdown gives a Markdown template
    (order_shipped.md) rendered in the responsive mail layout with its components;
    otherwise an HTML template (order_shipped.html). Honours --dry-run and --force.
    """

    name = "make:mail"
    summary = "Create a new mailable class and its template"
    arguments = (Argument("name", "The mailable's name: OrderShipped or order-shipped"),)
    options = (Option("markdown", "Use a Markdown template with the mail layout", type="bool"),)

    def handle(self, ctx: CommandContext) -> CommandResult:
        import keyword

        from foundry.domain.contracts import unbound_message
        from foundry.domain.errors import CommandError, InputError
        from foundry.domain.naming import snake, studly, title
        from foundry.domain.stubs import PlannedFile, StubRenderer

        raw = str(ctx.argument("name")).strip()
        class_name, module = studly(raw), snake(raw)
        if not class_name.isidentifier() or keyword.iskeyword(module) or not module:
            raise InputError(
                "name", f"{raw!r} cannot name a Python class; use letters, digits and '-' or '_'."
            )
        if not ctx.app.bound(StubRenderer):
            raise CommandError(unbound_message(StubRenderer))
        renderer = ctx.app.make(StubRenderer)
        markdown = bool(ctx.option("markdown", False))
        view = f"{module}.md" if markdown else f"{module}.html"
        base = ctx.app.base_path

        plan: list[PlannedFile] = []
        for folder, docstring in PACKAGES:
            marker = Path(*folder, "__init__.py")
            if not (base / marker).exists():
                doc = {"docstring": docstring}
                plan.append(PlannedFile(marker, "mail/package", doc, "package marker"))
        context: dict[str, Any] = {
            "class_name": class_name,
            "subject": title(class_name),
            "view": view,
            "markdown": markdown,
        }
        plan.append(
            PlannedFile(Path("app", "mail", f"{module}.py"), "mail/mailable", context, "mailable")
        )
        stub = "mail/markdown" if markdown else "mail/view"
        plan.append(
            PlannedFile(Path("resources", "views", "mail", view), stub, context, "template")
        )
        results = renderer.write(plan, base_path=base, dry_run=ctx.dry_run, force=ctx.force)

        if not ctx.json:
            for result in results:
                ctx.output.line(f"{VERBS.get(result.action, result.action)} {result.path}")
        data = {
            "class": class_name,
            "module": f"app.mail.{module}",
            "view": view,
            "files": [
                {"path": str(r.path), "action": r.action, "description": r.description}
                for r in results
            ],
        }
        if ctx.dry_run:
            return CommandResult.success("Dry run: nothing was written.", data=data)
        return CommandResult.success(
            f"Mailable {class_name} created. Send it with: await mailer.send("
            f"{class_name}().to(...))",
            data=data,
        )
