"""Attacks on the callback, grouped by the standard they come from. Each refused sign-in
must write nothing: no user, no identity, no session.

* RFC 6749 section 10.12 (CSRF): ``state`` bound to the browser, single use, short-lived.
* RFC 6749 section 4.1.2.1: the provider's error answer.
* OpenID Connect Core 3.1.3.7: ID token signature, issuer, audience, expiry, nonce.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from conftest import APP_URL, query_of

from foundry.domain.clock import FrozenClock
from foundry.oauth.state import cookie_name


async def _nothing_written(site) -> None:
    assert await site.users() == []
    assert await site.identities() == []
    assert (await site.browser.me()).status_code == 401


# --- RFC 6749 10.12: state ---------------------------------------------------------------


async def test_rfc6749_10_12_a_tampered_state_is_refused_before_any_exchange(fake, make_site):
    async with make_site(fake) as site:
        start = await site.browser.start()
        back = await site.browser.at_provider(start)
        params = query_of(back.headers["location"])
        forged = f"{APP_URL}/auth/oauth/acme/callback?code={params['code']}&state=forged"
        refused = await site.browser.get(forged)
        assert refused.status_code == 400
        assert "OAUTH_STATE_INVALID" in refused.text
        assert fake.token_requests == []
        await _nothing_written(site)


async def test_rfc6749_10_12_a_callback_in_another_browser_is_refused(fake, make_site):
    """Login CSRF: an attacker sends the victim a callback URL for the attacker's account."""
    async with make_site(fake) as site:
        start = await site.browser.start()
        back = await site.browser.at_provider(start)
        victim = site.browser_like()
        refused = await victim.get(back.headers["location"])
        assert refused.status_code == 400
        assert "not started in this browser" in refused.text
        assert fake.token_requests == []
        assert (await victim.me()).status_code == 401
        await _nothing_written(site)


async def test_rfc6749_10_12_an_altered_state_cookie_is_refused(fake, make_site):
    async with make_site(fake) as site:
        start = await site.browser.start()
        back = await site.browser.at_provider(start)
        name = cookie_name("acme")
        value = site.browser.cookie(name)
        assert value is not None
        flipped = value[:-3] + ("A" if value[-3] != "A" else "B") + value[-2:]
        site.browser.http.cookies.clear()
        site.browser.http.cookies.set(name, flipped, domain="app.test")
        refused = await site.browser.get(back.headers["location"])
        assert refused.status_code == 400
        assert "cookie is not valid" in refused.text
        await _nothing_written(site)


async def test_rfc6749_10_12_a_replayed_callback_is_refused_by_the_code_being_spent(
    fake, make_site
):
    async with make_site(fake) as site:
        start = await site.browser.start()
        back = await site.browser.at_provider(start)
        captured = site.browser.cookie(cookie_name("acme"))
        await site.browser.follow(back.headers["location"])
        attacker = site.browser_like()
        attacker.http.cookies.set(cookie_name("acme"), captured, domain="app.test")
        replay = await attacker.get(back.headers["location"])
        assert replay.status_code == 502
        assert "OAUTH_TOKEN_EXCHANGE_FAILED" in replay.text
        assert "invalid_grant" in replay.text
        assert (await attacker.me()).status_code == 401
        assert len(await site.users()) == 1


async def test_rfc6749_10_12_a_replayed_callback_is_refused_before_exchange_with_a_cache(
    fake, make_site
):
    from foundry.cache.provider import CacheServiceProvider

    async with make_site(fake, providers=(CacheServiceProvider,)) as site:
        start = await site.browser.start()
        back = await site.browser.at_provider(start)
        captured = site.browser.cookie(cookie_name("acme"))
        await site.browser.follow(back.headers["location"])
        exchanges = len(fake.token_requests)
        attacker = site.browser_like()
        attacker.http.cookies.set(cookie_name("acme"), captured, domain="app.test")
        replay = await attacker.get(back.headers["location"])
        assert replay.status_code == 400
        assert "already been completed" in replay.text
        assert len(fake.token_requests) == exchanges  # refused before the provider is asked
        assert (await attacker.me()).status_code == 401


@pytest.mark.parametrize(("elapsed", "accepted"), [(600, True), (601, False)])
async def test_rfc6749_10_12_state_expires_after_its_lifetime(fake, make_site, elapsed, accepted):
    clock = FrozenClock(datetime.now(UTC))
    fake.now = clock.timestamp
    async with make_site(fake, clock=clock) as site:
        start = await site.browser.start()
        back = await site.browser.at_provider(start)
        clock.advance(elapsed)
        answer = await site.browser.get(back.headers["location"])
        if accepted:
            assert answer.status_code == 302, answer.text
            assert (await site.browser.me()).status_code == 200
        else:
            assert answer.status_code == 400
            assert "OAUTH_STATE_EXPIRED" in answer.text
            assert fake.token_requests == []
            await _nothing_written(site)


async def test_a_linking_flow_is_refused_when_the_signed_in_account_changed(fake, make_site):
    async with make_site(fake) as site:
        await site.register("grace@example.com")
        await site.password_login(site.browser, "grace@example.com")
        start = await site.browser.start()  # started as Grace: a linking flow
        back = await site.browser.at_provider(start)
        logout_page = await site.browser.get(f"{APP_URL}/auth/user")
        token = logout_page.text.split('name="_token" value="')[1].split('"')[0]
        await site.browser.http.post(f"{APP_URL}/auth/logout", data={"_token": token})
        refused = await site.browser.get(back.headers["location"])
        assert refused.status_code == 400
        assert "signed-in account changed" in refused.text
        assert await site.identities() == []


# --- RFC 6749 4.1.2.1: error answers ------------------------------------------------------


async def test_rfc6749_4_1_2_1_a_denied_consent_is_a_clear_page(fake, make_site):
    fake.deny = True
    async with make_site(fake) as site:
        refused = await site.browser.sign_in()
        assert refused.status_code == 403
        assert "You declined to sign in with acme." in refused.text
        assert "OAUTH_ACCESS_DENIED" in refused.text
        assert 'href="/auth/oauth/acme/redirect"' in refused.text
        assert fake.token_requests == []
        await _nothing_written(site)


async def test_rfc6749_4_1_2_1_a_denial_answers_json_clients_with_the_envelope(fake, make_site):
    fake.deny = True
    async with make_site(fake) as site:
        start = await site.browser.start()
        back = await site.browser.at_provider(start)
        refused = await site.browser.get(
            back.headers["location"], headers={"accept": "application/json"}
        )
        assert refused.status_code == 403
        assert refused.json() == {
            "error": {
                "code": "OAUTH_ACCESS_DENIED",
                "message": "You declined to sign in with acme.",
                "status": 403,
            }
        }


async def test_a_token_exchange_failure_writes_nothing(fake, make_site):
    async with make_site(fake, env={"OAUTH_ACME_CLIENT_SECRET": "wrong"}) as site:
        refused = await site.browser.sign_in()
        assert refused.status_code == 502
        assert "refused to exchange the authorization code (invalid_client" in refused.text
        assert "wrong" not in refused.text
        await _nothing_written(site)


# --- OpenID Connect Core 3.1.3.7: the ID token -------------------------------------------


@pytest.mark.parametrize(
    ("override", "reason"),
    [
        ({"nonce": "a-nonce-from-another-flow"}, "nonce"),
        ({"nonce": None}, "nonce"),
        ({"aud": "someone-else"}, "aud"),
        ({"iss": "https://issuer.example"}, "iss"),
        ({"exp": 1_000_000_000}, "expired"),
        ({"azp": "someone-else"}, "azp"),
    ],
)
async def test_oidc_3_1_3_7_an_id_token_failing_a_claim_check_is_refused(
    fake, make_site, override, reason
):
    fake.id_token_overrides = override
    async with make_site(fake) as site:
        refused = await site.browser.sign_in(headers={"accept": "application/json"})
        assert refused.status_code == 502
        error = refused.json()["error"]
        assert error["code"] == "OAUTH_ID_TOKEN_INVALID"
        assert reason in error["message"]
        await _nothing_written(site)


async def test_oidc_3_1_3_7_an_id_token_signed_with_another_key_is_refused(fake, make_site):
    fake.signing_key = fake.rogue_key  # same kid as the published key, different key
    async with make_site(fake) as site:
        refused = await site.browser.sign_in()
        assert refused.status_code == 502
        assert "signature does not match" in refused.text
        await _nothing_written(site)


async def test_oidc_3_1_3_7_an_id_token_naming_an_unknown_key_is_refused(fake, make_site):
    from joserfc.jwk import RSAKey

    fake.signing_key = RSAKey.generate_key(2048, parameters={"kid": "unpublished"})
    async with make_site(fake) as site:
        refused = await site.browser.sign_in()
        assert refused.status_code == 502
        assert "OAUTH_ID_TOKEN_INVALID" in refused.text
        assert fake.jwks_fetches == 2  # fetched again in case of rotation, then refused
        await _nothing_written(site)


async def test_oidc_rotated_signing_keys_are_fetched_again(fake, make_site):
    from joserfc.jwk import RSAKey

    async with make_site(fake) as site:
        await site.browser.sign_in()
        rotated = RSAKey.generate_key(2048, parameters={"kid": "fake-2", "use": "sig"})
        fake.published = [rotated]
        fake.signing_key = rotated
        other = site.browser_like()
        await other.sign_in()
        assert (await other.me()).status_code == 200
        assert fake.jwks_fetches == 2
