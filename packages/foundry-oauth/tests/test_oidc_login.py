"""Signing in with an OpenID Connect issuer, end to end against the fake provider served
over HTTP: the browser is sent to the issuer with state, PKCE and nonce, comes back, and
is signed in to an account made (then reused) from the verified identity."""

from __future__ import annotations

import base64
import hashlib

from conftest import APP_URL, query_of

from foundry.oauth.state import cookie_name


async def test_first_sign_in_creates_a_verified_user_and_signs_them_in(fake, make_site):
    async with make_site(fake) as site:
        done = await site.browser.sign_in()
        assert done.status_code == 404  # the app has no "/" page; the redirect went there
        assert str(done.url) == f"{APP_URL}/"
        me = await site.browser.me()
        assert me.status_code == 200, me.text
        assert me.json()["email"] == "ada@example.com"
        assert me.json()["verified"] is True
        users = await site.users()
        assert [u.email for u in users] == ["ada@example.com"]
        assert users[0].name == "Ada Lovelace"
        [identity] = await site.identities()
        assert (identity.provider, identity.provider_user_id) == ("acme", "acme-user-1")
        assert identity.user_id == str(users[0].id)
        assert identity.avatar == "https://cdn.example.com/ada.png"  # from userinfo


async def test_second_sign_in_reuses_the_account_and_its_identity(fake, make_site):
    async with make_site(fake) as site:
        await site.browser.sign_in()
        first = (await site.browser.me()).json()["id"]
        other = site.browser_like()
        await other.sign_in()
        assert (await other.me()).json()["id"] == first
        assert len(await site.users()) == 1
        assert len(await site.identities()) == 1


async def test_the_redirect_carries_state_pkce_s256_and_a_nonce(fake, make_site):
    async with make_site(fake) as site:
        start = await site.browser.start()
        sent = query_of(start.headers["location"])
        assert start.headers["location"].startswith(f"{fake.base_url}/authorize?")
        assert sent["response_type"] == "code"
        assert sent["client_id"] == "foundry-app"
        assert sent["redirect_uri"] == f"{APP_URL}/auth/oauth/acme/callback"
        assert set(sent["scope"].split()) == {"openid", "email", "profile"}
        assert len(sent["state"]) >= 43
        assert len(sent["nonce"]) >= 43
        assert sent["code_challenge_method"] == "S256"
        assert len(sent["code_challenge"]) == 43


async def test_the_code_exchange_sends_the_verifier_matching_the_challenge(fake, make_site):
    async with make_site(fake) as site:
        await site.browser.sign_in()
        challenge = fake.authorize_requests[-1]["code_challenge"]
        [exchange] = fake.token_requests
        verifier = exchange["code_verifier"]
        assert 43 <= len(verifier) <= 128
        digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
        assert digest.rstrip(b"=").decode() == challenge
        assert exchange["redirect_uri"] == f"{APP_URL}/auth/oauth/acme/callback"
        assert exchange["grant_type"] == "authorization_code"


async def test_state_cookie_is_httponly_lax_scoped_to_the_callback_and_unreadable(fake, make_site):
    async with make_site(fake) as site:
        start = await site.browser.start()
        header = start.headers["set-cookie"]
        assert header.startswith(cookie_name("acme") + "=v1.")
        lowered = header.lower()
        assert "httponly" in lowered
        assert "samesite=lax" in lowered
        assert "path=/auth/oauth/acme/callback" in lowered
        assert "max-age=600" in lowered
        sent = query_of(start.headers["location"])
        value = site.browser.cookie(cookie_name("acme"))
        assert value is not None
        assert sent["state"] not in value
        assert sent["nonce"] not in value


async def test_the_flow_cookie_is_cleared_when_the_sign_in_completes(fake, make_site):
    async with make_site(fake) as site:
        start = await site.browser.start()
        back = await site.browser.at_provider(start)
        callback = await site.browser.get(back.headers["location"])
        assert callback.status_code == 302
        assert callback.headers["location"] == "/"
        cleared = [
            h for h in callback.headers.get_list("set-cookie") if h.startswith(cookie_name("acme"))
        ]
        assert cleared
        assert "max-age=0" in cleared[0].lower()
        assert site.browser.cookie(cookie_name("acme")) is None


async def test_redirect_after_login_is_configurable(fake, make_site):
    async with make_site(fake, env={"OAUTH_REDIRECT_AFTER_LOGIN": "/me"}) as site:
        done = await site.browser.sign_in()
        assert str(done.url) == f"{APP_URL}/me"
        assert done.json()["email"] == "ada@example.com"


async def test_a_json_client_gets_the_outcome_instead_of_a_redirect(fake, make_site):
    async with make_site(fake) as site:
        start = await site.browser.start()
        back = await site.browser.at_provider(start)
        answer = await site.browser.get(
            back.headers["location"], headers={"accept": "application/json"}
        )
        assert answer.status_code == 200
        data = answer.json()["data"]
        assert data["created_user"] is True
        assert data["linked"] is True
        assert data["signed_in"] is True
        assert data["identity"]["provider"] == "acme"
        assert "access_token" not in answer.text


async def test_discovery_and_keys_are_fetched_once_for_many_sign_ins(fake, make_site):
    async with make_site(fake) as site:
        await site.browser.sign_in()
        await site.browser_like().sign_in()
        assert fake.jwks_fetches == 1


async def test_sign_in_and_sign_in_again_on_each_database(fake, make_site, database_url):
    async with make_site(fake, database=database_url) as site:
        await site.browser.sign_in()
        first = (await site.browser.me()).json()["id"]
        other = site.browser_like()
        await other.sign_in()
        assert (await other.me()).json()["id"] == first
        [identity] = await site.identities()
        assert identity.user_id == first
        assert identity.expires_at is not None
        assert identity.expires_at.tzinfo is not None
