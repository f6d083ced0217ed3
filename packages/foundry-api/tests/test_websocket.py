"""Websockets pass through the HTTP stack: they get a request id, nothing else changes."""

from __future__ import annotations

import asyncio
import json
import uuid

from api_support import AppProvider


async def test_a_websocket_session_gets_a_request_id_and_works(build):
    api = build(AppProvider, TRUSTED_PROXIES="10.0.0.0/8", CORS_ORIGINS="*")
    incoming = [{"type": "websocket.connect"}, {"type": "websocket.receive", "text": "hello"}]
    sent: list[dict] = []

    async def receive():
        return incoming.pop(0) if incoming else {"type": "websocket.disconnect", "code": 1000}

    async def send(message):
        sent.append(message)

    scope = {
        "type": "websocket",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "scheme": "ws",
        "path": "/echo-socket",
        "raw_path": b"/echo-socket",
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"testserver"), (b"origin", b"https://a.test")],
        "client": ("198.51.100.3", 50000),
        "server": ("testserver", 80),
        "subprotocols": [],
    }
    await asyncio.wait_for(api(scope, receive, send), timeout=10)
    assert [m["type"] for m in sent] == ["websocket.accept", "websocket.send", "websocket.close"]
    reply = json.loads(sent[1]["text"])
    assert reply["echo"] == "hello"
    assert uuid.UUID(reply["request_id"]).version == 4
