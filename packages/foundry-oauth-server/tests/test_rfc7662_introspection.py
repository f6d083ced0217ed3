"""RFC 7662: token introspection (client-authenticated)."""

from __future__ import annotations

import httpx
from conftest import ISSUER


async def _introspect(server, client, token, **extra):
    return await server.http.post(
        "/oauth/introspect",
        data={"token": token, **extra},
        auth=httpx.BasicAuth(client.client.id, client.secret or ""),
    )


async def test_2_2_active_access_token_is_described(server):
    client = await server.client()
    server.login()
    tokens = await server.tokens_by_code(client, scope="orders:read")
    response = await _introspect(server, client, tokens["access_token"])
    body = response.json()
    assert response.status_code == 200
    assert body["active"] is True
    assert body["scope"] == "orders:read"
    assert body["client_id"] == client.client.id
    assert body["sub"] == server.ada.auth_identifier
    assert body["username"] == "ada@example.com"
    assert body["iss"] == ISSUER
    assert body["token_type"] == "Bearer"
    assert body["exp"] > body["iat"]


async def test_2_2_refresh_token_is_described(server):
    client = await server.client()
    server.login()
    tokens = await server.tokens_by_code(client)
    body = (await _introspect(server, client, tokens["refresh_token"])).json()
    assert body["active"] is True
    assert body["token_type"] == "refresh_token"


async def test_2_2_revoked_token_is_inactive(server):
    client = await server.client()
    server.login()
    tokens = await server.tokens_by_code(client)
    await server.http.post(
        "/oauth/revoke",
        data={"token": tokens["access_token"]},
        auth=httpx.BasicAuth(client.client.id, client.secret or ""),
    )
    assert (await _introspect(server, client, tokens["access_token"])).json() == {"active": False}


async def test_2_2_unknown_token_is_inactive(server):
    client = await server.client()
    assert (await _introspect(server, client, "nope")).json() == {"active": False}


async def test_2_1_caller_must_authenticate(server):
    client = await server.client()
    response = await server.http.post(
        "/oauth/introspect",
        data={"token": "x"},
        auth=httpx.BasicAuth(client.client.id, "wrong"),
    )
    assert response.status_code == 401


async def test_2_1_public_clients_cannot_introspect(server):
    client = await server.client(public=True)
    response = await server.http.post(
        "/oauth/introspect", data={"token": "x", "client_id": client.client.id}
    )
    assert response.status_code in (400, 401)
    assert response.json()["error"] == "invalid_client"


async def test_4_a_client_learns_nothing_about_another_clients_tokens(server):
    client = await server.client()
    other = await server.client(name="Other")
    server.login()
    tokens = await server.tokens_by_code(client)
    assert (await _introspect(server, other, tokens["access_token"])).json() == {"active": False}


async def test_4_a_first_party_resource_server_may_introspect_any_token(server):
    client = await server.client()
    resource = await server.client(name="API", grants=["client_credentials"], first_party=True)
    server.login()
    tokens = await server.tokens_by_code(client)
    assert (await _introspect(server, resource, tokens["access_token"])).json()["active"] is True
