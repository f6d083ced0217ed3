"""Facebook Login against a Graph API look-alike: ``appsecret_proof`` on every Graph call,
and an address Facebook does not vouch for is never used to link an account."""

from __future__ import annotations

import hashlib
import hmac

from fake_provider import CLIENT_ID, CLIENT_SECRET

from foundry.oauth.drivers.facebook import appsecret_proof


def _facebook(fake) -> dict:
    return {
        "env": {
            "OAUTH_PROVIDERS": "facebook",
            "OAUTH_FACEBOOK_CLIENT_ID": CLIENT_ID,
            "OAUTH_FACEBOOK_CLIENT_SECRET": CLIENT_SECRET,
        },
        "config": {
            "services.facebook.dialog_url": f"{fake.base_url}/facebook/dialog/oauth",
            "services.facebook.graph_url": f"{fake.base_url}/graph",
        },
    }


async def test_facebook_sign_in_creates_an_unverified_account(fake, make_site):
    async with make_site(fake, **_facebook(fake)) as site:
        await site.browser.sign_in("facebook")
        me = (await site.browser.me()).json()
        assert me["email"] == "ada@example.com"
        assert me["verified"] is False
        [identity] = await site.identities()
        assert identity.provider_user_id == "10150000000000001"
        assert identity.avatar == "https://cdn.example.com/ada.png"
        assert "email" in fake.facebook_fields


async def test_facebook_never_links_an_existing_account_by_email(fake, make_site):
    async with make_site(fake, **_facebook(fake)) as site:
        await site.register("ada@example.com")
        refused = await site.browser.sign_in("facebook")
        assert refused.status_code == 409
        assert await site.identities() == []


async def test_facebook_can_be_linked_by_a_signed_in_user(fake, make_site):
    async with make_site(fake, **_facebook(fake)) as site:
        ada = await site.register("ada@example.com")
        await site.password_login(site.browser)
        await site.browser.sign_in("facebook")
        [identity] = await site.identities()
        assert identity.user_id == ada


def test_appsecret_proof_is_the_hmac_sha256_of_the_token():
    expected = hmac.new(b"secret", b"EAAtoken", hashlib.sha256).hexdigest()
    assert appsecret_proof("EAAtoken", "secret") == expected
