"""Settings, keys, CSRF tokens and the stores' single-use transitions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from foundry.domain.config import MappingConfig
from foundry.domain.errors import ConfigurationError
from foundry.oauth_server.csrf import CsrfTokens
from foundry.oauth_server.keys import KeyFiles, generate_key, load_private_key
from foundry.oauth_server.models import AuthorizationCode, Client
from foundry.oauth_server.settings import OAuthSettings
from foundry.oauth_server.storage.memory import MemoryStore

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def settings(**values):
    return OAuthSettings.from_config(MappingConfig({"oauth": values}))


def test_defaults_follow_rustforge():
    s = settings()
    assert (s.access_token_lifetime, s.refresh_token_lifetime, s.auth_code_lifetime) == (
        3600,
        2_592_000,
        600,
    )
    assert s.storage == "database"
    assert s.signing_alg == "RS256"
    assert list(s.scope_descriptions) == ["openid", "profile", "email"]


def test_auth_code_lifetime_above_ten_minutes_is_refused():
    with pytest.raises(ConfigurationError, match="OAUTH_AUTH_CODE_LIFETIME"):
        settings(auth_code_lifetime=601)


def test_pkce_cannot_be_disabled():
    with pytest.raises(ConfigurationError, match="OAUTH_ENABLE_PKCE"):
        settings(enable_pkce=False)


def test_private_key_without_public_key_is_refused():
    with pytest.raises(ConfigurationError, match="OAUTH_PUBLIC_KEY"):
        settings(private_key="-----BEGIN PRIVATE KEY-----")


def test_scopes_with_dots_survive_the_dotted_config():
    s = OAuthSettings.from_config(MappingConfig({"oauth": {"scopes": {"users.read": "Read"}}}))
    assert dict(s.scope_descriptions) == {"users.read": "Read"}


def test_scope_names_with_spaces_are_refused():
    with pytest.raises(ConfigurationError, match="scope name"):
        settings(scopes={"bad name": "x"})


def test_key_files_write_private_key_0600_and_reload(tmp_path):
    files = KeyFiles(tmp_path / "oauth")
    key = generate_key("ES256")
    files.write(key)
    assert (files.private_path.stat().st_mode & 0o777) == 0o600
    loaded = load_private_key(files.read() or "")
    assert loaded.kid == key.kid
    assert loaded.alg == "ES256"


def test_algorithm_mismatch_is_explained(tmp_path):
    key = generate_key("ES256")
    with pytest.raises(ConfigurationError, match="OAUTH_SIGNING_ALG=RS256"):
        load_private_key(key.key.as_pem(private=True).decode(), "RS256")


def test_unreadable_key_is_explained():
    with pytest.raises(ConfigurationError, match="not a readable PEM"):
        load_private_key("garbage")


def test_csrf_tokens_are_bound_to_cookie_user_and_purpose():
    csrf = CsrfTokens(b"k" * 32)
    token = csrf.token("cookie-value-0123456789", "u1", "consent")
    assert csrf.check(token, "cookie-value-0123456789", "u1", "consent")
    assert not csrf.check(token, "another-cookie-01234567", "u1", "consent")
    assert not csrf.check(token, "cookie-value-0123456789", "u2", "consent")
    assert not csrf.check(token, "cookie-value-0123456789", "u1", "device")
    assert not csrf.check(None, "cookie-value-0123456789", "u1", "consent")


def test_redirect_uri_check_is_exact():
    client = Client("c", "n", None, ["https://a.example/cb"], ["authorization_code"], [], NOW)
    assert client.check_redirect_uri("https://a.example/cb")
    for variant in ("https://a.example/cb/", "https://A.example/cb", "https://a.example/cb?x=1"):
        assert not client.check_redirect_uri(variant)


async def test_a_code_can_be_used_once_even_when_racing():
    import asyncio

    store = MemoryStore()
    code = AuthorizationCode(
        "id1", "hash", "c", "u", None, [], "fam", NOW + timedelta(minutes=10), NOW
    )
    await store.add_code(code)
    results = await asyncio.gather(*(store.use_code("id1", NOW) for _ in range(5)))
    assert results.count(True) == 1


async def test_database_store_single_use_transitions(make_server, database_url):
    async with make_server(database=database_url) as server:
        client = await server.client()
        server.login()
        code = await server.code(client)
        from foundry.oauth_server.credentials import digest

        found = await server.core.store.find_code(digest(code))
        assert found is not None
        assert await server.core.store.use_code(found.id, NOW) is True
        assert await server.core.store.use_code(found.id, NOW) is False
