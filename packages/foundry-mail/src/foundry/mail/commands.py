"""``mail:test``: send a real message to check the mail settings end to end."""

from __future__ import annotations

from foundry.domain.commands import Command, CommandContext, CommandResult, Option

__all__ = ["MailTestCommand"]

SUBJECT = "Foundry test message"


class MailTestCommand(Command):
    """Send a test message (text and HTML) through the default mailer or --mailer.

    Prints the Message-ID the transport reports, and the recipients it refused, if any.
    Exits non-zero with the reason when the message cannot be sent.
    """

    name = "mail:test"
    summary = "Send a test message to check the mail settings"
    options = (
        Option("to", "The address to send to", required=True, rules=("email",)),
        Option("mailer", "The mailer to use [default: MAIL_MAILER]"),
    )

    async def handle(self, ctx: CommandContext) -> CommandResult:
        from foundry.domain.mail import Address, Mailer, Message

        recipient: str = ctx.option("to")
        chosen: str | None = ctx.option("mailer")
        mailer: Mailer = ctx.app.make(Mailer)
        if chosen:
            mailer = mailer.mailer(chosen)
        app_name = str(ctx.app.config.get("app.name") or "Foundry")
        environment = ctx.app.environment
        message = Message(
            subject=SUBJECT,
            to=(Address(recipient),),
            text=(
                f"This is a test message from {app_name} ({environment}).\n\n"
                "If you can read it, the mail settings work.\n"
            ),
            html=(
                f"<p>This is a test message from <strong>{_escape(app_name)}</strong> "
                f"({_escape(environment)}).</p><p>If you can read it, the mail settings "
                "work.</p>"
            ),
            tags=("mail-test",),
        )
        sent = await mailer.send(message)
        data = {
            "message_id": sent.message_id,
            "mailer": chosen or ctx.app.config.get("mail.default") or "log",
            "accepted": list(sent.accepted),
            "rejected": list(sent.rejected),
        }
        if sent.rejected and not ctx.json:
            ctx.output.warning("Refused by the server: " + ", ".join(sent.rejected))
        return CommandResult.success(f"Test message sent. Message-ID: {sent.message_id}", data)


def _escape(text: str) -> str:
    import html

    return html.escape(text)
