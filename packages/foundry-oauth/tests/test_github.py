"""GitHub: no OpenID Connect, so the person comes from ``/user`` and the address from
``/user/emails`` — the primary *verified* one — against a GitHub look-alike served over HTTP."""

from __future__ import annotations

from conftest import query_of

from foundry.oauth.drivers.github import pick_email


async def test_github_sign_in_uses_the_primary_verified_address(fake, make_site):
    async with make_site(fake) as site:
        await site.browser.sign_in("github")
        me = (await site.browser.me()).json()
        assert me["email"] == "ada@example.com"
        assert me["verified"] is True
        [identity] = await site.identities()
        assert (identity.provider, identity.provider_user_id) == ("github", "4242")
        assert identity.name == "Ada Lovelace"
        assert identity.avatar == "https://avatars.example.com/u/4242"


async def test_github_redirect_asks_for_the_email_scope_and_uses_pkce(fake, make_site):
    async with make_site(fake) as site:
        start = await site.browser.start("github")
        sent = query_of(start.headers["location"])
        assert start.headers["location"].startswith(f"{fake.base_url}/login/oauth/authorize?")
        assert sent["scope"] == "read:user user:email"
        assert sent["code_challenge_method"] == "S256"
        assert "nonce" not in sent
        back = await site.browser.at_provider(start)
        await site.browser.follow(back.headers["location"])
        [exchange] = fake.token_requests
        assert exchange["client_secret"] == "s3cret-of-the-client"  # client_secret_post
        assert exchange["code_verifier"]


async def test_github_unverified_primary_address_does_not_link_an_existing_account(fake, make_site):
    fake.github.emails = [{"email": "ada@example.com", "primary": True, "verified": False}]
    async with make_site(fake) as site:
        await site.register("ada@example.com")
        refused = await site.browser.sign_in("github")
        assert refused.status_code == 409
        assert "GitHub has not verified" in refused.text
        assert await site.identities() == []


async def test_github_public_profile_address_is_never_trusted_as_verified(fake, make_site):
    fake.github.emails = []
    fake.github.public_email = "ada@example.com"
    async with make_site(fake) as site:
        await site.register("ada@example.com")
        refused = await site.browser.sign_in("github")
        assert refused.status_code == 409


async def test_github_login_is_the_name_when_the_profile_has_none(fake, make_site):
    fake.github.name = None
    async with make_site(fake) as site:
        await site.browser.sign_in("github")
        [user] = await site.users()
        assert user.name == "ada"


async def test_github_wrong_client_secret_is_a_failed_exchange(fake, make_site):
    async with make_site(fake, env={"OAUTH_GITHUB_CLIENT_SECRET": "nope"}) as site:
        refused = await site.browser.sign_in("github")
        assert refused.status_code == 502
        assert "incorrect_client_credentials" in refused.text
        assert await site.users() == []


def test_pick_email_prefers_primary_verified_then_any_verified_then_primary():
    both = [
        {"email": "old@x.io", "primary": False, "verified": True},
        {"email": "main@x.io", "primary": True, "verified": False},
    ]
    assert pick_email(both) == ("old@x.io", True)
    assert pick_email([{"email": "main@x.io", "primary": True, "verified": False}]) == (
        "main@x.io",
        False,
    )
    assert pick_email([]) == (None, False)
    assert pick_email({"message": "Not Found"}) == (None, False)
