"""``oauth:providers`` and ``oauth:test`` against the fake provider."""

from __future__ import annotations

from conftest import APP_URL
from fake_provider import CLIENT_ID, CLIENT_SECRET


async def test_oauth_providers_lists_each_provider_with_its_urls(fake, make_site):
    async with make_site(fake) as site:
        outcome, printed = await site.run("oauth:providers", format="json")
        assert outcome.exit_code == 0, outcome.error
        rows = {row["name"]: row for row in outcome.result.data}
        assert list(rows) == ["acme", "github"]
        acme = rows["acme"]
        assert acme["driver"] == "oidc"
        assert acme["redirect_uri"] == f"{APP_URL}/auth/oauth/acme/callback"
        assert acme["login_url"] == f"{APP_URL}/auth/oauth/acme/redirect"
        assert acme["usable"] is True
        assert acme["problems"] == []
        assert rows["github"]["scopes"] == ["read:user", "user:email"]
        assert CLIENT_SECRET not in printed


async def test_oauth_providers_names_what_keeps_a_provider_from_working(make_site):
    env = {"OAUTH_PROVIDERS": "google,Bad Name,acme", "OAUTH_GOOGLE_CLIENT_ID": "id"}
    async with make_site(None, env=env) as site:
        outcome, printed = await site.run("oauth:providers")
        assert outcome.exit_code == 0
        rows = {row["name"]: row for row in outcome.result.data}
        assert rows["google"]["problems"] == [
            "OAUTH_GOOGLE_CLIENT_SECRET is not set (the client secret Google issued)."
        ]
        assert any("OAUTH_ACME_DISCOVERY_URL is not set" in p for p in rows["acme"]["problems"])
        assert any("OAUTH_ACME_CLIENT_ID is not set" in p for p in rows["acme"]["problems"])
        assert "not a valid provider name" in rows["bad name"]["problems"][0]
        assert "OAUTH_GOOGLE_CLIENT_SECRET is not set" in printed
        assert outcome.result.message == "0 of 3 provider(s) usable."


async def test_oauth_providers_without_any_says_how_to_enable_one(make_site):
    async with make_site(None) as site:
        outcome, _ = await site.run("oauth:providers")
        assert outcome.exit_code == 0
        assert "set OAUTH_PROVIDERS" in (outcome.result.message or "")


async def test_oauth_test_checks_discovery_keys_scopes_and_credentials(fake, make_site):
    async with make_site(fake) as site:
        outcome, printed = await site.run("oauth:test", "acme", format="json")
        assert outcome.exit_code == 0, (outcome.error, printed)
        checks = {c["check"]: c for c in outcome.result.data["checks"]}
        assert set(checks) == {
            "configuration",
            "app key",
            "discovery",
            "pkce",
            "jwks",
            "scopes",
            "credentials",
        }
        assert all(c["ok"] for c in checks.values())
        assert checks["discovery"]["detail"].endswith(f"(issuer {fake.base_url})")
        assert checks["pkce"]["detail"] == "S256 supported"
        assert checks["jwks"]["detail"] == "1 signing key(s)"
        assert "accepted the client id and secret" in checks["credentials"]["detail"]


async def test_oauth_test_reports_rejected_credentials(fake, make_site):
    async with make_site(fake, env={"OAUTH_ACME_CLIENT_SECRET": "wrong"}) as site:
        outcome, _ = await site.run("oauth:test", "acme", format="json")
        assert outcome.exit_code == 1
        assert outcome.error == "acme is not usable: credentials failed."
        checks = {c["check"]: c for c in outcome.result.data["checks"]}
        assert (
            "rejected the client id or secret (invalid_client)" in checks["credentials"]["detail"]
        )


async def test_oauth_test_refuses_a_discovery_document_of_another_issuer(fake, make_site):
    url = f"{fake.base_url}/.well-known/openid-configuration"
    env = {"OAUTH_ACME_DISCOVERY_URL": url.replace("127.0.0.1", "localhost")}
    async with make_site(fake, env=env) as site:
        outcome, _ = await site.run("oauth:test", "acme", format="json")
        assert outcome.exit_code == 1
        [discovery] = [c for c in outcome.result.data["checks"] if c["check"] == "discovery"]
        assert discovery["ok"] is False
        assert f"its issuer '{fake.base_url}' is not" in discovery["detail"]


async def test_oauth_test_reports_an_unreachable_issuer(make_site):
    env = {
        "OAUTH_PROVIDERS": "acme",
        "OAUTH_ACME_CLIENT_ID": CLIENT_ID,
        "OAUTH_ACME_DISCOVERY_URL": "http://127.0.0.1:9/.well-known/openid-configuration",
    }
    async with make_site(None, env=env) as site:
        outcome, _ = await site.run("oauth:test", "acme", format="json")
        assert outcome.exit_code == 1
        [discovery] = [c for c in outcome.result.data["checks"] if c["check"] == "discovery"]
        assert "did not answer with JSON (ConnectError" in discovery["detail"]


async def test_oauth_test_checks_github_credentials(fake, make_site):
    async with make_site(fake) as site:
        outcome, _ = await site.run("oauth:test", "github", format="json")
        assert outcome.exit_code == 0, outcome.error
        checks = {c["check"]: c for c in outcome.result.data["checks"]}
        assert checks["api"]["ok"]
        assert checks["credentials"]["detail"] == "GitHub accepted the client id and secret"


async def test_oauth_test_of_an_unknown_provider_names_the_enabled_ones(fake, make_site):
    async with make_site(fake) as site:
        outcome, _ = await site.run("oauth:test", "gitlab")
        assert outcome.exit_code == 1
        assert outcome.error == (
            'Social login provider "gitlab" is not enabled (enabled: acme, github); add it '
            "to OAUTH_PROVIDERS."
        )


async def test_oauth_test_reports_a_missing_app_key(fake, make_site):
    async with make_site(fake, env={"APP_KEY": ""}) as site:
        outcome, _ = await site.run("oauth:test", "acme", format="json")
        assert outcome.exit_code == 1
        [key] = [c for c in outcome.result.data["checks"] if c["check"] == "app key"]
        assert "APP_KEY is not set" in key["detail"]
        assert "foundry key:generate" in key["detail"]
