"""RFC 9700 (OAuth 2.0 Security BCP) and the attacks it lists."""

from __future__ import annotations

import httpx
from conftest import REDIRECT, query_of


async def _introspect_active(server, client, token):
    response = await server.http.post(
        "/oauth/introspect",
        data={"token": token},
        auth=httpx.BasicAuth(client.client.id, client.secret or ""),
    )
    return response.json()["active"]


async def test_4_1_code_replay_fails_and_revokes_tokens_from_the_first_use(server):
    client = await server.client()
    server.login()
    code = await server.code(client)
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT}
    first = (await server.token(data, client)).json()
    second = await server.token(data, client)
    assert second.json()["error"] == "invalid_grant"
    bearer = {"authorization": f"Bearer {first['access_token']}"}
    assert (await server.http.get("/api/me", headers=bearer)).status_code == 401
    assert not await _introspect_active(server, client, first["access_token"])
    refresh = await server.token(
        {"grant_type": "refresh_token", "refresh_token": first["refresh_token"]}, client
    )
    assert refresh.json()["error"] == "invalid_grant"


async def test_4_14_refresh_reuse_revokes_the_whole_family(server):
    client = await server.client()
    server.login()
    first = await server.tokens_by_code(client)
    second = (
        await server.token(
            {"grant_type": "refresh_token", "refresh_token": first["refresh_token"]}, client
        )
    ).json()
    reuse = await server.token(
        {"grant_type": "refresh_token", "refresh_token": first["refresh_token"]}, client
    )
    assert reuse.json()["error"] == "invalid_grant"
    # the attacker's (or victim's) newest tokens die with the family
    newest = await server.token(
        {"grant_type": "refresh_token", "refresh_token": second["refresh_token"]}, client
    )
    assert newest.json()["error"] == "invalid_grant"
    bearer = {"authorization": f"Bearer {second['access_token']}"}
    assert (await server.http.get("/api/me", headers=bearer)).status_code == 401


async def test_4_14_other_families_survive_a_reuse(server):
    client = await server.client()
    server.login()
    first = await server.tokens_by_code(client)
    unrelated = await server.tokens_by_code(client)
    await server.token(
        {"grant_type": "refresh_token", "refresh_token": first["refresh_token"]}, client
    )
    await server.token(
        {"grant_type": "refresh_token", "refresh_token": first["refresh_token"]}, client
    )
    bearer = {"authorization": f"Bearer {unrelated['access_token']}"}
    assert (await server.http.get("/api/me", headers=bearer)).status_code == 200


async def test_scope_escalation_on_refresh_is_invalid_scope(server):
    client = await server.client()
    server.login()
    first = await server.tokens_by_code(client, scope="orders:read")
    response = await server.token(
        {
            "grant_type": "refresh_token",
            "refresh_token": first["refresh_token"],
            "scope": "orders:read orders:write",
        },
        client,
    )
    assert response.json()["error"] == "invalid_scope"
    # the failed attempt did not burn the token
    ok = await server.token(
        {"grant_type": "refresh_token", "refresh_token": first["refresh_token"]}, client
    )
    assert ok.status_code == 200


async def _tampered(server, client, redirect_uri):
    server.login()
    return await server.authorize(client, redirect_uri=redirect_uri)


async def test_4_1_3_redirect_uri_prefix_is_refused(server):
    client = await server.client()
    response = await _tampered(server, client, REDIRECT + "/evil")
    assert response.status_code == 400
    assert "location" not in response.headers


async def test_4_1_3_redirect_uri_suffix_is_refused(server):
    client = await server.client()
    response = await _tampered(server, client, "https://client.example/call")
    assert response.status_code == 400
    assert "location" not in response.headers


async def test_4_1_3_redirect_uri_case_change_is_refused(server):
    client = await server.client()
    response = await _tampered(server, client, "https://CLIENT.example/callback")
    assert response.status_code == 400
    assert "location" not in response.headers


async def test_4_1_3_redirect_uri_extra_query_is_refused(server):
    client = await server.client()
    response = await _tampered(server, client, REDIRECT + "?next=https://evil.example")
    assert response.status_code == 400
    assert "location" not in response.headers


async def test_4_1_3_redirect_uri_other_host_is_refused(server):
    client = await server.client()
    response = await _tampered(server, client, "https://evil.example/callback")
    assert response.status_code == 400
    assert "location" not in response.headers


async def test_ambiguous_redirect_uri_must_be_named(server):
    client = await server.client(redirect_uris=[REDIRECT, "https://client.example/two"])
    server.login()
    response = await server.http.get(
        "/oauth/authorize", params={"response_type": "code", "client_id": client.client.id}
    )
    assert response.status_code == 400


async def test_4_4_csrf_consent_without_token_is_refused(server):
    client = await server.client()
    server.login()
    page = await server.authorize(client)
    fields = server.form_of(page.text)
    del fields["_token"]
    response = await server.http.post("/oauth/authorize", data={**fields, "decision": "approve"})
    assert response.status_code == 403
    assert "location" not in response.headers


async def test_4_4_csrf_consent_with_forged_token_is_refused(server):
    client = await server.client()
    server.login()
    page = await server.authorize(client)
    fields = server.form_of(page.text)
    fields["_token"] = "0" * 64
    response = await server.http.post("/oauth/authorize", data={**fields, "decision": "approve"})
    assert response.status_code == 403


async def test_4_4_csrf_token_of_another_user_is_refused(server):
    client = await server.client()
    server.login()
    page = await server.authorize(client)
    fields = server.form_of(page.text)
    mallory = server.users.add("mallory@example.com", "Mallory")
    server.login(mallory)
    response = await server.http.post("/oauth/authorize", data={**fields, "decision": "approve"})
    assert response.status_code == 403


async def test_4_4_csrf_without_the_cookie_is_refused(server):
    client = await server.client()
    server.login()
    page = await server.authorize(client)
    fields = server.form_of(page.text)
    server.http.cookies.delete("foundry_oauth_csrf", path="/oauth")
    response = await server.http.post("/oauth/authorize", data={**fields, "decision": "approve"})
    assert response.status_code == 403


async def test_open_redirect_via_next_is_impossible(server):
    client = await server.client()
    anonymous = await server.authorize(client, state="//evil.example/x")
    next_path = query_of(anonymous.headers["location"])["next"]
    assert next_path.startswith("/oauth/authorize?")
    assert not next_path.startswith("//")
    posted = await server.http.post(
        "/oauth/authorize", data={"client_id": client.client.id, "redirect_uri": "//evil.example"}
    )
    assert query_of(posted.headers["location"])["next"].startswith("/oauth/authorize?")


async def test_login_url_with_its_own_query_gets_next_appended(make_server):
    async with make_server(storage="memory", env={"OAUTH_LOGIN_URL": "/login?via=oauth"}) as s:
        client = await s.client()
        response = await s.authorize(client)
        assert response.headers["location"].startswith("/login?via=oauth&next=%2Foauth%2Fauthorize")


async def test_2_6_https_is_required_in_production(make_server):
    async with make_server(storage="memory", env={"APP_ENV": "production"}) as server:
        client = await server.client(grants=["client_credentials"])
        response = await server.token({"grant_type": "client_credentials"}, client)
        assert response.status_code == 400
        assert "https" in response.json()["error_description"]


async def test_secrets_and_refresh_tokens_are_stored_hashed(server):
    import sqlalchemy as sa

    from foundry.domain.database import Database

    client = await server.client()
    server.login()
    tokens = await server.tokens_by_code(client)
    engine = server.app.make(Database).engine
    async with engine.connect() as connection:
        secret_hash = (
            (await connection.execute(sa.text("SELECT secret_hash FROM oauth_clients")))
            .scalars()
            .all()
        )
        refresh = (
            (await connection.execute(sa.text("SELECT token_hash FROM oauth_refresh_tokens")))
            .scalars()
            .all()
        )
    assert client.secret not in secret_hash
    assert tokens["refresh_token"] not in refresh
    assert all(len(value) == 64 for value in [*secret_hash, *refresh] if value)


async def test_revoked_client_can_do_nothing_more(server):
    client = await server.client()
    server.login()
    tokens = await server.tokens_by_code(client)
    ran = await server.run("passport:revoke", client.client.id)
    assert ran.outcome.exit_code == 0
    bearer = {"authorization": f"Bearer {tokens['access_token']}"}
    assert (await server.http.get("/api/me", headers=bearer)).status_code == 401
    refresh = await server.token(
        {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]}, client
    )
    assert refresh.json()["error"] == "invalid_client"
