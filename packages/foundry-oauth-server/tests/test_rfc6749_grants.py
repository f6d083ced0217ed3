"""RFC 6749 §4.4 (client credentials), §6 (refresh), §4.3 (password, off by default)."""

from __future__ import annotations

import httpx
import pytest


async def test_4_4_client_credentials_token_has_no_refresh_token(server):
    client = await server.client(grants=["client_credentials"])
    response = await server.token(
        {"grant_type": "client_credentials", "scope": "orders:read"}, client
    )
    body = response.json()
    assert response.status_code == 200, body
    assert "refresh_token" not in body
    assert body["scope"] == "orders:read"


async def test_4_4_public_client_cannot_use_client_credentials(server):
    from foundry.oauth_server.errors import InvalidClientSettings

    with pytest.raises(InvalidClientSettings) as caught:
        await server.client(public=True, grants=["client_credentials"])
    assert "grants" in caught.value.fields


async def test_4_4_scope_beyond_the_clients_allowance_is_invalid_scope(server):
    client = await server.client(grants=["client_credentials"], scopes=["orders:read"])
    response = await server.token(
        {"grant_type": "client_credentials", "scope": "orders:write"}, client
    )
    assert response.json()["error"] == "invalid_scope"


async def test_6_refresh_issues_a_new_pair_and_rotates(server):
    client = await server.client()
    server.login()
    first = await server.tokens_by_code(client, scope="openid orders:read")
    response = await server.token(
        {"grant_type": "refresh_token", "refresh_token": first["refresh_token"]}, client
    )
    second = response.json()
    assert response.status_code == 200, second
    assert second["refresh_token"] != first["refresh_token"]
    assert second["access_token"] != first["access_token"]
    assert second["scope"] == "openid orders:read"


async def test_6_refresh_may_narrow_the_scope(server):
    client = await server.client()
    server.login()
    first = await server.tokens_by_code(client, scope="openid orders:read")
    response = await server.token(
        {
            "grant_type": "refresh_token",
            "refresh_token": first["refresh_token"],
            "scope": "orders:read",
        },
        client,
    )
    assert response.json()["scope"] == "orders:read"


async def test_6_refresh_token_is_bound_to_its_client(server):
    client = await server.client()
    other = await server.client(name="Other")
    server.login()
    first = await server.tokens_by_code(client)
    response = await server.token(
        {"grant_type": "refresh_token", "refresh_token": first["refresh_token"]}, other
    )
    assert response.json()["error"] == "invalid_grant"


async def test_6_unknown_refresh_token_is_invalid_grant(server):
    client = await server.client()
    response = await server.token({"grant_type": "refresh_token", "refresh_token": "x"}, client)
    assert response.json()["error"] == "invalid_grant"


async def test_4_3_password_grant_is_refused_unless_enabled(server):
    client = await server.client(grants=["password"])
    response = await server.token(
        {"grant_type": "password", "username": "ada@example.com", "password": "irrelevant"},
        client,
    )
    assert response.json()["error"] == "unsupported_grant_type"


async def test_4_3_password_grant_checks_credentials_through_the_user_provider(make_server):
    async with make_server(env={"OAUTH_ENABLE_PASSWORD_GRANT": "true"}) as server:
        client = await server.client(grants=["password", "refresh_token"])
        auth = httpx.BasicAuth(client.client.id, client.secret or "")
        wrong = await server.http.post(
            "/oauth/token",
            data={"grant_type": "password", "username": "ada@example.com", "password": "no"},
            auth=auth,
        )
        assert wrong.status_code == 400
        right = await server.http.post(
            "/oauth/token",
            data={
                "grant_type": "password",
                "username": "ada@example.com",
                "password": server.ada.password,
                "scope": "orders:read",
            },
            auth=auth,
        )
        body = right.json()
        assert right.status_code == 200, body
        assert body["refresh_token"]
        me = await server.http.get(
            "/api/me", headers={"authorization": f"Bearer {body['access_token']}"}
        )
        assert me.json()["sub"] == server.ada.auth_identifier
