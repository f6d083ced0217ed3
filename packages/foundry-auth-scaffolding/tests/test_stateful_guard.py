"""``StatefulGuard`` and ``UserRegistrar``: signing in and signing up for other packages (a
social login, a magic link) exactly as the password flows do."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from conftest import PASSWORD
from starlette.requests import Request

from foundry.domain.auth import StatefulGuard, UserRegistrar
from foundry.domain.errors import ValidationError
from foundry.domain.provider import ServiceProvider


class ExternalLogin(ServiceProvider):
    """A route that signs a user in by id, as a social login callback would."""

    name = "test-external-login"

    def routes(self, app):
        from fastapi import APIRouter
        from starlette.responses import JSONResponse

        from foundry.domain.auth import UserProvider

        router = APIRouter()

        @router.get("/external/{user_id}")
        async def external(user_id: str, request: Request):
            user = await app.make(UserProvider).retrieve_by_id(user_id)
            continue_at = await app.make(StatefulGuard).login(request, user, via="magic-link")
            return JSONResponse({"continue_at": continue_at})

        return [router]


async def test_the_guard_signs_the_user_in_under_a_new_session_id(make_site):
    async with make_site(providers=(ExternalLogin,)) as site:
        await site.register()
        await site.http.post("/auth/logout", data={"_token": await site.form_token("/auth/user")})
        await site.http.get("/auth/login")
        before = site.http.cookies.get("foundry_session")
        user = await site.services().users.find_by_email("ada@example.com")
        answer = await site.http.get(f"/external/{user.id}")
        assert answer.json() == {"continue_at": None}
        assert site.http.cookies.get("foundry_session") != before
        me = await site.http.get("/me")
        assert me.json()["email"] == "ada@example.com"
        [row] = [
            a for a in await site.services().users.activity(user.id) if a.activity_type == "login"
        ][:1]
        assert row.details["via"] == "magic-link"


async def test_the_guard_holds_a_two_factor_user_at_the_challenge(make_site):
    async with make_site(providers=(ExternalLogin,)) as site:
        await site.register()
        await site.http.post("/auth/logout", data={"_token": await site.form_token("/auth/user")})
        services = site.services()
        user = await services.users.find_by_email("ada@example.com")
        await services.users.update(
            user.id,
            two_factor_secret="JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
            two_factor_confirmed_at=datetime.now(UTC),
        )
        answer = await site.http.get(f"/external/{user.id}")
        assert answer.json() == {"continue_at": "/auth/two-factor-challenge"}
        me = await site.http.get("/me", headers={"accept": "application/json"})
        assert me.status_code == 401
        pending = await site.http.get(
            "/auth/two-factor-challenge", headers={"accept": "application/json"}
        )
        assert pending.json()["pending"] is True


async def test_the_registrar_creates_an_account_nobody_knows_the_password_of(make_site):
    async with make_site() as site:
        registrar = site.app.make(UserRegistrar)
        user = await registrar.create_user(
            name="  Grace   Hopper ", email="Grace@Example.com", email_verified=True
        )
        assert user.email == "grace@example.com"
        assert user.name == "Grace Hopper"
        assert user.is_verified
        assert user.password_hash.startswith("$argon2id$")
        refused = await site.login("grace@example.com", PASSWORD)
        assert "These credentials do not match our records." in refused.text


async def test_the_registrar_keeps_unverified_addresses_unverified(make_site):
    async with make_site() as site:
        user = await site.app.make(UserRegistrar).create_user(
            name="", email="anon@example.com", email_verified=False
        )
        assert user.name == "anon"
        assert not user.is_verified


async def test_the_registrar_refuses_a_taken_or_malformed_address(make_site):
    async with make_site() as site:
        await site.register()
        registrar = site.app.make(UserRegistrar)
        with pytest.raises(ValidationError) as taken:
            await registrar.create_user(name="Ada", email="ADA@example.com", email_verified=True)
        assert taken.value.fields == {"email": ["The email has already been taken."]}
        with pytest.raises(ValidationError):
            await registrar.create_user(name="x", email="not-an-address", email_verified=True)
        assert len(await site.services().users.all()) == 1


async def test_the_bound_objects_satisfy_the_domain_contracts(make_site):
    async with make_site() as site:
        assert isinstance(site.app.make(StatefulGuard), StatefulGuard)
        assert isinstance(site.app.make(UserRegistrar), UserRegistrar)
