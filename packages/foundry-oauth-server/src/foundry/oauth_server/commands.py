"""The ``passport:*`` commands (Laravel Passport's names)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from foundry.domain.commands import Argument, Command, CommandContext, CommandResult, Option
from foundry.domain.errors import CommandError

if TYPE_CHECKING:
    from foundry.oauth_server.service import OAuthServer

__all__ = [
    "ClientCommand",
    "ClientsCommand",
    "InstallCommand",
    "KeysCommand",
    "PurgeCommand",
    "RevokeCommand",
    "TokenCommand",
]

GRANT_NAMES = {
    "authorization_code": "authorization_code",
    "code": "authorization_code",
    "refresh_token": "refresh_token",
    "refresh": "refresh_token",
    "client_credentials": "client_credentials",
    "device": "urn:ietf:params:oauth:grant-type:device_code",
    "device_code": "urn:ietf:params:oauth:grant-type:device_code",
    "urn:ietf:params:oauth:grant-type:device_code": "urn:ietf:params:oauth:grant-type:device_code",
    "password": "password",
}


def _core(ctx: CommandContext) -> OAuthServer:
    from foundry.oauth_server.service import OAuthServer

    return ctx.app.make(OAuthServer)


async def _new_keys(ctx: CommandContext, force: bool) -> dict[str, Any]:
    core = _core(ctx)
    if core.settings.private_key:
        raise CommandError(
            "The signing key comes from OAUTH_PRIVATE_KEY; rotate it by changing that "
            "variable (and OAUTH_PUBLIC_KEY), not with passport:keys."
        )
    if core.key_files.exists() and not force:
        raise CommandError(
            f"Signing keys already exist in {core.key_files.folder}; use --force to rotate "
            "them (tokens signed with the old key stay valid until they expire)."
        )
    return await core.rotate_keys()


class KeysCommand(Command):
    """Create the signing key pair (storage/oauth/, private key 0600); --force rotates."""

    name = "passport:keys"
    summary = "Create the OAuth signing keys (--force: rotate, keeping old tokens valid)"
    options = (Option("force", "Replace existing keys (the old public key stays trusted)", "bool"),)

    async def handle(self, ctx: CommandContext) -> CommandResult:
        if ctx.dry_run:
            return CommandResult.success("Would create OAuth signing keys.")
        made = await _new_keys(ctx, bool(ctx.option("force")) or ctx.force)
        note = f" (retired {made['retired']})" if made["retired"] else ""
        return CommandResult.success(
            f"Signing key {made['kid']} ({made['alg']}) created{note}.", made
        )


class InstallCommand(Command):
    """Keys (when missing) and a personal access client: what a fresh app needs."""

    name = "passport:install"
    summary = "Create the signing keys and the personal access client"
    options = (Option("force", "Rotate the keys even if they exist", "bool"),)

    async def handle(self, ctx: CommandContext) -> CommandResult:
        core = _core(ctx)
        if ctx.dry_run:
            return CommandResult.success("Would create keys and a personal access client.")
        force = bool(ctx.option("force")) or ctx.force
        keys: dict[str, Any] | None = None
        if force or (not core.settings.private_key and not core.key_files.exists()):
            keys = await _new_keys(ctx, force)
        client = await core.personal_access_client()
        assert client is not None
        data = {"keys": keys, "personal_access_client": client.id}
        if not ctx.json:
            if keys:
                ctx.output.success(f"Signing key {keys['kid']} ({keys['alg']}) created.")
            else:
                ctx.output.info("Signing keys already present; kept.")
            ctx.output.line(f"Personal access client: {client.id}")
        return CommandResult.success("OAuth server installed.", data)


class ClientCommand(Command):
    """Register a client; prints its id and, for confidential clients, the secret (once)."""

    name = "passport:client"
    summary = "Create an OAuth client (the secret is shown once)"
    options = (
        Option("name", "The client's name", prompt="Client name"),
        Option("redirect-uri", "An exact redirect URI (repeatable)", "list"),
        Option("public", "A public client (no secret; PKCE required)", "bool"),
        Option(
            "grant",
            "Grant(s): authorization_code, refresh_token, client_credentials, device, password",
            "list",
        ),
        Option("scope", "Scopes the client may request (default: every scope)", "list"),
        Option("first-party", "Trusted first-party client: no consent page", "bool"),
        Option("personal", "The personal access client (for passport:token)", "bool"),
    )

    async def handle(self, ctx: CommandContext) -> CommandResult:
        core = _core(ctx)
        name = ctx.option("name") or ctx.prompt.ask("Client name", field="name")
        grants = []
        for grant in ctx.option("grant") or []:
            if grant not in GRANT_NAMES:
                raise CommandError(
                    f'Unknown grant "{grant}": use authorization_code, refresh_token, '
                    "client_credentials, device or password."
                )
            grants.append(GRANT_NAMES[grant])
        if ctx.dry_run:
            return CommandResult.success(f"Would create the OAuth client {name}.")
        issued = await core.create_client(
            name,
            redirect_uris=ctx.option("redirect_uri") or [],
            grants=grants or None,
            scopes=ctx.option("scope") or [],
            public=bool(ctx.option("public")),
            first_party=bool(ctx.option("first_party")),
            personal_access=bool(ctx.option("personal")),
        )
        if not ctx.json:
            ctx.output.success(f"Client {issued.client.name} created.")
            ctx.output.line(f"Client ID: {issued.client.id}")
            if issued.secret:
                ctx.output.line(f"Client secret: {issued.secret}")
                ctx.output.warning("Store the secret now: it is not shown again.")
        return CommandResult.success(f"Client {issued.client.id} created.", issued.to_dict())


class ClientsCommand(Command):
    """List the clients (never their secrets)."""

    name = "passport:clients"
    summary = "List OAuth clients"

    async def handle(self, ctx: CommandContext) -> CommandResult:
        clients = [c.summary() for c in await _core(ctx).store.clients()]
        if not ctx.json:
            ctx.output.table(
                ["id", "name", "type", "grants", "redirect URIs", "revoked"],
                [
                    [
                        c["id"],
                        c["name"],
                        "public" if c["public"] else "confidential",
                        ", ".join(c["grants"]),
                        ", ".join(c["redirect_uris"]),
                        "yes" if c["revoked"] else "no",
                    ]
                    for c in clients
                ],
            )
        return CommandResult.success(f"{len(clients)} client(s).", clients)


class RevokeCommand(Command):
    """Revoke a client and every token it holds."""

    name = "passport:revoke"
    summary = "Revoke an OAuth client and all its tokens"
    arguments = (Argument("client", "The client id"),)

    async def handle(self, ctx: CommandContext) -> CommandResult:
        client_id = str(ctx.argument("client"))
        if ctx.dry_run:
            return CommandResult.success(f"Would revoke the client {client_id}.")
        client = await _core(ctx).revoke_client(client_id)
        return CommandResult.success(
            f"Client {client.id} ({client.name}) revoked.", client.summary()
        )


class TokenCommand(Command):
    """Create a personal access token (a JWT access token) for a user; shown once."""

    name = "passport:token"
    summary = "Create a personal access token for a user (shown once)"
    arguments = (Argument("user", "The user's id"),)
    options = (
        Option("name", "What the token is for", default="Personal Access Token"),
        Option("scope", "Scopes (repeatable; * for every ability)", "list"),
        Option(
            "expires-in",
            "Lifetime in seconds (default OAUTH_PERSONAL_ACCESS_TOKEN_LIFETIME)",
            "int",
        ),
    )

    async def handle(self, ctx: CommandContext) -> CommandResult:
        core = _core(ctx)
        user_id = str(ctx.argument("user"))
        if core.user_provider is not None and await core.find_user(user_id) is None:
            raise CommandError(f'No user has the id "{user_id}"; list them with auth:users.')
        if ctx.dry_run:
            return CommandResult.success(f"Would create a personal access token for {user_id}.")
        expires_in = ctx.option("expires_in")
        if expires_in is not None and int(expires_in) <= 0:
            raise CommandError("--expires-in must be a positive number of seconds.")
        record, token = await core.issue_personal_token(
            user_id,
            str(ctx.option("name")),
            ctx.option("scope") or [],
            expires_in=int(expires_in) if expires_in else None,
        )
        data = {
            "id": record.id,
            "user_id": record.user_id,
            "name": record.name,
            "scopes": record.scopes,
            "expires_at": record.expires_at.isoformat() if record.expires_at else None,
            "token": token,
        }
        if not ctx.json:
            ctx.output.line(token)
            ctx.output.warning("Store the token now: it is not shown again.")
        return CommandResult.success(f"Personal access token {record.id} created.", data)


class PurgeCommand(Command):
    """Delete revoked and/or expired codes and tokens (both when neither flag is given)."""

    name = "passport:purge"
    summary = "Delete revoked and expired OAuth codes and tokens"
    options = (
        Option("revoked", "Only revoked ones", "bool"),
        Option("expired", "Only expired ones", "bool"),
    )

    async def handle(self, ctx: CommandContext) -> CommandResult:
        revoked, expired = bool(ctx.option("revoked")), bool(ctx.option("expired"))
        if not revoked and not expired:
            revoked = expired = True
        if ctx.dry_run:
            return CommandResult.success("Would purge OAuth codes and tokens.")
        counts = await _core(ctx).purge(revoked=revoked, expired=expired)
        total = sum(counts.values())
        return CommandResult.success(f"Purged {total} row(s).", counts)
