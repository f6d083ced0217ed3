"""The passport:* commands."""

from __future__ import annotations

import json


async def test_passport_install_creates_keys_and_a_personal_access_client(make_server):
    async with make_server(keys=False) as server:
        ran = await server.run("passport:install", format="json")
        assert ran.outcome.exit_code == 0, ran.outcome.error
        data = ran.outcome.result.data
        assert data["keys"]["kid"]
        assert data["personal_access_client"]
        again = await server.run("passport:install", format="json")
        assert again.outcome.result.data["keys"] is None
        assert again.outcome.result.data["personal_access_client"] == data["personal_access_client"]


async def test_passport_keys_refuses_to_overwrite_without_force(server):
    ran = await server.run("passport:keys")
    assert ran.outcome.exit_code == 1
    assert "--force" in (ran.outcome.error or "")


async def test_passport_keys_is_refused_when_keys_come_from_the_environment(make_server, tmp_path):
    from foundry.oauth_server.keys import generate_key

    key = generate_key("RS256")
    env = {
        "OAUTH_PRIVATE_KEY": key.key.as_pem(private=True).decode().replace("\n", "\\n"),
        "OAUTH_PUBLIC_KEY": key.public_pem,
    }
    async with make_server(storage="memory", env=env, keys=False) as server:
        assert server.core.keys.signing.kid == key.kid
        ran = await server.run("passport:keys", "--force")
        assert ran.outcome.exit_code == 1
        assert "OAUTH_PRIVATE_KEY" in (ran.outcome.error or "")


async def test_passport_client_prints_id_and_secret_once(server):
    ran = await server.run(
        "passport:client",
        "--name",
        "Shop",
        "--redirect-uri",
        "https://shop.example/cb",
        "--grant",
        "authorization_code",
        "--grant",
        "refresh",
        format="json",
    )
    assert ran.outcome.exit_code == 0, ran.outcome.error
    data = ran.outcome.result.data
    assert data["secret"]
    assert data["id"]
    assert data["grants"] == ["authorization_code", "refresh_token"]
    listed = await server.run("passport:clients", format="json")
    assert "secret" not in json.dumps(listed.outcome.result.data).replace("public", "")


async def test_passport_client_human_output_shows_the_secret(server):
    ran = await server.run("passport:client", "--name", "Cli", "--grant", "client_credentials")
    assert ran.outcome.exit_code == 0, ran.outcome.error
    assert "Client ID:" in ran.stdout
    assert "Client secret:" in ran.stdout


async def test_passport_client_public_has_no_secret(server):
    ran = await server.run(
        "passport:client",
        "--name",
        "App",
        "--public",
        "--redirect-uri",
        "myapp://cb",
        format="json",
    )
    assert ran.outcome.result.data["secret"] is None
    assert ran.outcome.result.data["public"]


async def test_passport_client_rejects_bad_definitions(server):
    ran = await server.run("passport:client", "--name", "X", "--grant", "implicit")
    assert ran.outcome.exit_code != 0
    ran = await server.run("passport:client", "--name", "X", "--redirect-uri", "https://a/#frag")
    assert ran.outcome.exit_code != 0
    listed = await server.run("passport:clients", format="json")
    assert listed.outcome.result.data == []


async def test_passport_revoke_unknown_client_fails_clearly(server):
    ran = await server.run("passport:revoke", "00000000-0000-0000-0000-000000000000")
    assert ran.outcome.exit_code == 1
    assert "passport:clients" in (ran.outcome.error or "")


async def test_passport_token_issues_a_working_personal_access_token(server):
    ran = await server.run(
        "passport:token", server.ada.auth_identifier, "--scope", "orders:read", format="json"
    )
    assert ran.outcome.exit_code == 0, ran.outcome.error
    token = ran.outcome.result.data["token"]
    response = await server.http.get("/api/orders", headers={"authorization": f"Bearer {token}"})
    assert response.status_code == 200
    grant = await server.core.verifier.verify(token)
    assert grant is not None
    assert grant.user_id == server.ada.auth_identifier


async def test_passport_token_for_an_unknown_user_fails(server):
    ran = await server.run("passport:token", "nobody")
    assert ran.outcome.exit_code == 1
    assert "auth:users" in (ran.outcome.error or "")


async def test_passport_token_rejects_unknown_scopes(server):
    ran = await server.run("passport:token", server.ada.auth_identifier, "--scope", "root")
    assert ran.outcome.exit_code != 0


async def test_passport_purge_deletes_revoked_and_expired_rows(make_server):
    from foundry.domain.clock import FrozenClock

    clock = FrozenClock()
    async with make_server(clock=clock) as server:
        client = await server.client()
        server.login()
        await server.tokens_by_code(client)
        kept = await server.tokens_by_code(client)
        await server.run("passport:revoke", client.client.id)
        ran = await server.run("passport:purge", "--revoked", format="json")
        counts = ran.outcome.result.data
        assert counts["oauth_access_tokens"] == 2
        assert counts["oauth_refresh_tokens"] == 2
        assert kept["access_token"]
        clock.advance(days=400)
        ran = await server.run("passport:purge", "--expired", format="json")
        assert ran.outcome.exit_code == 0
