"""OWASP ASVS 4.0 chapter V4 (access control) as far as authentication decides it: the
guards, bearer tokens and their abilities, and redirects that stay on this site."""

from __future__ import annotations

from datetime import timedelta

from foundry.auth_scaffolding.api_tokens import PREFIX
from foundry.domain.clock import FrozenClock


async def issue(site, abilities=("posts:read",), **extra) -> str:
    token = await site.form_token("/auth/user")
    body = {"name": "cli", "abilities": list(abilities), **extra}
    response = await site.json("POST", "/auth/user/tokens", body, headers={"x-csrf-token": token})
    assert response.status_code == 201, response.text
    plain = response.json()["token"]
    assert plain.startswith(PREFIX)
    assert len(plain) >= 40
    return plain


async def test_v4_1_1_guards_refuse_anonymous_requests_with_401_and_send_browsers_to_login(
    make_site,
):
    async with make_site() as site:
        api = await site.json("GET", "/me")
        assert api.status_code == 401
        assert api.json()["error"]["code"] == "UNAUTHENTICATED"
        assert api.headers["www-authenticate"] == "Bearer"
        browser = await site.http.get("/auth/user?tab=1")
        assert browser.status_code == 303
        assert browser.headers["location"] == "/auth/login?next=%2Fauth%2Fuser%3Ftab%3D1"
        assert (await site.http.get("/public")).status_code == 200


async def test_v4_1_3_bearer_tokens_hold_only_their_abilities(make_site):
    async with make_site() as site:
        await site.register()
        reader = await issue(site, ("posts:read",))
        writer = await issue(site, ("posts:write",))
        site.http.cookies.clear()
        assert (
            await site.json("GET", "/posts", headers={"authorization": f"Bearer {reader}"})
        ).status_code == 200
        refused = await site.json("GET", "/posts", headers={"authorization": f"Bearer {writer}"})
        assert refused.status_code == 403
        assert refused.json()["error"]["code"] == "MISSING_ABILITY"


async def test_v4_1_3_session_users_hold_every_ability(make_site):
    async with make_site() as site:
        await site.register()
        assert (await site.json("GET", "/posts")).status_code == 200


async def test_v4_api_tokens_are_stored_hashed_and_revocation_is_immediate(make_site):
    from sqlmodel import select

    from foundry.auth_scaffolding.models import PersonalAccessToken

    async with make_site() as site:
        await site.register()
        plain = await issue(site)
        async with site.services().users.database.session() as db:
            rows = (await db.exec(select(PersonalAccessToken))).all()
        assert [row.token for row in rows] != [plain]
        assert len(rows[0].token) == 64
        listed = (await site.json("GET", "/auth/user/tokens")).json()["data"]
        assert listed[0]["abilities"] == ["posts:read"]
        assert "token" not in listed[0]
        bearer = {"authorization": f"Bearer {plain}"}
        assert (await site.json("GET", "/me", headers=bearer)).status_code == 200  # now cached
        token = await site.form_token("/auth/user")
        deleted = await site.json(
            "DELETE", f"/auth/user/tokens/{listed[0]['id']}", headers={"x-csrf-token": token}
        )
        assert deleted.status_code == 200
        site.http.cookies.clear()
        assert (await site.json("GET", "/me", headers=bearer)).status_code == 401


async def test_v4_expired_api_tokens_are_refused(make_site):
    clock = FrozenClock()
    env = {"AUTH_SESSION_LIFETIME": "864000", "SESSION_LIFETIME": "14400"}
    async with make_site(clock=clock, env=env) as site:
        await site.register()
        plain = await issue(site, expires_in_days=1)
        site.http.cookies.clear()
        bearer = {"authorization": f"Bearer {plain}"}
        assert (await site.json("GET", "/me", headers=bearer)).status_code == 200
        clock.advance(timedelta(days=1).total_seconds())
        response = await site.json("GET", "/me", headers=bearer)
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "INVALID_TOKEN"


async def test_v4_unknown_bearer_tokens_are_refused(make_site):
    async with make_site() as site:
        for token in (PREFIX + "x" * 43, "not-even-ours"):
            response = await site.json("GET", "/me", headers={"authorization": f"Bearer {token}"})
            assert response.status_code == 401


async def test_v4_account_settings_need_a_session_not_a_token(make_site):
    async with make_site() as site:
        await site.register()
        plain = await issue(site, ("*",))
        site.http.cookies.clear()
        bearer = {"authorization": f"Bearer {plain}"}
        assert (await site.json("GET", "/auth/user", headers=bearer)).status_code == 200
        refused = await site.json("POST", "/auth/user/tokens", {"name": "escalate"}, headers=bearer)
        assert refused.status_code == 403
        assert refused.json()["error"]["code"] == "SESSION_REQUIRED"


async def test_v4_require_verified_refuses_unverified_users(make_site):
    async with make_site() as site:
        await site.register()
        refused = await site.json("GET", "/verified-only")
        assert refused.status_code == 403
        assert refused.json()["error"]["code"] == "EMAIL_NOT_VERIFIED"
        browser = await site.http.get("/verified-only")
        assert browser.headers["location"] == "/auth/email/verify"


async def test_v4_require_email_verification_gates_the_account_area(make_site):
    async with make_site(env={"AUTH_REQUIRE_EMAIL_VERIFICATION": "true"}) as site:
        registered = await site.register()
        assert registered.headers["location"] == "/auth/email/verify"
        assert (await site.json("GET", "/auth/user")).status_code == 403
        assert (await site.http.get("/auth/email/verify")).status_code == 200


async def test_v4_require_password_confirmed_expires(make_site):
    clock = FrozenClock()
    env = {"AUTH_SESSION_LIFETIME": "864000", "SESSION_LIFETIME": "14400"}
    async with make_site(clock=clock, env=env) as site:
        await site.register()
        assert (await site.json("GET", "/billing")).status_code == 200  # login confirms
        clock.advance(3 * 3600)
        refused = await site.json("GET", "/billing")
        assert refused.status_code == 423
        page = await site.http.get("/billing")
        assert page.headers["location"] == "/auth/confirm-password?next=%2Fbilling"


async def test_v4_redirect_targets_stay_on_this_site(make_site):
    async with make_site() as site:
        await site.register()
        await site.http.post("/auth/logout", data={"_token": await site.form_token("/auth/user")})
        for target in ("https://evil.example", "//evil.example", "/\\evil.example"):
            response = await site.login(next=target)
            assert response.headers["location"] == "/auth/user"
            await site.http.post(
                "/auth/logout", data={"_token": await site.form_token("/auth/user")}
            )
        response = await site.login(next="/auth/user/tokens")
        assert response.headers["location"] == "/auth/user/tokens"
