"""End to end with authlib's own OAuth client (httpx) as the relying party."""

from __future__ import annotations

import httpx2
from authlib.integrations.httpx_client import AsyncOAuth2Client
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from conftest import ISSUER, REDIRECT
from joserfc import jwt
from joserfc.jwk import KeySet


class Buffered(httpx2.AsyncBaseTransport):
    """authlib's client (on httpx2) hands over a synchronous body stream, which
    ASGITransport refuses; re-wrap each request with its body read."""

    def __init__(self, api):
        self.inner = httpx2.ASGITransport(app=api)

    async def handle_async_request(self, request):
        body = request.read()
        rebuilt = httpx2.Request(request.method, request.url, headers=request.headers, content=body)
        return await self.inner.handle_async_request(rebuilt)


async def test_authorization_code_with_pkce_refresh_and_id_token(server):
    registered = await server.client(public=True)
    server.login()
    transport = Buffered(server.api)
    async with AsyncOAuth2Client(
        client_id=registered.client.id,
        redirect_uri=REDIRECT,
        scope="openid email orders:read",
        code_challenge_method="S256",
        token_endpoint_auth_method="none",
        transport=transport,
        base_url=ISSUER,
    ) as rp:
        verifier = "v" * 64
        url, state = rp.create_authorization_url(
            f"{ISSUER}/oauth/authorize", code_verifier=verifier, nonce="rp-nonce"
        )
        assert create_s256_code_challenge(verifier) in url
        page = await server.http.get(url)
        consent = await server.http.post(
            "/oauth/authorize", data={**server.form_of(page.text), "decision": "approve"}
        )
        callback = consent.headers["location"]
        token = await rp.fetch_token(
            f"{ISSUER}/oauth/token",
            authorization_response=callback,
            code_verifier=verifier,
            state=state,
        )
        assert token["token_type"] == "Bearer"
        assert token["refresh_token"]
        keys = KeySet.import_key_set((await rp.get(f"{ISSUER}/oauth/jwks")).json())
        id_token = jwt.decode(token["id_token"], keys, algorithms=["RS256"])
        assert id_token.claims["nonce"] == "rp-nonce"
        me = await rp.get(f"{ISSUER}/oauth/userinfo")
        assert me.json()["email"] == "ada@example.com"
        refreshed = await rp.refresh_token(f"{ISSUER}/oauth/token")
        assert refreshed["access_token"] != token["access_token"]


async def test_client_credentials_with_client_secret_basic(server):
    registered = await server.client(grants=["client_credentials"])
    async with AsyncOAuth2Client(
        client_id=registered.client.id,
        client_secret=registered.secret,
        token_endpoint_auth_method="client_secret_basic",
        transport=Buffered(server.api),
        base_url=ISSUER,
    ) as rp:
        token = await rp.fetch_token(f"{ISSUER}/oauth/token", grant_type="client_credentials")
        orders = await rp.get(f"{ISSUER}/api/me")
        assert orders.status_code == 200
        assert token["expires_in"] == 3600
