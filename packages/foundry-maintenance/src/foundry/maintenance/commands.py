"""``foundry down`` and ``foundry up``."""

from __future__ import annotations

from typing import Any

from foundry.domain.commands import Command, CommandContext, CommandResult, Option
from foundry.domain.errors import InputError

__all__ = ["DownCommand", "UpCommand"]


def _positive(ctx: CommandContext, name: str) -> int | None:
    value = ctx.option(name)
    if value is None:
        return None
    if int(value) < 1:
        raise InputError(name, f"--{name} must be a number of seconds of 1 or more")
    return int(value)


def _allowed(ctx: CommandContext) -> list[str]:
    from foundry.maintenance.state import parse_networks

    entries = [e.strip() for raw in ctx.option("allow", []) for e in raw.split(",") if e.strip()]
    try:
        parse_networks(entries)
    except ValueError as exc:
        raise InputError("allow", f"--allow: {exc}") from None
    return list(dict.fromkeys(entries))


def _secret(ctx: CommandContext) -> tuple[str | None, bool]:
    """The bypass secret and whether it was generated here."""
    import secrets

    from foundry.maintenance.state import valid_secret

    given = ctx.option("secret")
    if given is not None and ctx.option("with_secret", False):
        raise InputError("secret", "use either --secret or --with-secret, not both")
    if ctx.option("with_secret", False):
        return secrets.token_urlsafe(24), True
    if given is not None and not valid_secret(given):
        raise InputError(
            "secret",
            "--secret must be one URL path segment of letters, digits and . _ ~ - "
            "(it is visited as /<secret>)",
        )
    return given, False


def _template(ctx: CommandContext) -> str | None:
    from foundry.maintenance.pages import template_path

    name = ctx.option("render")
    if name is None:
        return None
    views = ctx.app.path("resources", "views")
    if template_path(views, name) is None:
        raise InputError(
            "render",
            f'--render: no template "{name}" in resources/views; create it there '
            "or omit --render to use the built-in page",
        )
    return str(name)


class DownCommand(Command):
    name = "down"
    summary = "Put the application into maintenance mode"
    description = (
        "Every instance sharing the cache (or, without one, this server) answers 503 "
        "until `up`: JSON for API clients, an HTML page otherwise. Health routes, --allow "
        "addresses and visitors of /<secret> (who get a bypass cookie) still get in. "
        "Running it again while down replaces the terms."
    )
    options = (
        Option("message", "The message shown on the page and in the JSON error"),
        Option("retry", "Retry-After seconds (default 60)", "int", default=60),
        Option("refresh", "Refresh header seconds: browsers reload the page", "int"),
        Option("secret", "Bypass secret: visiting /<secret> sets a bypass cookie", secret=True),
        Option("with-secret", "Generate a random bypass secret and print it", "bool"),
        Option("render", "Template under resources/views to render (errors/503.html)"),
        Option("allow", "IP address or CIDR range let through (repeatable)", "list"),
    )

    async def handle(self, ctx: CommandContext) -> CommandResult:
        from foundry.maintenance.mode import MaintenanceMode

        retry = _positive(ctx, "retry")
        refresh = _positive(ctx, "refresh")
        allowed = _allowed(ctx)
        secret, generated = _secret(ctx)
        template = _template(ctx)
        mode = ctx.app.make(MaintenanceMode)
        done = await mode.down(
            message=ctx.option("message"),
            retry=retry,
            refresh=refresh,
            secret=secret,
            allowed=allowed,
            template=template,
        )
        data: dict[str, Any] = {
            "down": True,
            "updated": done.was_down,
            "store": mode.store.label,
            **done.state.describe(),
        }
        if generated:
            data["generated_secret"] = secret
        bypass_url = None
        if secret:
            base = str(ctx.app.config.get("app.url") or "").rstrip("/")
            bypass_url = f"{base}/{secret}"
            if generated:
                data["bypass_url"] = bypass_url
        if not ctx.json:
            out = ctx.output
            out.line(f"State: {mode.store.label}")
            if allowed:
                out.line(f"Allowed: {', '.join(allowed)}")
            if bypass_url:
                out.line(f"Bypass: open {bypass_url} to get the bypass cookie")
        message = (
            "Application is already down; maintenance terms updated."
            if done.was_down
            else "Application is now in maintenance mode."
        )
        return CommandResult.success(message, data)


class UpCommand(Command):
    name = "up"
    summary = "Bring the application out of maintenance mode"

    async def handle(self, ctx: CommandContext) -> CommandResult:
        from foundry.maintenance.mode import MaintenanceMode

        mode = ctx.app.make(MaintenanceMode)
        if not await mode.up():
            return CommandResult.success(
                "Application is not in maintenance mode.",
                {"down": False, "was_down": False, "store": mode.store.label},
            )
        return CommandResult.success(
            "Application is now live.", {"down": False, "was_down": True, "store": mode.store.label}
        )
