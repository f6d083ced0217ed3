"""RFC 7009: token revocation."""

from __future__ import annotations

import httpx


async def _pair(server, client):
    server.login()
    return await server.tokens_by_code(client, scope="orders:read")


async def test_2_1_revoked_access_token_stops_working_at_once(server):
    client = await server.client()
    tokens = await _pair(server, client)
    bearer = {"authorization": f"Bearer {tokens['access_token']}"}
    assert (await server.http.get("/api/orders", headers=bearer)).status_code == 200
    response = await server.http.post(
        "/oauth/revoke",
        data={"token": tokens["access_token"], "token_type_hint": "access_token"},
        auth=httpx.BasicAuth(client.client.id, client.secret or ""),
    )
    assert response.status_code == 200
    assert (await server.http.get("/api/orders", headers=bearer)).status_code == 401


async def test_2_1_revoking_a_refresh_token_revokes_its_grant(server):
    client = await server.client()
    tokens = await _pair(server, client)
    response = await server.http.post(
        "/oauth/revoke",
        data={"token": tokens["refresh_token"]},
        auth=httpx.BasicAuth(client.client.id, client.secret or ""),
    )
    assert response.status_code == 200
    bearer = {"authorization": f"Bearer {tokens['access_token']}"}
    assert (await server.http.get("/api/orders", headers=bearer)).status_code == 401
    refreshed = await server.token(
        {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]}, client
    )
    assert refreshed.json()["error"] == "invalid_grant"


async def test_2_2_unknown_token_answers_200(server):
    client = await server.client()
    response = await server.http.post(
        "/oauth/revoke",
        data={"token": "never-issued"},
        auth=httpx.BasicAuth(client.client.id, client.secret or ""),
    )
    assert response.status_code == 200


async def test_2_1_client_cannot_revoke_another_clients_token(server):
    client = await server.client()
    other = await server.client(name="Other")
    tokens = await _pair(server, client)
    response = await server.http.post(
        "/oauth/revoke",
        data={"token": tokens["access_token"]},
        auth=httpx.BasicAuth(other.client.id, other.secret or ""),
    )
    assert response.status_code == 400
    bearer = {"authorization": f"Bearer {tokens['access_token']}"}
    assert (await server.http.get("/api/orders", headers=bearer)).status_code == 200


async def test_2_1_revocation_requires_client_authentication(server):
    client = await server.client()
    tokens = await _pair(server, client)
    response = await server.http.post(
        "/oauth/revoke",
        data={"token": tokens["access_token"]},
        auth=httpx.BasicAuth(client.client.id, "wrong"),
    )
    assert response.status_code == 401


async def test_2_1_public_client_may_revoke_its_own_token(server):
    client = await server.client(public=True)
    tokens = await _pair(server, client)
    response = await server.http.post(
        "/oauth/revoke", data={"token": tokens["refresh_token"], "client_id": client.client.id}
    )
    assert response.status_code == 200
    refreshed = await server.token(
        {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]}, client
    )
    assert refreshed.json()["error"] == "invalid_grant"


async def test_2_2_1_unsupported_token_type_hint(server):
    client = await server.client()
    response = await server.http.post(
        "/oauth/revoke",
        data={"token": "x", "token_type_hint": "id_token"},
        auth=httpx.BasicAuth(client.client.id, client.secret or ""),
    )
    assert response.json()["error"] == "unsupported_token_type"
