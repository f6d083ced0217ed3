"""HttpFake answers outbound httpx requests from patterns and records them."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from foundry.testing import HttpFake, StrayRequestError


@pytest.fixture
def fake() -> Iterator[HttpFake]:
    http = HttpFake()
    http.start()
    yield http
    http.stop()


async def test_patterns_answer_with_any_kind_of_response(fake: HttpFake) -> None:
    fake.fake(
        {
            "api.github.com/users/*": {"login": "ada"},
            "POST hooks.example.test/*": httpx.Response(500, text="down"),
            "*.example.test/text": "plain",
            "status.example.test/*": 204,
            "echo.example.test/*": lambda request: httpx.Response(200, json=request.url.path),
        }
    )
    async with httpx.AsyncClient() as client:
        assert (await client.get("https://api.github.com/users/ada")).json() == {"login": "ada"}
        hook = await client.post("https://hooks.example.test/x", json={"a": 1})
        assert (hook.status_code, hook.text) == (500, "down")
        assert (await client.get("http://www.example.test/text")).text == "plain"
        assert (await client.get("https://status.example.test/now")).status_code == 204
        assert (await client.get("https://echo.example.test/p/q")).json() == "/p/q"
    fake.assert_sent_count(5)
    fake.assert_sent(lambda r: r.method == "POST" and r.content == b'{"a":1}')


def test_synchronous_clients_are_faked_too(fake: HttpFake) -> None:
    fake.fake({"api.github.com/*": {"ok": True}})
    with httpx.Client() as client:
        assert client.get("https://api.github.com/").json() == {"ok": True}
    fake.assert_sent("api.github.com/*")


async def test_fake_without_patterns_answers_everything_with_200(fake: HttpFake) -> None:
    fake.fake()
    async with httpx.AsyncClient() as client:
        response = await client.delete("https://anything.example.test/a")
    assert (response.status_code, response.content) == (200, b"")
    fake.assert_sent("DELETE anything.example.test/a")


async def test_a_sequence_answers_in_turn_then_fails(fake: HttpFake) -> None:
    fake.fake({"api.example.test/*": fake.sequence(201, {"n": 2})})
    async with httpx.AsyncClient() as client:
        assert (await client.get("https://api.example.test/1")).status_code == 201
        assert (await client.get("https://api.example.test/2")).json() == {"n": 2}
        with pytest.raises(StrayRequestError, match=r"response sequence for it is used up"):
            await client.get("https://api.example.test/3")


async def test_prevented_strays_fail_naming_the_request_and_the_fix(fake: HttpFake) -> None:
    fake.fake({"api.github.com/*": 200}).prevent_stray_requests()
    async with httpx.AsyncClient() as client:
        with pytest.raises(StrayRequestError) as refused:
            await client.post("https://payments.example.test/charge")
    message = str(refused.value)
    assert "Stray request POST https://payments.example.test/charge" in message
    assert "'api.github.com/*'" in message
    assert "allow_stray_requests()" in message
    fake.assert_nothing_sent()  # a refused request was never sent


async def test_an_asgi_test_client_is_never_intercepted(fake: HttpFake) -> None:
    fake.fake().prevent_stray_requests()

    async def app(scope, receive, send):  # type: ignore[no-untyped-def]
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"from the app"})

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        assert (await client.get("/")).text == "from the app"
    fake.assert_nothing_sent()


async def test_failed_assertions_list_the_requests_sent(fake: HttpFake) -> None:
    fake.fake({"api.github.com/*": 200})
    async with httpx.AsyncClient() as client:
        await client.get("https://api.github.com/users/ada")
    with pytest.raises(AssertionError) as failure:
        fake.assert_sent("api.github.com/orgs/*")
    text = str(failure.value)
    assert "Expected a request to 'api.github.com/orgs/*' to be sent, but it was not." in text
    assert "GET https://api.github.com/users/ada (faked by 'api.github.com/*')" in text
    with pytest.raises(AssertionError, match=r"not to be sent, but it was sent 1 time"):
        fake.assert_not_sent("api.github.com/*")
    with pytest.raises(AssertionError, match=r"to be sent 2 times, but it was sent 1 time"):
        fake.assert_sent_count(2)


async def test_answers_of_an_unknown_kind_are_refused(fake: HttpFake) -> None:
    fake.fake({"api.example.test/*": object()})
    async with httpx.AsyncClient() as client:
        with pytest.raises(TypeError, match=r"give an httpx.Response, a dict or list"):
            await client.get("https://api.example.test/")
