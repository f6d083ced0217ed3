"""End to end with foundry-auth-scaffolding's real session guard and users: log in at
/auth/login, consent at /oauth/authorize, then call a route guarded by its
``current_user`` with the OAuth access token (the ``auth.token_verifiers`` tag)."""

from __future__ import annotations

import io
from typing import Annotated, Any

import httpx
import pytest
from conftest import ISSUER, REDIRECT, pkce_pair, query_of
from fastapi import Depends
from starlette.requests import Request

from foundry.application import Application, create_app
from foundry.domain.application import CommandRunner
from foundry.domain.outputs import PlainOutput
from foundry.domain.provider import ServiceProvider

PASSWORD = "correct horse battery staple"


async def _current_user(request: Request) -> Any:
    from foundry.auth_scaffolding.guards import current_user

    return await current_user(request)


SignedIn = Annotated[Any, Depends(_current_user)]


class Guarded(ServiceProvider):
    name = "test-guarded"

    def routes(self, app):
        from fastapi import APIRouter

        router = APIRouter()

        @router.get("/whoami")
        async def whoami(user: SignedIn):
            return {"email": user.email}

        return [router]


@pytest.mark.parametrize("storage", ["database"])
async def test_login_consent_and_current_user_accept_oauth_tokens(base, monkeypatch, storage):
    pytest.importorskip("foundry.auth_scaffolding")
    from foundry.auth_scaffolding.flows.login import create_user
    from foundry.auth_scaffolding.provider import AuthServiceProvider
    from foundry.auth_scaffolding.services import AuthServices
    from foundry.infra.provider import InfraServiceProvider
    from foundry.oauth_server.provider import OAuthServerServiceProvider
    from foundry.oauth_server.service import OAuthServer

    monkeypatch.setenv("DATABASE_URL", "sqlite:///storage/database.sqlite")
    monkeypatch.setenv("OAUTH_ISSUER", ISSUER)
    monkeypatch.setenv("OAUTH_STORAGE", storage)
    app = Application(
        base,
        providers=[InfraServiceProvider, AuthServiceProvider, OAuthServerServiceProvider, Guarded],
        discover=False,
    )
    app.load()
    app.config.set("auth.hashing", {})
    api = create_app(application=app)
    async with api.router.lifespan_context(api):
        runner = app.make(CommandRunner)
        for command in ("migrate", "passport:keys"):
            ran = await runner.run(command, [], output=PlainOutput(io.StringIO(), io.StringIO()))
            assert ran.exit_code == 0, ran.error
        user = await create_user(
            app.make(AuthServices),
            name="Ada",
            email="ada@example.com",
            password=PASSWORD,
            confirmation=PASSWORD,
            verified=True,
        )
        client = await app.make(OAuthServer).create_client("Shop", redirect_uris=[REDIRECT])
        transport = httpx.ASGITransport(app=api)
        async with httpx.AsyncClient(transport=transport, base_url=ISSUER) as http:
            verifier, challenge = pkce_pair()
            params = {
                "response_type": "code",
                "client_id": client.client.id,
                "redirect_uri": REDIRECT,
                "scope": "openid email",
                "state": "s1",
                "code_challenge": challenge,
                "code_challenge_method": "S256",
            }
            first = await http.get("/oauth/authorize", params=params)
            assert first.status_code == 302
            assert first.headers["location"].startswith("/auth/login?next=%2Foauth%2Fauthorize")
            login = await http.post(
                "/auth/login",
                json={"email": "ada@example.com", "password": PASSWORD},
                headers={"accept": "application/json"},
            )
            assert login.status_code == 200, login.text
            page = await http.get("/oauth/authorize", params=params)
            assert page.status_code == 200, page.text
            import re

            fields = dict(
                re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page.text)
            )
            consent = await http.post("/oauth/authorize", data={**fields, "decision": "approve"})
            assert consent.status_code == 302, consent.text
            code = query_of(consent.headers["location"])["code"]
            tokens = await http.post(
                "/oauth/token",
                data={
                    "grant_type": "authorization_code",
                    "code": code,
                    "redirect_uri": REDIRECT,
                    "code_verifier": verifier,
                },
                auth=httpx.BasicAuth(client.client.id, client.secret or ""),
            )
            assert tokens.status_code == 200, tokens.text
            access = tokens.json()["access_token"]
        async with httpx.AsyncClient(transport=transport, base_url=ISSUER) as bare:
            whoami = await bare.get("/whoami", headers={"authorization": f"Bearer {access}"})
            assert whoami.status_code == 200, whoami.text
            assert whoami.json() == {"email": "ada@example.com"}
            info = await bare.get("/oauth/userinfo", headers={"authorization": f"Bearer {access}"})
            assert info.json()["sub"] == user.auth_identifier
            assert info.json()["email_verified"] is True
