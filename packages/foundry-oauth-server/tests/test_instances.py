"""Persistence: two app instances sharing the database, a restart, rotation across them."""

from __future__ import annotations

import httpx
from conftest import Users


async def test_tokens_verify_on_a_second_instance_and_after_a_restart(make_server, database_url):
    users = Users()
    async with make_server(database=database_url, users=users) as first:
        client = await first.client()
        first.login()
        tokens = await first.tokens_by_code(client, scope="openid orders:read")
        async with make_server(database=database_url, users=users) as second:
            bearer = {"authorization": f"Bearer {tokens['access_token']}"}
            assert (await second.http.get("/api/orders", headers=bearer)).status_code == 200
            refreshed = await second.token(
                {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]}, client
            )
            assert refreshed.status_code == 200, refreshed.text
            # reuse on the *other* instance is detected too
            reuse = await first.token(
                {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]}, client
            )
            assert reuse.json()["error"] == "invalid_grant"
    async with make_server(database=database_url, users=users) as restarted:
        assert await restarted.core.active_client(client.client.id) is not None
        newest = refreshed.json()["access_token"]
        bearer = {"authorization": f"Bearer {newest}"}
        assert (await restarted.http.get("/api/orders", headers=bearer)).status_code == 401


async def test_revocation_on_one_instance_is_seen_by_the_other(make_server, database_url):
    users = Users()
    async with make_server(
        database=database_url, users=users, env={"OAUTH_REVOCATION_CACHE_TTL": "0"}
    ) as a:
        client = await a.client()
        a.login()
        tokens = await a.tokens_by_code(client)
        async with make_server(
            database=database_url, users=users, env={"OAUTH_REVOCATION_CACHE_TTL": "0"}
        ) as b:
            bearer = {"authorization": f"Bearer {tokens['access_token']}"}
            assert (await b.http.get("/api/me", headers=bearer)).status_code == 200
            await a.http.post(
                "/oauth/revoke",
                data={"token": tokens["access_token"]},
                auth=httpx.BasicAuth(client.client.id, client.secret or ""),
            )
            assert (await b.http.get("/api/me", headers=bearer)).status_code == 401


async def test_a_key_rotated_on_one_instance_verifies_on_another(make_server, tmp_path):
    users = Users()
    database = f"sqlite:///{tmp_path}/shared.sqlite"
    first_base, second_base = tmp_path / "a", tmp_path / "b"
    first_base.mkdir()
    second_base.mkdir()
    async with (
        make_server(database=database, users=users, app_base=first_base) as a,
        make_server(database=database, users=users, app_base=second_base) as b,
    ):
        assert a.core.keys.signing.kid != b.core.keys.signing.kid
        client = await b.client(grants=["client_credentials"])
        token = (await b.token({"grant_type": "client_credentials"}, client)).json()
        bearer = {"authorization": f"Bearer {token['access_token']}"}
        response = await a.http.get("/api/me", headers=bearer)
        assert response.status_code == 200, response.text
        assert b.core.keys.signing.kid in [
            k["kid"] for k in (await a.http.get("/oauth/jwks")).json()["keys"]
        ]


async def test_memory_storage_forgets_everything_on_restart(make_server):
    async with make_server(storage="memory") as first:
        client = await first.client()
    async with make_server(storage="memory") as second:
        assert await second.core.active_client(client.client.id) is None


async def test_revocation_state_goes_through_the_cache_contract(make_server):
    from foundry.cache.provider import CacheServiceProvider
    from foundry.domain.cache import Cache

    async with make_server(storage="memory", providers=(CacheServiceProvider,)) as server:
        client = await server.client(grants=["client_credentials"])
        token = (await server.token({"grant_type": "client_credentials"}, client)).json()
        bearer = {"authorization": f"Bearer {token['access_token']}"}
        assert (await server.http.get("/api/me", headers=bearer)).status_code == 200
        cache = server.app.make(Cache)
        claims = await server.core.verifier.claims(token["access_token"])
        assert await cache.get(f"oauth:token-state:{claims.jti}") == "active"
        await server.http.post(
            "/oauth/revoke",
            data={"token": token["access_token"]},
            auth=httpx.BasicAuth(client.client.id, client.secret or ""),
        )
        assert await cache.get(f"oauth:token-state:{claims.jti}") is None
        assert (await server.http.get("/api/me", headers=bearer)).status_code == 401
