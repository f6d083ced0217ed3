"""route:list: the assembled application's real routes, middleware and dependencies."""

from __future__ import annotations

import io

import pytest
from api_support import AppProvider, TokensProvider

from foundry.api.provider import ApiServiceProvider
from foundry.application import Application
from foundry.domain.application import CommandRunner
from foundry.domain.console import Output
from foundry.service_container.provider import ServiceContainerServiceProvider


@pytest.fixture
def runner(base, monkeypatch):
    def make(**env: str) -> CommandRunner:
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        providers = [
            ServiceContainerServiceProvider,
            ApiServiceProvider,
            AppProvider,
            TokensProvider,
        ]
        app = Application(base, providers=providers, discover=False).boot()
        return app.make(CommandRunner)

    return make


async def test_json_lists_every_route_with_the_middleware_stack(runner):
    outcome = await runner(API_INVOKE_ENABLED="true").run("route:list", format="json")
    assert outcome.exit_code == 0
    data = outcome.result.data
    assert data["middleware"] == [
        "container-scope",
        "request-id",
        "timing",
        "security-headers",
        "server-errors",
        "body-limit",
    ]
    by_path = {route["path"]: route for route in data["routes"]}
    assert {"/commands", "/invoke", "/upload", "/openapi.json", "/docs", "/items"} <= set(by_path)
    assert by_path["/invoke"]["methods"] == ["POST"]
    assert by_path["/invoke"]["name"] == "commands.invoke"
    assert by_path["/invoke"]["dependencies"] == ["bearer_foundry_invoke", "HTTPBearer"]
    assert by_path["/upload"]["dependencies"] == ["bearer_foundry_upload", "HTTPBearer"]
    assert by_path["/commands"]["dependencies"] == []
    assert by_path["/commands"]["middleware"] == data["middleware"]


async def test_configured_proxies_and_cors_join_the_stack_in_priority_order(runner):
    outcome = await runner(TRUSTED_PROXIES="10.0.0.0/8", CORS_ORIGINS="https://a.test").run(
        "route:list", format="json"
    )
    assert outcome.result.data["middleware"] == [
        "container-scope",
        "request-id",
        "timing",
        "trusted-proxies",
        "security-headers",
        "cors",
        "server-errors",
        "body-limit",
    ]


async def test_filters_by_method_and_path(runner):
    run = runner().run
    posts = (await run("route:list", ["--method", "post"], format="json")).result.data
    assert {r["path"] for r in posts["routes"]} == {"/upload", "/items", "/echo"}
    docs = (await run("route:list", ["--path", "/docs"], format="json")).result.data
    assert [r["path"] for r in docs["routes"]] == ["/docs", "/docs/oauth2-redirect"]


async def test_human_output_is_a_table(runner, base):
    run = runner()
    app = Application(
        base, providers=[ServiceContainerServiceProvider, ApiServiceProvider], discover=False
    ).boot()
    buffer = io.StringIO()
    output = app.make(Output, stdout=buffer, stderr=buffer)
    outcome = await run.run("route:list", ["--path", "/upload"], output=output)
    text = buffer.getvalue()
    assert outcome.result.message == "1 route."
    assert text.startswith("Middleware: container-scope -> request-id -> timing")
    row = next(line for line in text.splitlines() if "/upload" in line)
    assert row.split()[:3] == ["POST", "/upload", "files.upload"]
    assert "bearer_foundry_upload" in text
