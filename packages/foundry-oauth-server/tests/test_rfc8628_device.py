"""RFC 8628: the device authorization grant."""

from __future__ import annotations

import re

from conftest import ISSUER

from foundry.domain.clock import FrozenClock

DEVICE = "urn:ietf:params:oauth:grant-type:device_code"


async def _start(server, client, scope="openid orders:read"):
    response = await server.http.post(
        "/oauth/device/code", data={"client_id": client.client.id, "scope": scope}
    )
    assert response.status_code == 200, response.text
    return response.json()


async def _poll(server, client, device_code):
    return await server.token({"grant_type": DEVICE, "device_code": device_code}, client)


async def _decide(server, user_code, decision="approve"):
    page = await server.http.get("/oauth/device", params={"user_code": user_code})
    assert page.status_code == 200, page.text
    token = re.search(r'name="_token" value="([^"]+)"', page.text)
    assert token
    return await server.http.post(
        "/oauth/device",
        data={"user_code": user_code, "_token": token.group(1), "decision": decision},
    )


async def test_3_2_device_authorization_response(server):
    client = await server.client(public=True, grants=[DEVICE, "refresh_token"])
    body = await _start(server, client)
    assert body["verification_uri"] == f"{ISSUER}/oauth/device"
    assert body["verification_uri_complete"].endswith(body["user_code"])
    assert re.fullmatch(r"[B-DF-HJ-NP-TV-XZ]{4}-[B-DF-HJ-NP-TV-XZ]{4}", body["user_code"])
    assert body["expires_in"] == 900
    assert body["interval"] == 5


async def test_3_5_pending_then_approved_then_single_use(make_server):
    clock = FrozenClock()
    async with make_server(storage="memory", clock=clock) as server:
        client = await server.client(public=True, grants=[DEVICE, "refresh_token"])
        started = await _start(server, client)
        pending = await _poll(server, client, started["device_code"])
        assert pending.json()["error"] == "authorization_pending"
        server.login()
        done = await _decide(server, started["user_code"].lower().replace("-", " "))
        assert done.status_code == 200
        assert "Device connected" in done.text
        clock.advance(5)
        tokens = await _poll(server, client, started["device_code"])
        body = tokens.json()
        assert tokens.status_code == 200, body
        assert body["scope"] == "openid orders:read"
        assert body["refresh_token"]
        me = await server.http.get(
            "/api/me", headers={"authorization": f"Bearer {body['access_token']}"}
        )
        assert me.json()["sub"] == server.ada.auth_identifier
        clock.advance(5)
        again = await _poll(server, client, started["device_code"])
        assert again.json()["error"] == "invalid_grant"


async def test_3_5_polling_too_fast_gets_slow_down(make_server):
    clock = FrozenClock()
    async with make_server(storage="memory", clock=clock) as server:
        client = await server.client(public=True, grants=[DEVICE])
        started = await _start(server, client)
        assert (await _poll(server, client, started["device_code"])).json()["error"] == (
            "authorization_pending"
        )
        clock.advance(2)
        assert (await _poll(server, client, started["device_code"])).json()["error"] == "slow_down"
        clock.advance(6)  # the interval is now 10 s
        assert (await _poll(server, client, started["device_code"])).json()["error"] == "slow_down"


async def test_3_5_denied_request_gets_access_denied(server):
    client = await server.client(public=True, grants=[DEVICE])
    started = await _start(server, client)
    server.login()
    await _decide(server, started["user_code"], "deny")
    assert (await _poll(server, client, started["device_code"])).json()["error"] == "access_denied"


async def test_3_5_expired_device_code_gets_expired_token(make_server):
    clock = FrozenClock()
    async with make_server(storage="memory", clock=clock) as server:
        client = await server.client(public=True, grants=[DEVICE])
        started = await _start(server, client)
        clock.advance(900)
        assert (await _poll(server, client, started["device_code"])).json()["error"] == (
            "expired_token"
        )


async def test_3_3_verification_page_needs_login_and_csrf(server):
    client = await server.client(public=True, grants=[DEVICE])
    started = await _start(server, client)
    anonymous = await server.http.get("/oauth/device")
    assert anonymous.status_code == 302
    assert "next=%2Foauth%2Fdevice" in anonymous.headers["location"]
    server.login()
    forged = await server.http.post(
        "/oauth/device",
        data={"user_code": started["user_code"], "_token": "forged", "decision": "approve"},
    )
    assert forged.status_code == 403
    assert (await _poll(server, client, started["device_code"])).json()["error"] == (
        "authorization_pending"
    )


async def test_5_1_wrong_user_code_is_refused_and_counted(server):
    server.login()
    response = await server.http.get("/oauth/device", params={"user_code": "BBBB-BBBB"})
    assert response.status_code == 400
    assert "not valid" in response.text


async def test_device_grant_needs_the_client_to_hold_it(server):
    client = await server.client(public=True)
    response = await server.http.post("/oauth/device/code", data={"client_id": client.client.id})
    assert response.json()["error"] == "unauthorized_client"


async def test_device_code_of_another_client_is_refused(server):
    client = await server.client(public=True, grants=[DEVICE])
    other = await server.client(public=True, grants=[DEVICE], name="Other")
    started = await _start(server, client)
    response = await _poll(server, other, started["device_code"])
    assert response.status_code in (400, 401)
