"""RFC 6749 §4.1 (authorization code), §3.1 (authorization endpoint), §2.3 (client
authentication), §5 (token responses)."""

from __future__ import annotations

import httpx
from conftest import REDIRECT, pkce_pair, query_of

from foundry.domain.clock import FrozenClock


async def test_4_1_1_visitor_is_sent_to_login_with_next_back_to_the_request(server):
    client = await server.client()
    response = await server.authorize(client)
    assert response.status_code == 302
    location = response.headers["location"]
    assert location.startswith("/auth/login?next=")
    next_path = query_of(location)["next"]
    assert next_path.startswith("/oauth/authorize?")
    assert f"client_id={client.client.id}" in next_path


async def test_4_1_1_consent_page_lists_scope_descriptions_and_posts_back(server):
    client = await server.client()
    server.login()
    page = await server.authorize(client, scope="openid email orders:read")
    assert page.status_code == 200
    assert "Read your orders" in page.text
    assert "See your e-mail address" in page.text
    assert 'action="/oauth/authorize"' in page.text
    assert 'name="decision" value="approve"' in page.text
    assert 'name="decision" value="deny"' in page.text
    fields = server.form_of(page.text)
    assert fields["client_id"] == client.client.id
    assert fields["state"] == "xyz"
    assert fields["_token"]
    assert page.headers["x-frame-options"] == "DENY"


async def test_4_1_2_approval_redirects_with_code_and_state(server):
    client = await server.client()
    server.login()
    location = await server.approve(client)
    assert location.startswith(REDIRECT + "?")
    found = query_of(location)
    assert found["state"] == "xyz"
    assert len(found["code"]) >= 43


async def test_4_1_2_1_denial_redirects_with_access_denied(server):
    client = await server.client()
    server.login()
    location = await server.approve(client, decision="deny")
    found = query_of(location)
    assert found["error"] == "access_denied"
    assert found["state"] == "xyz"
    assert "code" not in found


async def test_4_1_2_1_unknown_client_is_shown_not_redirected(server):
    server.login()
    response = await server.http.get(
        "/oauth/authorize",
        params={"response_type": "code", "client_id": "nope", "redirect_uri": REDIRECT},
    )
    assert response.status_code == 400
    assert "location" not in response.headers
    assert "invalid_client" in response.text


async def test_4_1_2_1_unsupported_response_type_is_redirected_with_error(server):
    client = await server.client()
    server.login()
    response = await server.authorize(client, response_type="token")
    assert response.status_code == 302
    assert query_of(response.headers["location"])["error"] == "unsupported_response_type"


async def test_3_3_unknown_scope_is_invalid_scope(server):
    client = await server.client()
    server.login()
    response = await server.authorize(client, scope="openid admin")
    assert response.status_code == 302
    assert query_of(response.headers["location"])["error"] == "invalid_scope"


async def test_3_3_scope_outside_the_clients_allowance_is_invalid_scope(server):
    client = await server.client(scopes=["openid"])
    server.login()
    response = await server.authorize(client, scope="openid orders:read")
    assert query_of(response.headers["location"])["error"] == "invalid_scope"


async def test_4_1_3_code_exchange_returns_bearer_token_response(server):
    client = await server.client()
    server.login()
    tokens = await server.tokens_by_code(client, scope="orders:read")
    assert tokens["token_type"] == "Bearer"
    assert tokens["expires_in"] == 3600
    assert tokens["scope"] == "orders:read"
    assert tokens["refresh_token"]


async def test_5_1_token_response_is_not_cacheable(server):
    client = await server.client(grants=["client_credentials"])
    response = await server.token({"grant_type": "client_credentials"}, client)
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["pragma"] == "no-cache"


async def test_2_3_1_client_secret_post_authenticates(server):
    client = await server.client(grants=["client_credentials"])
    response = await server.token({"grant_type": "client_credentials"}, client, basic=False)
    assert response.status_code == 200, response.text


async def test_2_3_1_wrong_secret_is_invalid_client_401_with_challenge(server):
    client = await server.client(grants=["client_credentials"])
    response = await server.http.post(
        "/oauth/token",
        data={"grant_type": "client_credentials"},
        auth=httpx.BasicAuth(client.client.id, "wrong-secret"),
    )
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"
    assert response.headers["www-authenticate"].startswith("Basic")


async def test_2_3_1_wrong_secret_by_post_is_invalid_client(server):
    client = await server.client(grants=["client_credentials"])
    response = await server.http.post(
        "/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": client.client.id,
            "client_secret": "wrong",
        },
    )
    assert response.status_code in (400, 401)
    assert response.json()["error"] == "invalid_client"


async def test_2_3_confidential_client_cannot_skip_authentication(server):
    client = await server.client()
    server.login()
    verifier, challenge = pkce_pair()
    code = await server.code(client, code_challenge=challenge, code_challenge_method="S256")
    response = await server.http.post(
        "/oauth/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT,
            "client_id": client.client.id,
            "code_verifier": verifier,
        },
    )
    assert response.json()["error"] == "invalid_client"


async def test_4_1_3_code_is_bound_to_the_client(server):
    client = await server.client()
    other = await server.client(name="Other")
    server.login()
    code = await server.code(client)
    response = await server.token(
        {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT}, other
    )
    assert response.json()["error"] == "invalid_grant"


async def test_4_1_3_redirect_uri_must_match_the_authorization_request(server):
    client = await server.client(redirect_uris=[REDIRECT, "https://client.example/other"])
    server.login()
    code = await server.code(client)
    response = await server.token(
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": "https://client.example/other",
        },
        client,
    )
    assert response.json()["error"] == "invalid_grant"


async def test_4_1_2_code_expires_after_the_configured_lifetime(make_server):
    clock = FrozenClock()
    async with make_server(storage="memory", clock=clock) as server:
        client = await server.client()
        server.login()
        code = await server.code(client)
        clock.advance(600)
        response = await server.token(
            {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT}, client
        )
        assert response.json()["error"] == "invalid_grant"


async def test_4_1_2_code_is_still_valid_one_second_before_expiry(make_server):
    clock = FrozenClock()
    async with make_server(storage="memory", clock=clock) as server:
        client = await server.client()
        server.login()
        code = await server.code(client)
        clock.advance(599)
        response = await server.token(
            {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT}, client
        )
        assert response.status_code == 200, response.text


async def test_3_2_token_endpoint_takes_form_encoded_parameters_only(server):
    client = await server.client(grants=["client_credentials"])
    response = await server.http.post(
        "/oauth/token",
        json={"grant_type": "client_credentials"},
        auth=httpx.BasicAuth(client.client.id, client.secret or ""),
    )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"


async def test_5_2_unsupported_grant_type(server):
    client = await server.client()
    response = await server.token({"grant_type": "magic"}, client)
    assert response.status_code == 400
    assert response.json()["error"] == "unsupported_grant_type"


async def test_5_2_unauthorized_client_for_a_grant_it_was_not_given(server):
    client = await server.client(grants=["authorization_code"])
    response = await server.token({"grant_type": "client_credentials"}, client)
    assert response.json()["error"] == "unauthorized_client"


async def test_first_party_client_skips_the_consent_page(server):
    client = await server.client(first_party=True)
    server.login()
    response = await server.authorize(client)
    assert response.status_code == 302
    assert "code" in query_of(response.headers["location"])


async def test_first_party_client_still_asks_with_prompt_consent(server):
    client = await server.client(first_party=True)
    server.login()
    response = await server.authorize(client, prompt="consent")
    assert response.status_code == 200
    assert 'value="approve"' in response.text
