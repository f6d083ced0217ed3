"""CORS from configuration (Starlette's CORSMiddleware, configured by the provider)."""

from __future__ import annotations

import pytest
from api_support import AppProvider

from foundry.domain.errors import ConfigurationError

PREFLIGHT = {
    "Origin": "https://app.example.com",
    "Access-Control-Request-Method": "POST",
    "Access-Control-Request-Headers": "content-type, x-trace",
}


async def test_a_preflight_from_an_allowed_origin_is_answered(build, client):
    api = build(
        AppProvider,
        CORS_ORIGINS="https://app.example.com,https://admin.example.com",
        CORS_METHODS="GET,POST",
        CORS_HEADERS="content-type,x-trace",
        CORS_MAX_AGE="120",
        CORS_CREDENTIALS="true",
    )
    async with client(api) as http:
        response = await http.options("/items", headers=PREFLIGHT)
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "https://app.example.com"
    assert set(response.headers["access-control-allow-methods"].split(", ")) >= {"GET", "POST"}
    assert response.headers["access-control-max-age"] == "120"
    assert response.headers["access-control-allow-credentials"] == "true"
    assert "x-trace" in response.headers["access-control-allow-headers"].lower()


async def test_a_preflight_from_another_origin_is_refused(build, client):
    api = build(AppProvider, CORS_ORIGINS="https://app.example.com")
    async with client(api) as http:
        response = await http.options(
            "/items", headers={**PREFLIGHT, "Origin": "https://evil.example.net"}
        )
    assert response.status_code == 400
    assert "access-control-allow-origin" not in response.headers


async def test_a_simple_request_gets_the_origin_and_exposed_headers(build, client):
    api = build(AppProvider, CORS_ORIGINS="https://app.example.com")
    async with client(api) as http:
        response = await http.get("/search?page=1", headers={"Origin": "https://app.example.com"})
    assert response.headers["access-control-allow-origin"] == "https://app.example.com"
    assert response.headers["access-control-expose-headers"] == "X-Request-ID"


async def test_error_responses_carry_cors_headers_too(build, client):
    api = build(AppProvider, CORS_ORIGINS="*")
    async with client(api) as http:
        response = await http.get("/boom", headers={"Origin": "https://app.example.com"})
    assert response.status_code == 500
    assert response.headers["access-control-allow-origin"] == "*"


async def test_without_configured_origins_no_cors_headers_are_sent(build, client):
    api = build(AppProvider)
    async with client(api) as http:
        response = await http.get("/search?page=1", headers={"Origin": "https://app.example.com"})
    assert "access-control-allow-origin" not in response.headers


def test_credentials_with_a_wildcard_origin_is_refused_at_boot(build):
    with pytest.raises(ConfigurationError, match="CORS_CREDENTIALS=true with CORS_ORIGINS"):
        build(AppProvider, CORS_ORIGINS="*", CORS_CREDENTIALS="true")
