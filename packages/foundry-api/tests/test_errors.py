"""Every failure renders as one envelope: {"error": {"code", "message", "status", ...}}."""

from __future__ import annotations

import logging

from api_support import AppProvider

from foundry.domain.http import MiddlewareSpec, Priority
from foundry.domain.provider import ServiceProvider


class Exploding:
    """A pure-ASGI middleware with a bug, as a third-party package might ship."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and scope["path"] == "/search":
            raise RuntimeError("the rate limiter lost its store")
        await self.app(scope, receive, send)


class ExplodingProvider(ServiceProvider):
    def middleware(self, app):
        return [MiddlewareSpec(Exploding, priority=Priority.RATE_LIMIT, name="exploding")]


async def test_a_foundry_error_renders_its_to_dict(build, client):
    api = build(AppProvider)
    async with client(api) as http:
        response = await http.get("/missing")
    assert response.status_code == 404
    assert response.json() == {
        "error": {"code": "NOT_FOUND", "message": "Post 42 does not exist.", "status": 404}
    }


async def test_service_unavailable_is_a_503(build, client):
    api = build(AppProvider)
    async with client(api) as http:
        response = await http.get("/unavailable")
    assert response.status_code == 503
    assert response.json()["error"] == {
        "code": "SERVICE_UNAVAILABLE",
        "message": "The database at db:5432 is not answering.",
        "status": 503,
    }


async def test_an_authentication_error_asks_for_a_bearer_token(build, client):
    api = build(AppProvider)
    async with client(api) as http:
        response = await http.get("/private")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json()["error"]["code"] == "UNAUTHENTICATED"


async def test_validation_errors_map_field_paths_to_messages(build, client):
    api = build(AppProvider)
    async with client(api) as http:
        response = await http.post("/items", json={"name": "ab", "quantity": "many"})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "VALIDATION_ERROR"
    assert error["status"] == 422
    assert set(error["fields"]) == {"body.name", "body.quantity"}
    assert "at least 3 characters" in error["fields"]["body.name"][0]
    assert error["message"].startswith("body.name: ")
    assert error["message"].endswith("(and 1 more error).")


async def test_query_validation_errors_are_keyed_by_query(build, client):
    api = build(AppProvider)
    async with client(api) as http:
        missing = await http.get("/search")
        wrong = await http.get("/search", params={"page": "two"})
    assert list(missing.json()["error"]["fields"]) == ["query.page"]
    assert missing.json()["error"]["fields"]["query.page"] == ["Field required"]
    assert list(wrong.json()["error"]["fields"]) == ["query.page"]


async def test_malformed_json_is_a_400_saying_where_it_broke(build, client):
    api = build(AppProvider)
    async with client(api) as http:
        response = await http.post(
            "/items",
            content=b'{"name": "widget",\n "quantity": }',
            headers={"Content-Type": "application/json"},
        )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "MALFORMED_JSON"
    assert error["context"] == {"line": 2, "column": 14, "position": 32}
    assert error["message"] == (
        "The request body is not valid JSON: Expecting value at line 2 column 14 (character 32)."
    )


async def test_an_unknown_route_is_not_found(build, client):
    api = build(AppProvider)
    async with client(api) as http:
        response = await http.get("/no/such/page")
    assert response.status_code == 404
    assert response.json() == {
        "error": {
            "code": "NOT_FOUND",
            "message": "No route matches GET /no/such/page.",
            "status": 404,
        }
    }


async def test_a_wrong_method_is_405_with_the_allow_header(build, client):
    api = build(AppProvider)
    async with client(api) as http:
        response = await http.delete("/items")
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert response.json()["error"] == {
        "code": "METHOD_NOT_ALLOWED",
        "message": "DELETE is not allowed on /items; use POST.",
        "status": 405,
    }


async def test_an_http_exception_keeps_its_detail_and_headers(build, client):
    api = build(AppProvider)
    async with client(api) as http:
        response = await http.get("/teapot")
    assert response.status_code == 418
    assert response.headers["x-brew"] == "tea"
    assert response.json()["error"] == {
        "code": "IM_A_TEAPOT",
        "message": "I only brew tea.",
        "status": 418,
    }


async def test_an_unexpected_error_is_a_generic_500_without_debug(build, client, caplog):
    api = build(AppProvider)
    with caplog.at_level(logging.ERROR, logger="foundry.api"):
        async with client(api) as http:
            response = await http.get("/boom")
    assert response.status_code == 500
    error = response.json()["error"]
    assert error["code"] == "INTERNAL_ERROR"
    assert "ZeroDivisionError" not in response.text
    assert "division by zero" not in response.text
    assert "debug" not in error
    assert response.headers["x-content-type-options"] == "nosniff"
    assert any(r.exc_info and r.exc_info[0] is ZeroDivisionError for r in caplog.records)


async def test_debug_mode_shows_the_exception_and_traceback(build, client):
    api = build(AppProvider, APP_DEBUG="true", APP_ENV="local")
    async with client(api) as http:
        response = await http.get("/boom")
    debug = response.json()["error"]["debug"]
    assert debug["exception"] == "builtins.ZeroDivisionError"
    assert debug["message"] == "division by zero in the report"
    assert debug["traceback"][0] == "Traceback (most recent call last):"
    assert any("in boom" in line for line in debug["traceback"])


async def test_production_never_shows_debug_details_even_with_app_debug(build, client):
    api = build(AppProvider, APP_DEBUG="true", APP_ENV="production", APP_KEY="k" * 32)
    async with client(api) as http:
        response = await http.get("/boom")
    assert response.status_code == 500
    assert "debug" not in response.json()["error"]
    assert "ZeroDivisionError" not in response.text


async def test_an_inner_middleware_failure_is_the_500_envelope_with_every_header(build, client):
    api = build(AppProvider, ExplodingProvider, CORS_ORIGINS="*")
    async with client(api) as http:
        response = await http.get("/search?page=1", headers={"Origin": "https://a.test"})
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "INTERNAL_ERROR"
    assert response.headers["x-request-id"] in response.json()["error"]["message"]
    assert response.headers["access-control-allow-origin"] == "*"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["server-timing"].startswith("app;dur=")
