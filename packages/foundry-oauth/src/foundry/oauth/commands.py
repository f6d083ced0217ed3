"""``oauth:providers`` and ``oauth:test PROVIDER``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from foundry.domain.commands import Argument, Command, CommandContext, CommandResult, ExitCode

if TYPE_CHECKING:
    from foundry.oauth.settings import OAuthSettings

__all__ = ["ProvidersCommand", "TestCommand"]


def _settings(ctx: CommandContext) -> OAuthSettings:
    from foundry.oauth.settings import OAuthSettings

    return ctx.app.make(OAuthSettings)


class ProvidersCommand(Command):
    """List the social login providers, their redirect URLs and what keeps any from working."""

    name = "oauth:providers"
    summary = "List social login providers, their callback URLs and configuration problems"

    def handle(self, ctx: CommandContext) -> CommandResult:
        from foundry.oauth.crypto import app_key_bytes
        from foundry.oauth.errors import ProviderMisconfigured
        from foundry.oauth.settings import REDIRECT_PATH

        settings = _settings(ctx)
        key_problem = None
        try:
            app_key_bytes(settings.app_key)
        except ProviderMisconfigured as exc:
            key_problem = exc.message
        rows: list[dict[str, Any]] = []
        for provider in settings.providers.values():
            problems = list(provider.problems) + ([key_problem] if key_problem else [])
            rows.append(
                {
                    "name": provider.name,
                    "driver": provider.driver,
                    "client_id": provider.client_id or None,
                    "secret": provider.client_secret is not None,
                    "scopes": list(provider.scopes),
                    "login_url": settings.app_url + REDIRECT_PATH.format(provider=provider.name),
                    "redirect_uri": provider.redirect_uri,
                    "discovery_url": provider.discovery_url,
                    "usable": not problems,
                    "problems": problems,
                }
            )
        for name in settings.invalid_names:
            problem = (
                f'"{name}" is not a valid provider name (lower-case letters, digits, - and _, '
                "starting with a letter)."
            )
            rows.append({"name": name, "usable": False, "problems": [problem]})
        if not rows:
            return CommandResult.success(
                "No social login provider is enabled: set OAUTH_PROVIDERS (github, google, "
                "facebook or an OpenID Connect issuer name).",
                [],
            )
        if not ctx.json:
            ctx.output.table(
                ["provider", "driver", "client id", "scopes", "redirect URI", "status"],
                [
                    [
                        row["name"],
                        row.get("driver", "-"),
                        row.get("client_id") or "-",
                        " ".join(row.get("scopes", [])),
                        row.get("redirect_uri", "-"),
                        "ok" if row["usable"] else "not usable",
                    ]
                    for row in rows
                ],
            )
            for row in rows:
                for problem in row["problems"]:
                    ctx.output.warning(f"{row['name']}: {problem}")
        usable = sum(1 for row in rows if row["usable"])
        return CommandResult.success(f"{usable} of {len(rows)} provider(s) usable.", rows)


class TestCommand(Command):
    """Check a provider: its metadata or discovery document, keys and client credentials."""

    name = "oauth:test"
    summary = "Fetch a provider's metadata / discovery document and check the configuration"
    arguments = (Argument("provider", "The provider name (as in OAUTH_PROVIDERS)"),)

    async def handle(self, ctx: CommandContext) -> CommandResult:
        from foundry.domain.clock import Clock
        from foundry.oauth.crypto import app_key_bytes
        from foundry.oauth.drivers import Finding, make_driver
        from foundry.oauth.errors import ProviderMisconfigured

        settings = _settings(ctx)
        provider = settings.provider(str(ctx.argument("provider")))
        findings: list[Finding] = []
        if provider.problems:
            findings.append(Finding("configuration", False, " ".join(provider.problems)))
        else:
            findings.append(Finding("configuration", True, f"client id {provider.client_id}"))
        try:
            app_key_bytes(settings.app_key)
            findings.append(Finding("app key", True, "state and token encryption keys derived"))
        except ProviderMisconfigured as exc:
            findings.append(Finding("app key", False, exc.message))
        if not provider.problems:
            driver = make_driver(provider, timeout=settings.http_timeout, clock=ctx.app.make(Clock))
            with ctx.output.spinner(f"Checking {provider.label}"):
                findings += await driver.diagnose()
        data = {
            "provider": provider.name,
            "redirect_uri": provider.redirect_uri,
            "checks": [f.to_dict() for f in findings],
            "usable": all(f.ok for f in findings),
        }
        if not ctx.json:
            ctx.output.table(
                ["check", "result", "detail"],
                [[f.check, "ok" if f.ok else "FAIL", f.detail] for f in findings],
                title=f"{provider.label} ({provider.name})",
            )
            ctx.output.line(f"Register this callback URL at the provider: {provider.redirect_uri}")
        if data["usable"]:
            return CommandResult.success(f"{provider.label} is configured and answering.", data)
        failed = ", ".join(f.check for f in findings if not f.ok)
        return CommandResult.failure(
            f"{provider.label} is not usable: {failed} failed.", data, exit_code=ExitCode.FAILURE
        )
