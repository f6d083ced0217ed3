"""Timing and security headers; HSTS only when the client used https."""

from __future__ import annotations

import re

from api_support import AppProvider

TIMING = re.compile(r"^app;dur=\d+\.\d{3}$")


async def test_timing_headers_are_on_every_response(build, client):
    api = build(AppProvider)
    async with client(api) as http:
        ok = await http.get("/search", params={"page": 2})
        missing = await http.get("/nowhere")
    for response in (ok, missing):
        assert TIMING.match(response.headers["server-timing"])
        duration = response.headers["server-timing"].removeprefix("app;dur=")
        assert response.headers["x-response-time"] == f"{duration}ms"


async def test_security_headers_are_added(build, client):
    api = build(AppProvider)
    async with client(api) as http:
        response = await http.get("/search", params={"page": 1})
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"


async def test_hsts_is_not_sent_over_plain_http(build, client):
    api = build(AppProvider)
    async with client(api, base_url="http://example.test") as http:
        response = await http.get("/search", params={"page": 1})
    assert "strict-transport-security" not in response.headers


async def test_hsts_is_sent_over_https_with_the_configured_max_age(build, client):
    api = build(AppProvider, HSTS_MAX_AGE="600", HSTS_INCLUDE_SUBDOMAINS="true")
    async with client(api, base_url="https://example.test") as http:
        response = await http.get("/search", params={"page": 1})
    assert response.headers["strict-transport-security"] == "max-age=600; includeSubDomains"


async def test_hsts_follows_the_scheme_a_trusted_proxy_reports(build, client):
    api = build(AppProvider, TRUSTED_PROXIES="10.0.0.1")
    async with client(api, peer="10.0.0.1") as http:
        response = await http.get("/search?page=1", headers={"X-Forwarded-Proto": "https"})
    assert response.headers["strict-transport-security"] == "max-age=31536000"


async def test_hsts_ignores_a_scheme_claimed_by_an_untrusted_peer(build, client):
    api = build(AppProvider, TRUSTED_PROXIES="10.0.0.1")
    async with client(api, peer="198.51.100.4") as http:
        response = await http.get("/search?page=1", headers={"X-Forwarded-Proto": "https"})
    assert "strict-transport-security" not in response.headers


async def test_hsts_max_age_zero_turns_it_off(build, client):
    api = build(AppProvider, HSTS_MAX_AGE="0")
    async with client(api, base_url="https://example.test") as http:
        response = await http.get("/search", params={"page": 1})
    assert "strict-transport-security" not in response.headers


async def test_frame_options_are_configurable(build, client):
    sameorigin = build(AppProvider, API_FRAME_OPTIONS="sameorigin")
    async with client(sameorigin) as http:
        assert (await http.get("/search?page=1")).headers["x-frame-options"] == "SAMEORIGIN"


async def test_frame_options_can_be_turned_off(build, client):
    api = build(AppProvider, API_FRAME_OPTIONS="off")
    async with client(api) as http:
        response = await http.get("/search?page=1")
    assert "x-frame-options" not in response.headers
    assert response.headers["x-content-type-options"] == "nosniff"


async def test_a_header_the_endpoint_set_itself_wins(build, client):
    api = build(AppProvider)
    async with client(api) as http:
        response = await http.get("/framed")
    assert response.headers.get_list("x-frame-options") == ["SAMEORIGIN"]
