"""Linking provider accounts to users: attach to the signed-in user, link by *verified*
e-mail only (account takeover), one identity per provider per user, stale identities,
missing e-mail, and the second factor honoured."""

from __future__ import annotations

from datetime import UTC, datetime

from conftest import APP_URL


async def _signed_in_id(browser) -> str | None:
    me = await browser.me()
    return me.json()["id"] if me.status_code == 200 else None


async def test_a_signed_in_user_links_the_identity_to_their_own_account(fake, make_site):
    async with make_site(fake) as site:
        grace = await site.register("grace@example.com")
        await site.password_login(site.browser, "grace@example.com")
        done = await site.browser.sign_in()  # the provider says ada@example.com
        assert str(done.url) == f"{APP_URL}/"
        assert await _signed_in_id(site.browser) == grace
        [identity] = await site.identities()
        assert identity.user_id == grace
        assert identity.email == "ada@example.com"
        assert [u.email for u in await site.users()] == ["grace@example.com"]
        # and next time, from another browser, the identity signs Grace in
        other = site.browser_like()
        await other.sign_in()
        assert await _signed_in_id(other) == grace


async def test_a_verified_provider_email_links_to_the_existing_verified_account(fake, make_site):
    async with make_site(fake) as site:
        ada = await site.register("ada@example.com", verified=True)
        await site.browser.sign_in()
        assert await _signed_in_id(site.browser) == ada
        [identity] = await site.identities()
        assert identity.user_id == ada
        assert len(await site.users()) == 1


async def test_an_unverified_provider_email_never_links_to_an_existing_account(fake, make_site):
    """Account takeover: anyone can claim the victim's address at a lax provider."""
    fake.person.email_verified = False
    async with make_site(fake) as site:
        await site.register("ada@example.com", verified=True)
        refused = await site.browser.sign_in()
        assert refused.status_code == 409
        assert "OAUTH_EMAIL_NOT_VERIFIED" in refused.text
        assert "has not verified that this address is yours" in refused.text
        assert await site.identities() == []
        assert len(await site.users()) == 1
        assert (await site.browser.me()).status_code == 401


async def test_the_text_false_of_email_verified_counts_as_unverified(fake, make_site):
    fake.person.email_verified = "false"
    async with make_site(fake) as site:
        await site.register("ada@example.com")
        refused = await site.browser.sign_in(headers={"accept": "application/json"})
        assert refused.status_code == 409
        assert refused.json()["error"]["code"] == "OAUTH_EMAIL_NOT_VERIFIED"


async def test_an_unverified_local_account_is_not_linked_either(fake, make_site):
    """Pre-account takeover: an attacker registers the victim's address with a password
    and waits for the victim to sign in with a provider."""
    async with make_site(fake) as site:
        await site.register("ada@example.com", verified=False)
        refused = await site.browser.sign_in()
        assert refused.status_code == 409
        assert "that account has not verified its address" in refused.text
        assert await site.identities() == []


async def test_an_unverified_provider_email_of_a_new_person_makes_an_unverified_account(
    fake, make_site
):
    fake.person.email_verified = False
    async with make_site(fake) as site:
        await site.browser.sign_in()
        me = (await site.browser.me()).json()
        assert me["email"] == "ada@example.com"
        assert me["verified"] is False


async def test_an_identity_of_another_account_cannot_be_linked(fake, make_site):
    async with make_site(fake) as site:
        first = site.browser_like()
        await first.sign_in()  # creates ada@example.com, linked
        owner = await _signed_in_id(first)
        grace = await site.register("grace@example.com")
        await site.password_login(site.browser, "grace@example.com")
        refused = await site.browser.sign_in()
        assert refused.status_code == 409
        assert "OAUTH_ACCOUNT_CONFLICT" in refused.text
        [identity] = await site.identities()
        assert identity.user_id == owner != grace
        assert await _signed_in_id(site.browser) == grace


async def test_an_account_has_at_most_one_identity_per_provider(fake, make_site):
    async with make_site(fake) as site:
        await site.browser.sign_in()
        fake.person.sub = "acme-user-2"  # another account at the same provider
        fake.person.email = "ada.second@example.com"
        refused = await site.browser.sign_in()
        assert refused.status_code == 409
        assert "already linked to another acme account" in refused.text
        assert len(await site.identities()) == 1


async def test_an_identity_whose_user_was_deleted_is_replaced(fake, make_site):
    from sqlalchemy import text

    from foundry.auth_scaffolding.users import UserRepository
    from foundry.domain.database import Database

    async with make_site(fake) as site:
        await site.browser.sign_in()
        gone = await _signed_in_id(site.browser)
        async with site.app.make(Database).session() as db:
            await db.exec(text("DELETE FROM sessions"))
            await db.exec(text("DELETE FROM users"))
        site.app.make(UserRepository).forget(gone)
        again = site.browser_like()
        await again.sign_in()
        me = await again.me()
        assert me.status_code == 200
        [identity] = await site.identities()
        assert identity.user_id == me.json()["id"] != gone


async def test_no_email_from_the_provider_is_a_clear_error(fake, make_site):
    fake.person.email = None
    async with make_site(fake) as site:
        refused = await site.browser.sign_in(headers={"accept": "application/json"})
        assert refused.status_code == 422
        error = refused.json()["error"]
        assert error["code"] == "OAUTH_EMAIL_MISSING"
        assert "did not share an e-mail address" in error["message"]
        assert await site.users() == []
        assert await site.identities() == []


async def test_a_user_with_two_factor_is_held_at_the_challenge(fake, make_site):
    from foundry.auth_scaffolding.users import UserRepository

    async with make_site(fake, env={"AUTH_ENABLE_TWO_FACTOR": "true"}) as site:
        ada = await site.register("ada@example.com")
        await site.app.make(UserRepository).update(
            ada,
            two_factor_secret="JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
            two_factor_confirmed_at=datetime.now(UTC),
        )
        start = await site.browser.start()
        back = await site.browser.at_provider(start)
        callback = await site.browser.get(back.headers["location"])
        assert callback.status_code == 302
        assert callback.headers["location"] == "/auth/two-factor-challenge"
        assert (await site.browser.me()).status_code == 401
        [identity] = await site.identities()  # linked: the second factor gates the session
        assert identity.user_id == ada
