"""RFC 7636 (PKCE) with RFC 9700 §2.1.1: S256 only, required from public clients."""

from __future__ import annotations

from conftest import REDIRECT, pkce_pair, query_of


async def _public(server):
    return await server.client(public=True)


async def test_4_2_public_client_completes_with_s256(server):
    client = await _public(server)
    server.login()
    tokens = await server.tokens_by_code(client)
    assert tokens["access_token"]
    assert tokens["refresh_token"]


async def test_4_4_1_public_client_without_challenge_is_refused(server):
    client = await _public(server)
    server.login()
    response = await server.authorize(client)
    assert response.status_code == 302
    found = query_of(response.headers["location"])
    assert found["error"] == "invalid_request"
    assert "code" not in found


async def test_4_3_plain_method_is_refused_downgrade(server):
    client = await _public(server)
    server.login()
    verifier = "a" * 50
    response = await server.authorize(
        client, code_challenge=verifier, code_challenge_method="plain"
    )
    assert query_of(response.headers["location"])["error"] == "invalid_request"


async def test_4_3_missing_method_is_refused_as_it_would_mean_plain(server):
    client = await _public(server)
    server.login()
    _, challenge = pkce_pair()
    response = await server.authorize(client, code_challenge=challenge)
    assert query_of(response.headers["location"])["error"] == "invalid_request"


async def test_4_5_missing_verifier_for_a_public_client_is_refused(server):
    client = await _public(server)
    server.login()
    _, challenge = pkce_pair()
    code = await server.code(client, code_challenge=challenge, code_challenge_method="S256")
    response = await server.token(
        {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT}, client
    )
    assert response.json()["error"] == "invalid_request"


async def test_4_6_wrong_verifier_is_invalid_grant(server):
    client = await _public(server)
    server.login()
    _, challenge = pkce_pair()
    code = await server.code(client, code_challenge=challenge, code_challenge_method="S256")
    other, _ = pkce_pair()
    response = await server.token(
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT,
            "code_verifier": other,
        },
        client,
    )
    assert response.json()["error"] == "invalid_grant"


async def test_confidential_client_may_omit_pkce_by_default(server):
    client = await server.client()
    server.login()
    code = await server.code(client)
    response = await server.token(
        {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT}, client
    )
    assert response.status_code == 200


async def test_require_pkce_makes_it_mandatory_for_confidential_clients(make_server):
    async with make_server(storage="memory", env={"OAUTH_REQUIRE_PKCE": "true"}) as server:
        client = await server.client()
        server.login()
        response = await server.authorize(client)
        assert query_of(response.headers["location"])["error"] == "invalid_request"
        tokens = await server.tokens_by_code(client)
        assert tokens["access_token"]


async def test_verifier_without_challenge_is_refused_rfc9700_4_8(server):
    client = await server.client()
    server.login()
    code = await server.code(client)
    verifier, _ = pkce_pair()
    response = await server.token(
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT,
            "code_verifier": verifier,
        },
        client,
    )
    assert response.json()["error"] == "invalid_request"
