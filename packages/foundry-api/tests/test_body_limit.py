"""API_BODY_LIMIT: 413 by Content-Length up front, and by counting a streamed body."""

from __future__ import annotations

import pytest
from api_support import AppProvider, EchoCounter


class Chunks:
    """A request body streamed without Content-Length, counting how much was pulled."""

    def __init__(self, size: int, count: int) -> None:
        self.chunk = b"x" * size
        self.count = count
        self.pulled = 0

    async def __aiter__(self):
        for _ in range(self.count):
            self.pulled += 1
            yield self.chunk


@pytest.fixture(autouse=True)
def _reset_counter():
    EchoCounter.calls = 0


async def test_a_declared_length_over_the_limit_is_refused_without_calling_the_app(build, client):
    api = build(AppProvider, API_BODY_LIMIT="1000")
    async with client(api) as http:
        response = await http.post("/echo", content=b"x" * 1001)
    assert response.status_code == 413
    assert response.json() == {
        "error": {
            "code": "PAYLOAD_TOO_LARGE",
            "message": "The request body is larger than the 1000-byte limit; send less, "
            "or raise API_BODY_LIMIT.",
            "status": 413,
            "context": {"limit": 1000},
        }
    }
    assert response.headers["connection"] == "close"
    assert response.headers["x-request-id"]
    assert EchoCounter.calls == 0


async def test_a_body_within_the_limit_passes(build, client):
    api = build(AppProvider, API_BODY_LIMIT="1000")
    async with client(api) as http:
        exact = await http.post("/echo", content=b"x" * 1000)
        streamed = await http.post("/echo", content=Chunks(100, 10))
    assert (exact.status_code, exact.json()) == (200, {"received": 1000})
    assert (streamed.status_code, streamed.json()) == (200, {"received": 1000})


async def test_a_streamed_body_is_cut_off_at_the_limit_without_reading_the_rest(build, client):
    api = build(AppProvider, API_BODY_LIMIT="1000")
    body = Chunks(400, 50)
    async with client(api) as http:
        response = await http.post("/echo", content=body)
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "PAYLOAD_TOO_LARGE"
    assert body.pulled == 3  # 400 + 400 + 400 crosses 1000; the other 47 chunks stay unread


async def test_a_streamed_json_body_over_the_limit_is_a_413_not_a_parse_error(build, client):
    api = build(AppProvider, API_BODY_LIMIT="64")

    async def json_chunks():
        yield b'{"name": "widget", "quantity": '
        yield b"1" * 100 + b"}"

    async with client(api) as http:
        response = await http.post(
            "/items", content=json_chunks(), headers={"Content-Type": "application/json"}
        )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "PAYLOAD_TOO_LARGE"


async def test_a_malformed_content_length_is_a_bad_request(build, client):
    api = build(AppProvider)
    async with client(api) as http:
        response = await http.post("/echo", content=b"abc", headers={"Content-Length": "3x"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "BAD_REQUEST"
    assert EchoCounter.calls == 0


async def test_requests_without_a_body_are_untouched(build, client):
    api = build(AppProvider, API_BODY_LIMIT="1")
    async with client(api) as http:
        response = await http.get("/search", params={"page": 3})
    assert response.json() == {"page": 3}
