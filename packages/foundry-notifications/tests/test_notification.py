"""The ``Notification`` base class, the ``Notifiable`` routes and the JSON payload codec."""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import pytest
from conftest import HttpServer
from notifications_support import Alert, InvoicePaid, RecordingMailer, User

from foundry.domain.mail import Address, Mailer
from foundry.notifications import (
    ECHO_EVENT,
    Notification,
    NotificationConfigurationError,
    NotificationPayloadError,
    WebhookRoute,
    route,
)
from foundry.notifications.serialization import decode, encode


class Colour(enum.Enum):
    RED = "red"


@dataclass
class Bare(Notification):
    def via(self, notifiable: Any) -> list[str]:
        return ["database"]


def test_payload_methods_fall_back_to_to_array() -> None:
    paid = InvoicePaid(7, "1.00")
    assert paid.to_database(None) == paid.to_broadcast(None) == paid.to_webhook(None)
    assert paid.to_database(None) == {"invoice_id": 7, "amount": "1.00"}
    with pytest.raises(NotificationConfigurationError, match="define to_array"):
        Bare().to_database(None)
    with pytest.raises(NotificationConfigurationError, match="to_slack"):
        Bare().to_slack(None)
    with pytest.raises(NotificationConfigurationError, match="to_mail"):
        Bare().to_mail(None)


def test_names_and_broadcast_defaults_follow_laravel() -> None:
    paid = InvoicePaid(7, "1.00")
    assert paid.type_name() == "notifications_support.InvoicePaid"
    assert paid.database_type(None) == paid.broadcast_type() == paid.type_name()
    assert (
        paid.broadcast_as()
        == ECHO_EVENT
        == ("Illuminate\\Notifications\\Events\\BroadcastNotificationCreated")
    )
    assert paid.broadcast_on(User(id=3, name="Ada")) == ["private-User.3"]
    assert paid.broadcast_on(route("broadcast", "presence-room.1")) == ["presence-room.1"]
    with pytest.raises(NotificationConfigurationError, match="routes no broadcast channel"):
        paid.broadcast_on(route("mail", "a@b.c"))


def test_the_mixin_routes_each_channel() -> None:
    user = User(
        id=5,
        name="Ada",
        email="ada@example.com",
        slack_webhook_url="https://hooks.slack.com/services/T/B/X",
        webhook_url="https://example.com/hook",
        webhook_secret="k",
    )
    assert user.route_notification_for("mail") == "ada@example.com"
    assert user.route_notification_for("database") == "5"
    assert user.route_notification_for("broadcast") == "User.5"
    assert user.route_notification_for("slack") == "https://hooks.slack.com/services/T/B/X"
    assert user.route_notification_for("webhook") == WebhookRoute("https://example.com/hook", "k")
    assert user.route_notification_for("sms") is None
    assert User(id=6, name="Bob").route_notification_for("webhook") is None
    assert (User.notifiable_type(), user.notifiable_key().id) == ("users", "5")


async def test_on_demand_routes_deliver_now_to_each_channel(
    make_app: Any, http_server: HttpServer
) -> None:
    mailer = RecordingMailer()
    app = make_app(infra=False, bind={Mailer: mailer})
    await (
        route("mail", "ops@example.com")
        .route("slack", http_server.url("/ops"))
        .notify(Alert("db down", ["mail", "slack"]), app=app)
    )
    assert [list(m.to) for m in mailer.sent] == [[Address("ops@example.com")]]
    assert [r.json()["text"] for r in http_server.on("/ops")] == ["db down"]
    with pytest.raises(ValueError, match="channel name"):
        route("", "x")


async def test_every_supported_value_survives_the_json_round_trip() -> None:
    import json

    value = {
        "when": datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=UTC),
        "day": date(2026, 1, 2),
        "at": time(3, 4, 5),
        "took": timedelta(seconds=90.5),
        "id": uuid.UUID(int=1),
        "price": Decimal("10.05"),
        "raw": b"\x00\xff",
        "pair": (1, "a"),
        "tags": {"a", "b"},
        "frozen": frozenset({1}),
        "colour": Colour.RED,
        "nested": {"$type": "not a tag", "list": [1, None, True, 2.5]},
    }
    encoded = encode(value, "payload")
    text = json.dumps(encoded)

    async def no_models(cls: type[Any], key: Any) -> Any:
        raise AssertionError("no models here")

    assert await decode(json.loads(text), no_models) == value


async def test_the_codec_refuses_what_json_cannot_hold() -> None:
    with pytest.raises(NotificationPayloadError, match=r"payload.x is nan"):
        encode({"x": float("nan")}, "payload")
    with pytest.raises(NotificationPayloadError, match="keys must be strings"):
        encode({1: "a"}, "payload")

    async def none(cls: type[Any], key: Any) -> Any:
        return None

    with pytest.raises(NotificationPayloadError, match="Unknown payload tag"):
        await decode({"$type": "pickle", "value": "x"}, none)
    with pytest.raises(NotificationPayloadError, match="Malformed uuid"):
        await decode({"$type": "uuid", "value": "nope"}, none)


async def test_models_nested_in_fields_are_loaded_where_they_stood() -> None:
    import json

    from notifications_support import Invoice

    model = {"$type": "model", "class": "notifications_support:Invoice"}
    stored = json.loads(
        json.dumps(
            {
                "items": [{**model, "key": 7}],
                "pair": {"$type": "tuple", "value": [{**model, "key": [1, 2]}, 3]},
                "data": {"$type": "dict", "value": {"$type": "model", "key": 1}},
            }
        )
    )
    loaded: list[tuple[type[Any], Any]] = []

    async def load(cls: type[Any], key: Any) -> Any:
        loaded.append((cls, key))
        return f"{cls.__name__}#{key}"

    assert await decode(stored, load) == {
        "items": ["Invoice#7"],
        "pair": ("Invoice#[1, 2]", 3),
        "data": {"$type": "model", "key": 1},
    }
    assert loaded == [(Invoice, 7), (Invoice, [1, 2])]


def test_a_notification_defined_in_main_cannot_be_queued() -> None:
    from foundry.notifications.serialization import reference

    Main = type("Main", (), {"__module__": "__main__"})
    with pytest.raises(NotificationPayloadError, match="importable module"):
        reference(Main)
