"""Signing in through Foundry's own OAuth server acting as the OpenID Connect issuer.

One application runs both: ``foundry-oauth-server`` (the issuer, its keys from
``passport:keys``, the client registered with ``passport:client``) and this package (the
relying party), with ``foundry-auth-scaffolding`` for users and sessions. It is served for
real on a free port and reached under two host names — the issuer as ``127.0.0.1``, the
application as ``localhost`` — so the browser keeps one session per side, as it would with
two sites. The browser signs in at the issuer with a password, consents, and comes back
signed in to the application; the back channel (discovery, token, JWKS, userinfo) goes
over HTTP from the application to the issuer.
"""

from __future__ import annotations

import io
import re
import socket
from urllib.parse import urljoin

import httpx2
from conftest import APP_KEY, PASSWORD, Browser, Pages, query_of
from fake_provider import serve

from foundry.application import Application, create_app
from foundry.auth_scaffolding.provider import AuthServiceProvider
from foundry.domain.application import CommandRunner
from foundry.domain.outputs import PlainOutput
from foundry.infra.provider import InfraServiceProvider
from foundry.oauth.provider import OAuthServiceProvider
from foundry.oauth_server.provider import OAuthServerServiceProvider


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _hidden_fields(html: str) -> dict[str, str]:
    fields = {}
    for tag in re.findall(r"<input[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name and 'type="hidden"' in tag:
            fields[name.group(1)] = value.group(1).replace("&amp;", "&") if value else ""
    return fields


async def _command(app: Application, name: str, *argv: str) -> dict:
    out = io.StringIO()
    outcome = await app.make(CommandRunner).run(
        name, list(argv), output=PlainOutput(out, out), format="json"
    )
    assert outcome.exit_code == 0, (name, outcome.error, out.getvalue())
    return outcome.result.data or {}


async def test_sign_in_to_the_app_through_foundrys_own_oidc_issuer(tmp_path, monkeypatch):
    port = _free_port()
    issuer, site = f"http://127.0.0.1:{port}", f"http://localhost:{port}"
    callback = f"{site}/auth/oauth/foundry/callback"
    for key, value in {
        "APP_URL": site,
        "APP_KEY": APP_KEY,
        "DATABASE_URL": "sqlite:///storage/database.sqlite",
        "OAUTH_ISSUER": issuer,
        "OAUTH_PROVIDERS": "foundry",
        "OAUTH_FOUNDRY_DISCOVERY_URL": f"{issuer}/.well-known/openid-configuration",
    }.items():
        monkeypatch.setenv(key, value)
    app = Application(
        tmp_path,
        providers=[
            InfraServiceProvider,
            AuthServiceProvider,
            OAuthServerServiceProvider,
            OAuthServiceProvider,
            Pages,
        ],
        discover=False,
    )
    app.load()
    app.config.set("auth.hashing", {})
    api = create_app(application=app)
    async with serve(api, port=port, lifespan="on") as served:
        assert served == issuer
        await _command(app, "migrate")
        await _command(app, "passport:keys")
        registered = await _command(
            app, "passport:client", "--name", "The shop", "--redirect-uri", callback
        )
        app.config.set("services.foundry.client_id", registered["id"])
        app.config.set("services.foundry.client_secret", registered["secret"])
        await _command(
            app,
            "make:user",
            "--name",
            "Ada Lovelace",
            "--email",
            "ada@example.com",
            "--password",
            PASSWORD,
        )

        checked = await _command(app, "oauth:test", "foundry")
        assert checked["usable"] is True, checked

        async with httpx2.AsyncClient(timeout=30) as http:
            browser = Browser(http)
            start = await browser.get(f"{site}/auth/oauth/foundry/redirect")
            assert start.status_code == 302, start.text
            authorize = start.headers["location"]
            assert authorize.startswith(f"{issuer}/oauth/authorize?")
            sent = query_of(authorize)
            assert sent["code_challenge_method"] == "S256"
            assert sent["nonce"]

            # At the issuer: not signed in there yet, so to its login page first.
            to_login = await browser.get(authorize)
            assert to_login.status_code in (302, 303), to_login.text
            login_url = urljoin(authorize, to_login.headers["location"])
            form = await browser.get(login_url)
            fields = _hidden_fields(form.text)
            signed = await http.post(
                f"{issuer}/auth/login",
                data={**fields, "email": "ada@example.com", "password": PASSWORD},
            )
            assert signed.status_code in (302, 303), signed.text
            consent_page = await browser.get(urljoin(issuer, signed.headers["location"]))
            assert consent_page.status_code == 200, consent_page.text
            consent = await http.post(
                f"{issuer}/oauth/authorize",
                data={**_hidden_fields(consent_page.text), "decision": "approve"},
            )
            assert consent.status_code == 302, consent.text
            back = consent.headers["location"]
            assert back.startswith(f"{callback}?code=")

            # Back at the application, which has no session of its own yet.
            assert (
                await browser.get(f"{site}/me", headers={"accept": "application/json"})
            ).status_code == 401
            done = await browser.follow(back)
            assert str(done.url) == f"{site}/"
            me = await browser.get(f"{site}/me", headers={"accept": "application/json"})
            assert me.status_code == 200, me.text
            assert me.json()["email"] == "ada@example.com"

            from foundry.oauth.identities import IdentityRepository

            [identity] = await app.make(IdentityRepository).for_user(me.json()["id"])
            assert identity.provider == "foundry"
            assert identity.provider_user_id == me.json()["id"]  # the issuer's sub
            tokens = app.make(IdentityRepository).tokens(identity)
            assert tokens is not None
            assert tokens.refresh_token is not None
            assert tokens.access_token not in identity.access_token

            # The issuer's access token we hold works against the issuer's userinfo.
            info = await http.get(
                f"{issuer}/oauth/userinfo",
                headers={"authorization": f"Bearer {tokens.access_token}"},
            )
            assert info.status_code == 200
            assert info.json()["sub"] == me.json()["id"]
