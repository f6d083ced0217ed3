"""OWASP ASVS 4.0 chapter V3 (session management) and the CSRF, session-fixation and
cookie attack tests, on every session driver; plus sessions shared by two application
instances (and surviving a restart) on one database and one Redis."""

from __future__ import annotations

import base64
import re

import pytest
from conftest import PASSWORD

from foundry.auth_scaffolding.tokens import digest
from foundry.domain.clock import FrozenClock

COOKIE = "foundry_session"


def cookie_header(response, name: str = COOKIE) -> str:
    for value in response.headers.get_list("set-cookie"):
        if value.startswith(f"{name}="):
            return value
    raise AssertionError(f"no {name} cookie set")


@pytest.fixture(params=["database", "memory", "redis"])
def driver_env(request, redis_url_if_needed) -> dict[str, str]:
    env = {"SESSION_DRIVER": request.param}
    if request.param == "redis":
        env["REDIS_URL"] = redis_url_if_needed()
    return env


@pytest.fixture
def redis_url_if_needed(request, session_prefix):
    def need() -> str:
        request.getfixturevalue("redis_url")
        return "redis://127.0.0.1:6379/0"

    return need


async def test_v3_2_2_session_ids_carry_at_least_128_bits(make_site):
    async with make_site() as site:
        response = await site.register()
        value = cookie_header(response).split(";")[0].split("=", 1)[1]
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
        assert len(raw) * 8 >= 128
        assert len(raw) == 32  # 256 bits


async def test_v3_2_1_session_fixation_login_rotates_the_session_id(
    make_site, driver_env, session_prefix
):
    async with make_site(env=driver_env, **{"session.prefix": session_prefix}) as site:
        await site.register()
        await site.http.post("/auth/logout", data={"_token": await site.form_token("/auth/user")})
        await site.http.get("/auth/login")
        planted = site.http.cookies[COOKIE]  # the id an attacker could have planted
        response = await site.login()
        assert response.status_code == 303
        after = site.http.cookies[COOKIE]
        assert after != planted
        store = site.services().store
        assert await store.read(digest(planted)) is None
        record = await store.read(digest(after))
        assert record is not None
        assert record.user_id is not None
        site.http.cookies.clear()
        site.http.cookies.set(COOKIE, planted)
        assert (await site.json("GET", "/me")).status_code == 401


async def test_v3_2_3_stores_never_hold_the_cookie_value(make_site):
    async with make_site() as site:
        await site.register()
        raw = site.http.cookies[COOKIE]
        from sqlmodel import select

        from foundry.auth_scaffolding.models import SessionRow

        async with site.services().users.database.session() as db:
            rows = (await db.exec(select(SessionRow))).all()
        assert rows
        assert all(row.token != raw for row in rows)
        assert digest(raw) in {row.token for row in rows}


async def test_v3_4_cookie_flags_httponly_samesite_and_secure_on_https(make_site):
    async with make_site(base_url="https://app.test") as site:
        header = cookie_header(await site.register())
        assert "HttpOnly" in header
        assert "SameSite=Lax" in header
        assert "Secure" in header
        assert "Path=/" in header
        assert "Max-Age" not in header  # without remember-me: a browser-session cookie


async def test_v3_4_cookie_is_secure_when_configured_even_over_http(make_site):
    async with make_site(
        env={"SESSION_SECURE_COOKIE": "true", "SESSION_SAME_SITE": "strict"}
    ) as site:
        header = cookie_header(await site.http.get("/auth/login"))
        assert "Secure" in header
        assert "SameSite=Strict" in header


async def test_v3_remember_me_sets_a_persistent_cookie_of_the_remember_lifetime(make_site):
    async with make_site(env={"AUTH_REMEMBER_LIFETIME": "86400"}) as site:
        await site.register()
        await site.http.post("/auth/logout", data={"_token": await site.form_token("/auth/user")})
        header = cookie_header(await site.login(remember="1"))
        max_age = int(re.search(r"Max-Age=(\d+)", header).group(1))
        assert 86000 < max_age <= 86400


async def test_v3_3_1_logout_invalidates_the_session_on_the_server(
    make_site, driver_env, session_prefix
):
    async with make_site(env=driver_env, **{"session.prefix": session_prefix}) as site:
        await site.register()
        old = site.http.cookies[COOKIE]
        response = await site.http.post(
            "/auth/logout", data={"_token": await site.form_token("/auth/user")}
        )
        assert response.status_code == 303
        assert await site.services().store.read(digest(old)) is None
        site.http.cookies.clear()
        site.http.cookies.set(COOKIE, old)
        assert (await site.json("GET", "/me")).status_code == 401


async def test_v3_3_2_sessions_expire_after_idle_time_and_absolute_lifetime(make_site):
    clock = FrozenClock()
    env = {"SESSION_LIFETIME": "10", "AUTH_SESSION_LIFETIME": "1800"}
    async with make_site(clock=clock, env=env) as site:
        await site.register()
        for _ in range(2):  # activity keeps an idle timeout from running out ...
            clock.advance(9 * 60)
            assert (await site.json("GET", "/me")).status_code == 200
        clock.advance(10 * 60)  # ... but not the absolute lifetime (30 min after login)
        assert (await site.json("GET", "/me")).status_code == 401
        await site.http.get("/auth/login")
        await site.login()
        clock.advance(10 * 60)  # idle for the whole idle lifetime
        assert (await site.json("GET", "/me")).status_code == 401


async def test_v3_3_4_logout_other_devices_ends_only_the_other_sessions(
    make_site, base, driver_env, session_prefix
):
    async with make_site(env=driver_env, **{"session.prefix": session_prefix}) as phone:
        await phone.register()
        phone_cookie = phone.http.cookies[COOKIE]
        phone.http.cookies.clear()
        await phone.login()
        laptop_cookie = phone.http.cookies[COOKIE]
        listed = await phone.json("GET", "/auth/user/sessions")
        assert len(listed.json()["data"]) == 2
        token = await phone.form_token("/auth/user/sessions")
        wrong = await phone.http.post(
            "/auth/user/sessions/logout-others", data={"_token": token, "password": "nope nope"}
        )
        assert wrong.status_code == 422
        done = await phone.post_form(
            "/auth/user/sessions/logout-others",
            {"password": PASSWORD},
            token_from="/auth/user/sessions",
        )
        assert done.status_code == 303
        assert (await phone.json("GET", "/me")).status_code == 200  # this device stays in
        assert phone.http.cookies[COOKIE] != laptop_cookie  # under a new id
        phone.http.cookies.clear()
        phone.http.cookies.set(COOKIE, phone_cookie)
        assert (await phone.json("GET", "/me")).status_code == 401


async def test_v3_5_session_of_a_changed_password_ends_on_every_other_device(make_site):
    async with make_site() as site:
        await site.register()
        first = site.http.cookies[COOKIE]
        site.http.cookies.clear()
        await site.login()
        new = "a brand new passphrase"
        body = {"current_password": PASSWORD, "password": new, "password_confirmation": new}
        assert (
            await site.post_form("/auth/user/password", body, token_from="/auth/user")
        ).status_code == 303
        site.http.cookies.clear()
        site.http.cookies.set(COOKIE, first)
        assert (await site.json("GET", "/me")).status_code == 401


# --- CSRF ---------------------------------------------------------------------------------

STATE_CHANGING_FORMS = [
    "/auth/register",
    "/auth/login",
    "/auth/logout",
    "/auth/password/forgot",
    "/auth/password/reset",
    "/auth/two-factor-challenge",
    "/auth/confirm-password",
    "/auth/email/resend",
    "/auth/user/profile",
    "/auth/user/password",
    "/auth/user/sessions/logout-others",
    "/auth/user/tokens",
    "/auth/user/tokens/00000000-0000-0000-0000-000000000000/delete",
    "/auth/user/two-factor/enable",
    "/auth/user/two-factor/confirm",
    "/auth/user/two-factor/disable",
    "/auth/user/two-factor/recovery-codes",
]


@pytest.mark.parametrize("path", STATE_CHANGING_FORMS)
async def test_csrf_every_state_changing_form_refuses_a_post_without_the_token(make_site, path):
    async with make_site(env={"AUTH_ENABLE_TWO_FACTOR": "true"}) as site:
        await site.register()
        fields = {"email": "ada@example.com", "password": PASSWORD, "name": "Eve"}
        missing = await site.http.post(path, data=fields)
        forged = await site.http.post(
            path, data={**fields, "_token": "forged-token-from-another-site"}
        )
        for response in (missing, forged):
            assert response.status_code == 419, (path, response.status_code)
            assert "Page expired" in response.text
        user = await site.services().users.find_by_email("ada@example.com")
        assert user.name == "Ada"  # nothing changed


async def test_csrf_on_login_a_cross_site_form_post_without_a_session_is_refused(make_site):
    async with make_site() as site:
        await site.register()
        site.http.cookies.clear()
        response = await site.http.post(
            "/auth/login", data={"email": "ada@example.com", "password": PASSWORD}
        )
        assert response.status_code == 419
        assert COOKIE not in site.http.cookies or (await site.json("GET", "/me")).status_code == 401


async def test_csrf_json_with_a_session_cookie_needs_the_header(make_site):
    async with make_site() as site:
        await site.register()
        refused = await site.json("POST", "/auth/logout")
        assert refused.status_code == 419
        assert refused.json()["error"]["code"] == "CSRF_TOKEN_MISMATCH"
        token = (await site.json("GET", "/auth/csrf-token")).json()["csrf_token"]
        assert (
            await site.json("POST", "/auth/logout", headers={"x-csrf-token": token})
        ).status_code == 200


async def test_csrf_token_changes_with_the_session_id_on_login(make_site):
    async with make_site() as site:
        await site.register()
        await site.http.post("/auth/logout", data={"_token": await site.form_token("/auth/user")})
        before = await site.form_token("/auth/login")
        await site.http.post(
            "/auth/login", data={"email": "ada@example.com", "password": PASSWORD, "_token": before}
        )
        after = await site.form_token("/auth/user")
        assert after != before


# --- several instances, restarts -------------------------------------------------------------


@pytest.mark.parametrize("driver", ["database", "redis"])
async def test_sessions_are_shared_by_two_instances_and_survive_a_restart(
    make_site, database_url, driver, request, session_prefix
):
    env = {"SESSION_DRIVER": driver}
    if driver == "redis":
        env["REDIS_URL"] = request.getfixturevalue("redis_url")
    options = {"session.prefix": session_prefix}
    async with make_site(database=database_url, env=env, **options) as a:
        await a.register()
        cookie = a.http.cookies[COOKIE]
        async with make_site(database=database_url, env=env, migrate_first=False, **options) as b:
            b.http.cookies.set(COOKIE, cookie)
            assert (await b.json("GET", "/me")).json()["email"] == "ada@example.com"
    async with make_site(database=database_url, env=env, migrate_first=False, **options) as a2:
        a2.http.cookies.set(COOKIE, cookie)
        assert (await a2.json("GET", "/me")).status_code == 200  # after a restart
        async with make_site(database=database_url, env=env, migrate_first=False, **options) as b2:
            b2.http.cookies.set(COOKIE, cookie)
            token = (await b2.json("GET", "/auth/csrf-token")).json()["csrf_token"]
            assert (
                await b2.json("POST", "/auth/logout", headers={"x-csrf-token": token})
            ).status_code == 200
            assert (await a2.json("GET", "/me")).status_code == 401  # logged out on B, gone on A


async def test_api_tokens_verify_on_another_instance_and_after_a_restart(make_site, database_url):
    async with make_site(database=database_url) as a:
        await a.register()
        token = await a.form_token("/auth/user")
        issued = await a.json(
            "POST",
            "/auth/user/tokens",
            {"name": "ci", "abilities": ["posts:read"]},
            headers={"x-csrf-token": token},
        )
        plain = issued.json()["token"]
    async with make_site(database=database_url, migrate_first=False) as b:
        response = await b.json("GET", "/posts", headers={"authorization": f"Bearer {plain}"})
        assert response.status_code == 200
