"""RFC 6750: using access tokens at a protected resource."""

from __future__ import annotations


async def _token(server, scope="orders:read"):
    client = await server.client(grants=["client_credentials"])
    response = await server.token({"grant_type": "client_credentials", "scope": scope}, client)
    return response.json()["access_token"]


async def test_2_1_authorization_header_is_accepted(server):
    token = await _token(server)
    response = await server.http.get("/api/orders", headers={"authorization": f"Bearer {token}"})
    assert response.status_code == 200


async def test_2_3_token_in_the_query_string_is_not_accepted(server):
    token = await _token(server)
    response = await server.http.get("/api/orders", params={"access_token": token})
    assert response.status_code == 401


async def test_3_missing_token_gets_a_bearer_challenge_without_error_code(server):
    response = await server.http.get("/api/orders")
    assert response.status_code == 401
    challenge = response.headers["www-authenticate"]
    assert challenge.startswith("Bearer")
    assert "error=" not in challenge


async def test_3_1_invalid_token_gets_invalid_token(server):
    response = await server.http.get("/api/orders", headers={"authorization": "Bearer abc.def.ghi"})
    assert response.status_code == 401
    assert 'error="invalid_token"' in response.headers["www-authenticate"]


async def test_3_1_tampered_token_is_invalid(server):
    token = await _token(server)
    head, payload, signature = token.split(".")
    forged = f"{head}.{payload}.{signature[:-4]}AAAA"
    response = await server.http.get("/api/orders", headers={"authorization": f"Bearer {forged}"})
    assert response.status_code == 401


async def test_3_1_insufficient_scope_is_403(server):
    token = await _token(server, scope="openid")
    response = await server.http.get("/api/orders", headers={"authorization": f"Bearer {token}"})
    assert response.status_code == 403
    challenge = response.headers["www-authenticate"]
    assert 'error="insufficient_scope"' in challenge
    assert 'scope="orders:read"' in challenge
