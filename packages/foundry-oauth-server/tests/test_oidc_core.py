"""OpenID Connect Core 1.0: ID tokens (§2, §3.1.3.6) and UserInfo (§5.3)."""

from __future__ import annotations

from authlib.oidc.core import CodeIDToken
from conftest import ISSUER
from joserfc import jwt
from joserfc.jwk import KeySet


async def _id_token(server, client, **params):
    server.login()
    tokens = await server.tokens_by_code(client, **params)
    keys = KeySet.import_key_set((await server.http.get("/oauth/jwks")).json())
    decoded = jwt.decode(tokens["id_token"], keys, algorithms=["RS256"])
    return tokens, decoded


async def test_2_id_token_is_issued_for_the_openid_scope(server):
    client = await server.client()
    _tokens, decoded = await _id_token(server, client, scope="openid email", nonce="n-0S6")
    claims = decoded.claims
    assert claims["iss"] == ISSUER
    assert claims["aud"] == [client.client.id]
    assert claims["sub"] == server.ada.auth_identifier
    assert claims["nonce"] == "n-0S6"
    assert claims["email"] == "ada@example.com"
    assert claims["email_verified"] is True
    assert isinstance(claims["auth_time"], int)
    assert decoded.header["typ"] == "JWT"


async def test_3_1_3_6_at_hash_matches_the_access_token(server):
    client = await server.client()
    tokens, decoded = await _id_token(server, client, scope="openid", nonce="abc")
    claims = CodeIDToken(
        decoded.claims, decoded.header, {}, {"access_token": tokens["access_token"]}
    )
    claims.params = {"nonce": "abc", "access_token": tokens["access_token"]}
    claims.validate_at_hash()
    claims.validate_nonce()


async def test_no_id_token_without_openid(server):
    client = await server.client()
    server.login()
    tokens = await server.tokens_by_code(client, scope="orders:read")
    assert "id_token" not in tokens


async def test_5_3_userinfo_returns_claims_for_the_granted_scopes(server):
    client = await server.client()
    server.login()
    tokens = await server.tokens_by_code(client, scope="openid profile email")
    response = await server.http.get(
        "/oauth/userinfo", headers={"authorization": f"Bearer {tokens['access_token']}"}
    )
    assert response.status_code == 200
    assert response.json() == {
        "sub": server.ada.auth_identifier,
        "name": "Ada Lovelace",
        "email": "ada@example.com",
        "email_verified": True,
    }


async def test_5_3_userinfo_without_email_scope_omits_email(server):
    client = await server.client()
    server.login()
    tokens = await server.tokens_by_code(client, scope="openid")
    body = (
        await server.http.get(
            "/oauth/userinfo", headers={"authorization": f"Bearer {tokens['access_token']}"}
        )
    ).json()
    assert body == {"sub": server.ada.auth_identifier}


async def test_5_3_3_userinfo_needs_the_openid_scope(server):
    client = await server.client()
    server.login()
    tokens = await server.tokens_by_code(client, scope="orders:read")
    response = await server.http.get(
        "/oauth/userinfo", headers={"authorization": f"Bearer {tokens['access_token']}"}
    )
    assert response.status_code == 403
    assert 'error="insufficient_scope"' in response.headers["www-authenticate"]


async def test_5_3_3_userinfo_without_token_is_401(server):
    response = await server.http.get("/oauth/userinfo")
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")


async def test_3_1_2_1_prompt_none_without_login_is_login_required(server):
    client = await server.client()
    response = await server.authorize(client, prompt="none")
    assert response.status_code == 302
    location = response.headers["location"]
    assert location.startswith("https://client.example/callback")
    assert "error=login_required" in location
