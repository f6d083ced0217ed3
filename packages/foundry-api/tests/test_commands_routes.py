"""GET /commands and POST /invoke (disabled by default; bearer token with foundry:invoke)."""

from __future__ import annotations

from api_support import AppProvider, DictVerifier, TokensProvider, grant

from foundry.domain.provider import ServiceProvider

ADMIN = {"Authorization": "Bearer admin-token"}


async def test_commands_lists_visible_descriptors(build, client):
    api = build(AppProvider)
    async with client(api) as http:
        response = await http.get("/commands")
    assert response.status_code == 200
    by_name = {c["name"]: c for c in response.json()["data"]}
    assert {"greet", "explode", "wipe", "serve", "route:list"} <= set(by_name)
    assert "internal:sync" not in by_name
    assert by_name["greet"]["arguments"][0]["name"] == "who"
    assert by_name["greet"]["options"][0]["name"] == "shout"


async def test_invoke_is_absent_unless_enabled(build, client):
    api = build(AppProvider, TokensProvider)
    async with client(api) as http:
        response = await http.post("/invoke", json={"command": "greet"}, headers=ADMIN)
        schema = (await http.get("/openapi.json")).json()
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "NOT_FOUND"
    assert "/invoke" not in schema["paths"]


async def test_invoke_without_a_token_is_401_with_a_bearer_challenge(build, client):
    api = build(AppProvider, TokensProvider, API_INVOKE_ENABLED="true")
    async with client(api) as http:
        response = await http.post("/invoke", json={"command": "greet", "args": ["Ada"]})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json()["error"]["code"] == "UNAUTHENTICATED"


async def test_invoke_with_an_unknown_token_is_401_invalid_token(build, client):
    api = build(AppProvider, TokensProvider, API_INVOKE_ENABLED="true")
    async with client(api) as http:
        response = await http.post(
            "/invoke", json={"command": "greet"}, headers={"Authorization": "Bearer nope"}
        )
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == 'Bearer error="invalid_token"'


async def test_invoke_with_a_token_lacking_the_ability_is_403(build, client):
    api = build(AppProvider, TokensProvider, API_INVOKE_ENABLED="true")
    async with client(api) as http:
        response = await http.post(
            "/invoke",
            json={"command": "greet", "args": ["Ada"]},
            headers={"Authorization": "Bearer reader-token"},
        )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "FORBIDDEN"
    assert "foundry:invoke" in response.json()["error"]["message"]


async def test_invoke_runs_the_command_and_captures_its_output(build, client):
    api = build(AppProvider, TokensProvider, API_INVOKE_ENABLED="true")
    async with client(api) as http:
        response = await http.post(
            "/invoke",
            json={"command": "greet", "args": ["Ada"], "params": {"shout": True}, "dry_run": True},
            headers=ADMIN,
        )
    assert response.status_code == 200
    assert response.json() == {
        "command": "greet",
        "status": "success",
        "message": "Greeted.",
        "data": {"text": "HELLO, ADA!", "dry_run": True},
        "exit_code": 0,
        "output": "HELLO, ADA!\n",
    }


async def test_a_failing_command_is_422_with_its_outcome(build, client):
    api = build(AppProvider, TokensProvider, API_INVOKE_ENABLED="true")
    async with client(api) as http:
        response = await http.post("/invoke", json={"command": "explode"}, headers=ADMIN)
    assert response.status_code == 422
    body = response.json()
    assert body["status"] == "failure"
    assert body["exit_code"] == 1
    assert body["message"] == "The reactor is offline; start it with reactor:start."
    assert body["output"] == "about to fail\n"


async def test_bad_command_input_is_a_failed_run(build, client):
    api = build(AppProvider, TokensProvider, API_INVOKE_ENABLED="true")
    async with client(api) as http:
        missing = await http.post("/invoke", json={"command": "greet"}, headers=ADMIN)
        unknown = await http.post(
            "/invoke", json={"command": "greet", "params": {"colour": "red"}}, headers=ADMIN
        )
    assert (missing.status_code, missing.json()["exit_code"]) == (422, 2)
    assert (unknown.status_code, unknown.json()["exit_code"]) == (422, 2)
    assert "colour" in unknown.json()["message"]


async def test_a_prompt_never_blocks_it_fails_the_run(build, client):
    api = build(AppProvider, TokensProvider, API_INVOKE_ENABLED="true")
    async with client(api) as http:
        response = await http.post("/invoke", json={"command": "wipe"}, headers=ADMIN)
    assert response.status_code == 422
    assert response.json()["exit_code"] == 2
    assert "confirm" in response.json()["message"]


async def test_an_unknown_command_is_404_with_suggestions(build, client):
    api = build(AppProvider, TokensProvider, API_INVOKE_ENABLED="true")
    async with client(api) as http:
        response = await http.post("/invoke", json={"command": "gret"}, headers=ADMIN)
    assert response.status_code == 404
    error = response.json()["error"]
    assert error["code"] == "COMMAND_NOT_FOUND"
    assert error["context"]["suggestions"][0] == "greet"
    assert "Did you mean: greet" in error["message"]


async def test_an_invalid_invoke_body_is_a_validation_envelope(build, client):
    api = build(AppProvider, TokensProvider, API_INVOKE_ENABLED="true")
    async with client(api) as http:
        response = await http.post(
            "/invoke", json={"command": "greet", "format": "xml"}, headers=ADMIN
        )
    assert response.status_code == 422
    assert list(response.json()["error"]["fields"]) == ["body.format"]


async def test_tagged_verifiers_are_asked_in_order_before_the_bound_one(build, client):
    first = DictVerifier({})
    second = DictVerifier({"oauth-token": grant("*", subject="client:7")})

    class TaggedTokens(ServiceProvider):
        def register(self, app):
            app.instance("verifiers.first", first)
            app.instance("verifiers.second", second)
            app.tag(["verifiers.first", "verifiers.second"], "auth.token_verifiers")

    api = build(AppProvider, TaggedTokens, TokensProvider, API_INVOKE_ENABLED="true")
    async with client(api) as http:
        via_tag = await http.post(
            "/invoke",
            json={"command": "greet", "args": ["Bo"]},
            headers={"Authorization": "Bearer oauth-token"},
        )
        via_bound = await http.post(
            "/invoke", json={"command": "greet", "args": ["Cy"]}, headers=ADMIN
        )
    assert via_tag.status_code == 200
    assert via_bound.status_code == 200
    assert first.asked == ["oauth-token", "admin-token"]
    assert second.asked == ["oauth-token", "admin-token"]


async def test_without_any_verifier_no_token_is_accepted(build, client):
    api = build(AppProvider, API_INVOKE_ENABLED="true")
    async with client(api) as http:
        response = await http.post("/invoke", json={"command": "greet"}, headers=ADMIN)
    assert response.status_code == 401
    assert "No TokenVerifier is bound" in response.json()["error"]["message"]


async def test_long_running_commands_cannot_be_invoked(build, client):
    api = build(AppProvider, TokensProvider, API_INVOKE_ENABLED="true")
    async with client(api) as http:
        response = await http.post("/invoke", json={"command": "serve"}, headers=ADMIN)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "COMMAND_NOT_INVOCABLE"
