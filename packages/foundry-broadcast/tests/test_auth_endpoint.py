"""``POST /broadcasting/auth``: guards find the user, channel callbacks decide, 403 otherwise."""

from __future__ import annotations

import json
from dataclasses import dataclass

import httpx
import pytest

from foundry.application import create_app
from foundry.broadcast import AUTHENTICATORS_TAG, ChannelRegistry
from foundry.broadcast.signing import channel_auth
from foundry.domain.auth import AccessToken, TokenVerifier, UserProvider

from .conftest import APP_KEY, APP_SECRET, Client, build_app, serve

SOCKET = "123.456"


class Tokens:
    """A TokenVerifier over a fixed table (what an auth package would look up)."""

    def __init__(self, table: dict[str, AccessToken]) -> None:
        self.table = table

    async def verify(self, token: str) -> AccessToken | None:
        return self.table.get(token)


@dataclass(frozen=True)
class User:
    auth_identifier: str
    email: str
    name: str


class Users:
    """A UserProvider over a fixed table."""

    def __init__(self, *users: User) -> None:
        self.users = {u.auth_identifier: u for u in users}

    async def retrieve_by_id(self, identifier: str) -> User | None:
        return self.users.get(identifier)

    async def retrieve_by_credentials(self, credentials):
        return None

    async def validate_credentials(self, user, credentials) -> bool:
        return False


@pytest.fixture
def app(base):
    app = build_app(base)
    app.instance(TokenVerifier, Tokens({"alice-token": AccessToken("alice", user_id="1")}))
    return app


def channels(app) -> ChannelRegistry:
    app.boot()
    return app.make(ChannelRegistry)


async def post(app, form=None, *, token=None, json_body=None, headers=None):
    api = create_app(application=app)
    sent = dict(headers or {})
    if token:
        sent["Authorization"] = f"Bearer {token}"
    transport = httpx.ASGITransport(app=api)
    async with httpx.AsyncClient(transport=transport, base_url="http://app.test") as client:
        if json_body is not None:
            return await client.post("/broadcasting/auth", json=json_body, headers=sent)
        return await client.post("/broadcasting/auth", data=form, headers=sent)


async def test_a_bearer_token_user_allowed_by_the_callback_gets_a_signature(app):
    seen = {}

    async def order(user, order_id):
        seen.update(user=user, order_id=order_id)
        return order_id == "7"

    channels(app).register("private-orders.{order_id}", order)
    response = await post(
        app, {"socket_id": SOCKET, "channel_name": "private-orders.7"}, token="alice-token"
    )
    assert response.status_code == 200
    expected = channel_auth(APP_KEY, APP_SECRET, SOCKET, "private-orders.7")
    assert response.json() == {"auth": expected}
    assert seen["order_id"] == "7"
    assert seen["user"].subject == "alice"


async def test_refused_by_the_callback_is_403(app):
    channels(app).register("private-orders.{order_id}", lambda user, order_id: order_id == "7")
    response = await post(
        app, {"socket_id": SOCKET, "channel_name": "private-orders.8"}, token="alice-token"
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "CHANNEL_FORBIDDEN"
    assert "auth" not in response.json()


async def test_a_channel_without_a_callback_is_403(app):
    channels(app)
    response = await post(
        app, {"socket_id": SOCKET, "channel_name": "private-unknown"}, token="alice-token"
    )
    assert response.status_code == 403


@pytest.mark.parametrize("token", [None, "unknown-token"])
async def test_without_a_user_it_is_403(app, token):
    channels(app).register("private-open", lambda user: True)
    response = await post(app, {"socket_id": SOCKET, "channel_name": "private-open"}, token=token)
    assert response.status_code == 403
    assert "signed-in user" in response.json()["error"]["message"]


async def test_presence_returns_channel_data_with_the_user_id_and_the_callback_info(app):
    channels(app).register(
        "presence-room.{room}", lambda user, room: {"name": "Alice", "room": room}
    )
    response = await post(
        app, {"socket_id": SOCKET, "channel_name": "presence-room.5"}, token="alice-token"
    )
    body = response.json()
    assert json.loads(body["channel_data"]) == {
        "user_id": "1",
        "user_info": {"name": "Alice", "room": "5"},
    }
    assert body["auth"] == channel_auth(
        APP_KEY, APP_SECRET, SOCKET, "presence-room.5", body["channel_data"]
    )


async def test_a_bound_user_provider_supplies_the_user(app):
    app.instance(UserProvider, Users(User("1", "alice@example.com", "Alice")))
    channels(app).register("presence-room", lambda user: {"name": user.name})
    response = await post(
        app, {"socket_id": SOCKET, "channel_name": "presence-room"}, token="alice-token"
    )
    assert json.loads(response.json()["channel_data"]) == {
        "user_id": "1",
        "user_info": {"name": "Alice"},
    }


async def test_tagged_token_verifiers_are_asked_too(base):
    app = build_app(base)
    app.instance("api-tokens", Tokens({"bob-token": AccessToken("bob", user_id="2")}))
    app.tag(["api-tokens"], "auth.token_verifiers")
    channels(app).register("private-user.{id}", lambda user, id: user.user_id == id)
    ok = await post(app, {"socket_id": SOCKET, "channel_name": "private-user.2"}, token="bob-token")
    assert ok.status_code == 200
    denied = await post(
        app, {"socket_id": SOCKET, "channel_name": "private-user.1"}, token="bob-token"
    )
    assert denied.status_code == 403


async def test_a_tagged_request_authenticator_plugs_in_session_users(base):
    class SessionGuard:
        async def authenticate(self, request):
            return {"id": "42"} if request.cookies.get("session") == "valid" else None

    app = build_app(base)
    app.instance("session-guard", SessionGuard())
    app.tag(["session-guard"], AUTHENTICATORS_TAG)
    channels(app).register("private-user.{id}", lambda user, id: user["id"] == id)
    form = {"socket_id": SOCKET, "channel_name": "private-user.42"}
    assert (await post(app, form, headers={"Cookie": "session=valid"})).status_code == 200
    assert (await post(app, form, headers={"Cookie": "session=forged"})).status_code == 403


async def test_json_bodies_are_accepted(app):
    channels(app).register("private-open", lambda user: True)
    response = await post(
        app, json_body={"socket_id": SOCKET, "channel_name": "private-open"}, token="alice-token"
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("form", "field"),
    [
        ({"channel_name": "private-open"}, "socket_id"),
        ({"socket_id": "abc", "channel_name": "private-open"}, "socket_id"),
        ({"socket_id": SOCKET, "channel_name": "public"}, "channel_name"),
        ({"socket_id": SOCKET}, "channel_name"),
    ],
)
async def test_malformed_requests_are_422_naming_the_field(app, form, field):
    channels(app).register("private-open", lambda user: True)
    response = await post(app, form, token="alice-token")
    assert response.status_code == 422
    assert field in response.json()["error"]["fields"]


async def test_the_signature_from_the_endpoint_opens_the_subscription(base):
    app = build_app(base)
    app.instance(TokenVerifier, Tokens({"alice-token": AccessToken("alice", user_id="1")}))
    async with serve(app) as running:
        app.make(ChannelRegistry).register("presence-room.{id}", lambda user, id: {"seat": id})
        client = await Client.connect(running.ws_url())
        async with httpx.AsyncClient(base_url=running.http) as http:
            response = await http.post(
                "/broadcasting/auth",
                data={"socket_id": client.socket_id, "channel_name": "presence-room.3"},
                headers={"Authorization": "Bearer alice-token"},
            )
        body = response.json()
        ok = await client.subscribe("presence-room.3", body["auth"], body["channel_data"])
        assert ok["data"]["presence"]["hash"] == {"1": {"seat": "3"}}
        await client.close()
