"""Provider tokens are stored encrypted under a key derived from APP_KEY: never in clear,
bound to their row and column, readable back with the key."""

from __future__ import annotations

import base64

import pytest
from conftest import APP_KEY

from foundry.oauth.crypto import SealError, TokenCipher, app_key_bytes
from foundry.oauth.identities import IdentityRepository


def _issued(fake) -> list[str]:
    return [token for token, grant in fake.tokens.items() if "person" in grant]


async def test_tokens_are_stored_encrypted_and_decrypt_with_the_app_key(fake, make_site):
    async with make_site(fake) as site:
        await site.browser.sign_in()
        [identity] = await site.identities()
        [access] = _issued(fake)
        assert access not in identity.access_token
        assert identity.access_token.startswith("v1.")
        assert identity.refresh_token is not None
        assert identity.refresh_token.startswith("v1.")
        cipher = TokenCipher(app_key_bytes(APP_KEY))
        clear = cipher.decrypt(identity.access_token, "acme", "acme-user-1", "access_token")
        assert clear == access
        assert identity.expires_at is not None
        tokens = site.app.make(IdentityRepository).tokens(identity)
        assert tokens is not None
        assert tokens.access_token == access
        assert tokens.refresh_token == cipher.decrypt(
            identity.refresh_token, "acme", "acme-user-1", "refresh_token"
        )
        assert access not in repr(tokens)


async def test_raw_database_rows_hold_no_token_in_clear(fake, make_site):
    from sqlalchemy import text

    from foundry.domain.database import Database

    async with make_site(fake) as site:
        await site.browser.sign_in()
        async with site.app.make(Database).session() as db:
            rows = (await db.exec(text("SELECT * FROM oauth_identities"))).all()
        dumped = repr(rows)
        for token in _issued(fake):
            assert token not in dumped


async def test_a_new_sign_in_replaces_the_tokens_and_keeps_the_refresh_token_when_none_is_sent(
    fake, make_site
):
    async with make_site(fake) as site:
        await site.browser.sign_in()
        [before] = await site.identities()
        await site.browser_like().sign_in()
        [after] = await site.identities()
        assert after.id == before.id
        assert after.access_token != before.access_token
        tokens = site.app.make(IdentityRepository).tokens(after)
        assert tokens is not None
        assert tokens.access_token == _issued(fake)[-1]


def test_a_token_copied_to_another_row_or_column_does_not_decrypt():
    cipher = TokenCipher(b"k" * 32)
    sealed = cipher.encrypt("gho_secret", "github", "42", "access_token")
    with pytest.raises(SealError):
        cipher.decrypt(sealed, "github", "43", "access_token")
    with pytest.raises(SealError):
        cipher.decrypt(sealed, "github", "42", "refresh_token")
    with pytest.raises(SealError):
        cipher.decrypt(sealed, "gitlab", "42", "access_token")


def test_tokens_sealed_under_another_app_key_are_reported_as_such():
    sealed = TokenCipher(b"k" * 32).encrypt("token", "acme", "1", "access_token")
    with pytest.raises(SealError) as caught:
        TokenCipher(b"j" * 32).decrypt(sealed, "acme", "1", "access_token")
    assert caught.value.wrong_key


def test_an_altered_ciphertext_is_refused():
    cipher = TokenCipher(b"k" * 32)
    sealed = cipher.encrypt("token", "acme", "1", "access_token")
    head, body = sealed.rsplit(".", 1)
    raw = bytearray(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    raw[-1] ^= 1
    altered = head + "." + base64.urlsafe_b64encode(bytes(raw)).rstrip(b"=").decode()
    with pytest.raises(SealError, match="altered"):
        cipher.decrypt(altered, "acme", "1", "access_token")


def test_each_seal_of_the_same_token_differs():
    cipher = TokenCipher(b"k" * 32)
    assert cipher.encrypt("t", "a", "1", "access_token") != cipher.encrypt(
        "t", "a", "1", "access_token"
    )


def test_keys_are_derived_per_purpose_not_the_app_key_itself():
    from foundry.oauth.crypto import derive_key

    key = b"k" * 32
    tokens, state = derive_key(key, "foundry-oauth/provider-tokens"), derive_key(key, "x")
    assert len(tokens) == 32
    assert tokens != key
    assert tokens != state


def test_token_expiry_is_counted_on_the_apps_clock():
    from datetime import UTC, datetime, timedelta

    from foundry.oauth.user import ProviderToken

    now = datetime(2026, 1, 1, tzinfo=UTC)
    token = ProviderToken.from_response(
        {"access_token": "a", "expires_in": "3600", "scope": "openid email"}, now
    )
    assert token.expires_at == now + timedelta(hours=1)
    assert token.scopes == ("openid", "email")
    assert ProviderToken.from_response({"access_token": "a"}, now).expires_at is None
    assert (
        ProviderToken.from_response({"access_token": "a", "expires_in": "soon"}, now).expires_at
        is None
    )
