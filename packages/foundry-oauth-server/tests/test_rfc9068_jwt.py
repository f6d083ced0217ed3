"""RFC 9068 (JWT access tokens) and RFC 7517 (JWKS), key rotation included."""

from __future__ import annotations

import json
import stat

from conftest import ISSUER
from joserfc import jwt
from joserfc.jwk import KeySet


async def _client_token(server, scope="orders:read"):
    client = await server.client(grants=["client_credentials"])
    response = await server.token({"grant_type": "client_credentials", "scope": scope}, client)
    return client, response.json()["access_token"]


def _unverified(token):
    from joserfc.jws import extract_compact

    extracted = extract_compact(token.encode())
    return extracted.protected, json.loads(extracted.payload)


async def test_2_1_header_is_at_jwt_with_kid(server):
    _, token = await _client_token(server)
    header, _ = _unverified(token)
    assert header["typ"] == "at+jwt"
    assert header["alg"] == "RS256"
    assert header["kid"] == server.core.keys.signing.kid


async def test_2_2_claims_of_a_user_token(server):
    client = await server.client()
    server.login()
    tokens = await server.tokens_by_code(client, scope="orders:read")
    _, claims = _unverified(tokens["access_token"])
    assert claims["iss"] == ISSUER
    assert claims["aud"] == ISSUER
    assert claims["sub"] == server.ada.auth_identifier
    assert claims["client_id"] == client.client.id
    assert claims["scope"] == "orders:read"
    assert claims["exp"] - claims["iat"] == 3600
    assert claims["jti"]
    assert "auth_time" in claims


async def test_2_2_client_credentials_token_has_the_client_as_subject(server):
    client, token = await _client_token(server)
    _, claims = _unverified(token)
    assert claims["sub"] == client.client.id


async def test_jwks_verifies_issued_tokens(server):
    _, token = await _client_token(server)
    keys = KeySet.import_key_set((await server.http.get("/oauth/jwks")).json())
    decoded = jwt.decode(token, keys, algorithms=["RS256"])
    assert decoded.claims["iss"] == ISSUER


async def test_jwks_publishes_only_public_keys(server):
    for key in (await server.http.get("/oauth/jwks")).json()["keys"]:
        assert "d" not in key
        assert key["use"] == "sig"
        assert key["kid"]


async def test_es256_signing(make_server):
    async with make_server(storage="memory", env={"OAUTH_SIGNING_ALG": "ES256"}) as server:
        _, token = await _client_token(server)
        header, _ = _unverified(token)
        assert header["alg"] == "ES256"
        response = await server.http.get(
            "/api/orders", headers={"authorization": f"Bearer {token}"}
        )
        assert response.status_code == 200


async def test_private_key_file_is_0600(server):
    mode = stat.S_IMODE(server.core.key_files.private_path.stat().st_mode)
    assert mode == 0o600


async def test_rotation_keeps_old_tokens_verifiable_and_publishes_both_keys(server):
    _, old_token = await _client_token(server)
    old_kid = server.core.keys.signing.kid
    ran = await server.run("passport:keys", "--force")
    assert ran.outcome.exit_code == 0, ran.outcome.error
    new_kid = server.core.keys.signing.kid
    assert new_kid != old_kid
    _, new_token = await _client_token(server)
    for token in (old_token, new_token):
        response = await server.http.get(
            "/api/orders", headers={"authorization": f"Bearer {token}"}
        )
        assert response.status_code == 200
    kids = [k["kid"] for k in (await server.http.get("/oauth/jwks")).json()["keys"]]
    assert kids[0] == new_kid
    assert old_kid in kids


async def test_tokens_from_an_unknown_key_are_refused(server, make_server, tmp_path):
    other_base = tmp_path / "elsewhere"
    other_base.mkdir()
    async with make_server(storage="memory", app_base=other_base) as stranger:
        _, token = await _client_token(stranger)
    response = await server.http.get("/api/orders", headers={"authorization": f"Bearer {token}"})
    assert response.status_code == 401


async def test_id_tokens_are_not_accepted_as_access_tokens(server):
    client = await server.client()
    server.login()
    tokens = await server.tokens_by_code(client, scope="openid orders:read")
    response = await server.http.get(
        "/api/me", headers={"authorization": f"Bearer {tokens['id_token']}"}
    )
    assert response.status_code == 401
