"""``make:user``, ``auth:users``, ``auth:clear-sessions``, ``auth:clear-resets``,
``auth:recovery-codes``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from foundry.domain.commands import Argument, Command, CommandContext, CommandResult, Option
from foundry.domain.errors import NotFoundError

if TYPE_CHECKING:
    from foundry.auth_scaffolding.services import AuthServices

__all__ = [
    "ClearResetsCommand",
    "ClearSessionsCommand",
    "MakeUserCommand",
    "RecoveryCodesCommand",
    "UsersCommand",
]


def _services(ctx: CommandContext) -> AuthServices:
    from foundry.auth_scaffolding.services import AuthServices

    return ctx.app.make(AuthServices)


class MakeUserCommand(Command):
    """Create a user with a verified e-mail address (asks for what is not given)."""

    name = "make:user"
    summary = "Create a user (asks for name, e-mail and password when not given)"
    options = (
        Option("name", "The user's name"),
        Option("email", "The user's e-mail address", rules=("email",)),
        Option("password", "The password (asked without echo when omitted)", secret=True),
    )

    async def handle(self, ctx: CommandContext) -> CommandResult:
        from foundry.auth_scaffolding.events import Registered
        from foundry.auth_scaffolding.flows.login import create_user

        services = _services(ctx)
        minimum = services.settings.min_password_length
        name = ctx.option("name") or ctx.prompt.ask("Name", field="name")
        email = ctx.option("email") or ctx.prompt.ask("E-mail address", field="email")
        password = ctx.option("password") or ctx.prompt.secret(
            "Password",
            field="password",
            validate=lambda v: None if len(v) >= minimum else f"At least {minimum} characters.",
        )
        if ctx.dry_run:
            return CommandResult.success(f"Would create the user {email}.", {"email": email})
        user = await create_user(
            services,
            name=name,
            email=email,
            password=password,
            confirmation=password,
            verified=True,
        )
        await services.events.fire(Registered(user.auth_identifier, user.email))
        await services.users.record("registered", user.auth_identifier, via="make:user")
        return CommandResult.success(f"User {user.email} created (id {user.id}).", user.public())


class UsersCommand(Command):
    """List the users."""

    name = "auth:users"
    summary = "List users: id, name, e-mail, verified, two-factor"

    async def handle(self, ctx: CommandContext) -> CommandResult:
        users = await _services(ctx).users.all()
        rows = [u.public() for u in users]
        if not ctx.json:
            ctx.output.table(
                ["id", "name", "email", "verified", "2fa", "created"],
                [
                    [
                        r["id"],
                        r["name"],
                        r["email"],
                        "yes" if r["email_verified_at"] else "no",
                        "on" if r["two_factor_enabled"] else "off",
                        (r["created_at"] or "")[:19],
                    ]
                    for r in rows
                ],
            )
        return CommandResult.success(f"{len(rows)} user{'s' if len(rows) != 1 else ''}.", rows)


class ClearSessionsCommand(Command):
    """Delete expired sessions from the session store."""

    name = "auth:clear-sessions"
    summary = "Delete expired sessions (Redis expires its own)"

    async def handle(self, ctx: CommandContext) -> CommandResult:
        services = _services(ctx)
        if ctx.dry_run:
            return CommandResult.success("Would delete expired sessions.")
        removed = await services.store.gc()
        driver = services.settings.session_driver
        return CommandResult.success(
            f"Deleted {removed} expired session{'s' if removed != 1 else ''} ({driver}).",
            {"deleted": removed, "driver": driver},
        )


class ClearResetsCommand(Command):
    """Delete expired password reset and e-mail verification links."""

    name = "auth:clear-resets"
    summary = "Delete expired password reset and e-mail verification tokens"

    async def handle(self, ctx: CommandContext) -> CommandResult:
        from foundry.auth_scaffolding.flows.passwords import prune_resets

        if ctx.dry_run:
            return CommandResult.success("Would delete expired reset and verification tokens.")
        counts: dict[str, Any] = await prune_resets(_services(ctx))
        return CommandResult.success(
            f"Deleted {counts['password_resets']} expired password reset(s) and "
            f"{counts['email_verifications']} expired e-mail verification(s).",
            counts,
        )


class RecoveryCodesCommand(Command):
    """Replace a user's two-factor recovery codes and print the new ones."""

    name = "auth:recovery-codes"
    summary = "Regenerate a user's two-factor recovery codes"
    arguments = (Argument("email", "The user's e-mail address"),)

    async def handle(self, ctx: CommandContext) -> CommandResult:
        from foundry.auth_scaffolding.flows.account import regenerate_recovery_codes

        services = _services(ctx)
        email = str(ctx.argument("email"))
        user = await services.users.find_by_email(email)
        if user is None:
            raise NotFoundError(f"No user has the e-mail address {email}; see auth:users.")
        if ctx.dry_run:
            return CommandResult.success(f"Would regenerate the recovery codes of {user.email}.")
        codes = await regenerate_recovery_codes(services, user)
        if not ctx.json:
            ctx.output.bullet_list(codes)
        return CommandResult.success(
            f"New recovery codes for {user.email}; the old ones no longer work.",
            {"email": user.email, "recovery_codes": codes},
        )
