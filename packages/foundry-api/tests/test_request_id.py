"""Request ids: generated, accepted only from trusted proxies, echoed, readable by logs."""

from __future__ import annotations

import logging
import uuid

from api_support import AppProvider

from foundry.api.request_id import RequestIdLogFilter, current_request_id


async def test_a_uuid4_is_generated_echoed_and_shared_with_state_and_context(build, client):
    api = build(AppProvider)
    async with client(api) as http:
        response = await http.get("/ids")
    request_id = response.headers["x-request-id"]
    assert uuid.UUID(request_id).version == 4
    assert response.json() == {"state": request_id, "context": request_id}


async def test_each_request_gets_its_own_id(build, client):
    api = build(AppProvider)
    async with client(api) as http:
        first = (await http.get("/ids")).headers["x-request-id"]
        second = (await http.get("/ids")).headers["x-request-id"]
    assert first != second


async def test_an_incoming_id_from_an_untrusted_peer_is_ignored(build, client):
    api = build(AppProvider, TRUSTED_PROXIES="10.0.0.0/8")
    async with client(api, peer="203.0.113.7") as http:
        response = await http.get("/ids", headers={"X-Request-ID": "forged-id"})
    assert response.headers["x-request-id"] != "forged-id"
    assert response.json()["context"] == response.headers["x-request-id"]


async def test_an_incoming_id_is_ignored_when_no_proxy_is_trusted(build, client):
    api = build(AppProvider)
    async with client(api, peer="127.0.0.1") as http:
        response = await http.get("/ids", headers={"X-Request-ID": "from-somewhere"})
    assert response.headers["x-request-id"] != "from-somewhere"


async def test_an_incoming_id_from_a_trusted_proxy_is_kept(build, client):
    api = build(AppProvider, TRUSTED_PROXIES="10.0.0.0/8")
    async with client(api, peer="10.1.2.3") as http:
        response = await http.get("/ids", headers={"X-Request-ID": "lb-7f3c:42"})
    assert response.headers["x-request-id"] == "lb-7f3c:42"
    assert response.json() == {"state": "lb-7f3c:42", "context": "lb-7f3c:42"}


async def test_a_malformed_id_from_a_trusted_proxy_is_replaced(build, client):
    api = build(AppProvider, TRUSTED_PROXIES="10.0.0.0/8")
    async with client(api, peer="10.1.2.3") as http:
        response = await http.get("/ids", headers={"X-Request-ID": "bad id\twith spaces"})
    assert uuid.UUID(response.headers["x-request-id"]).version == 4


async def test_error_responses_carry_the_id_and_the_log_line_names_it(build, client, caplog):
    api = build(AppProvider)
    with caplog.at_level(logging.ERROR, logger="foundry.api"):
        async with client(api) as http:
            response = await http.get("/boom")
    request_id = response.headers["x-request-id"]
    assert response.status_code == 500
    assert request_id in response.json()["error"]["message"]
    [record] = [r for r in caplog.records if r.name == "foundry.api"]
    assert record.request_id == request_id
    assert request_id in record.getMessage()


def test_outside_a_request_there_is_no_id():
    assert current_request_id() is None
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "message", (), None)
    assert RequestIdLogFilter().filter(record)
    assert record.request_id == "-"
