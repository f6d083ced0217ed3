"""RFC 8414 (authorization server metadata) and OpenID Connect Discovery."""

from __future__ import annotations

from authlib.oauth2.rfc8414 import AuthorizationServerMetadata
from authlib.oidc.discovery import OpenIDProviderMetadata
from conftest import ISSUER

SECURE = "https://id.example"


async def test_3_metadata_is_served_and_valid(make_server, database_url):
    async with make_server(database=database_url, env={"OAUTH_ISSUER": SECURE}) as server:
        response = await server.http.get("/.well-known/oauth-authorization-server")
    assert response.status_code == 200
    metadata = response.json()
    AuthorizationServerMetadata(metadata).validate()
    assert metadata["issuer"] == SECURE
    assert metadata["token_endpoint"] == f"{SECURE}/oauth/token"
    assert metadata["code_challenge_methods_supported"] == ["S256"]
    assert "urn:ietf:params:oauth:grant-type:device_code" in metadata["grant_types_supported"]
    assert "password" not in metadata["grant_types_supported"]
    assert metadata["device_authorization_endpoint"] == f"{SECURE}/oauth/device/code"


async def test_2_scopes_supported_come_from_config(server):
    metadata = (await server.http.get("/.well-known/oauth-authorization-server")).json()
    assert metadata["scopes_supported"] == [
        "openid",
        "profile",
        "email",
        "orders:read",
        "orders:write",
    ]


async def test_openid_configuration_is_valid(make_server):
    async with make_server(storage="memory", env={"OAUTH_ISSUER": SECURE}) as server:
        metadata = (await server.http.get("/.well-known/openid-configuration")).json()
    OpenIDProviderMetadata(metadata).validate()
    assert metadata["id_token_signing_alg_values_supported"] == ["RS256"]
    assert metadata["userinfo_endpoint"] == f"{SECURE}/oauth/userinfo"


async def test_issuer_defaults_to_app_url(make_server):
    async with make_server(
        storage="memory", env={"OAUTH_ISSUER": None, "APP_URL": "https://shop.example/"}
    ) as server:
        metadata = (await server.http.get("/.well-known/oauth-authorization-server")).json()
    assert metadata["issuer"] == "https://shop.example"
    assert metadata["issuer"] != ISSUER


async def test_password_grant_is_advertised_only_when_enabled(make_server):
    async with make_server(storage="memory", env={"OAUTH_ENABLE_PASSWORD_GRANT": "true"}) as s:
        metadata = (await s.http.get("/.well-known/oauth-authorization-server")).json()
        assert "password" in metadata["grant_types_supported"]
