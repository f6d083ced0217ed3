"""Two-factor authentication through the reference app: set up with a real TOTP code, then
a login stops at the challenge until the next code is given."""

from __future__ import annotations

import pyotp

JSON = {"accept": "application/json"}
PASSWORD = "correct horse battery staple"


async def csrf(client) -> dict[str, str]:
    token = (await client.get("/auth/csrf-token", headers=JSON)).json()["csrf_token"]
    return {**JSON, "x-csrf-token": token}


async def test_a_two_factor_account_signs_in_only_with_its_code(client, frozen_clock):
    registered = await client.post(
        "/auth/register",
        json={
            "name": "Ada",
            "email": "ada@example.test",
            "password": PASSWORD,
            "password_confirmation": PASSWORD,
        },
        headers=JSON,
    )
    assert registered.status_code in (200, 201), registered.text
    enabled = await client.post("/auth/user/two-factor/enable", headers=await csrf(client))
    assert enabled.status_code == 200, enabled.text
    secret = enabled.json()["secret"]
    code = pyotp.TOTP(secret).at(frozen_clock.now())
    confirmed = await client.post(
        "/auth/user/two-factor/confirm", json={"code": code}, headers=await csrf(client)
    )
    assert confirmed.status_code == 200, confirmed.text
    assert len(confirmed.json()["recovery_codes"]) == 8

    await client.post("/auth/logout", headers=await csrf(client))
    challenged = await client.post(
        "/auth/login",
        json={"email": "ada@example.test", "password": PASSWORD},
        headers=await csrf(client),
    )
    assert challenged.json()["two_factor"] is True
    assert (await client.get("/dashboard", headers=JSON)).status_code == 401

    frozen_clock.advance(30)  # a code is accepted once: wait for the next step
    done = await client.post(
        "/auth/two-factor-challenge",
        json={"code": pyotp.TOTP(secret).at(frozen_clock.now())},
        headers={**JSON, "x-csrf-token": challenged.json()["csrf_token"]},
    )
    assert done.status_code == 200, done.text
    assert (await client.get("/dashboard")).status_code == 200
