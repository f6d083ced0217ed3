"""Slack and webhook channels against a real HTTP server started in the test: retries on
5xx, 429 and connection errors (honouring ``Retry-After``), never on 4xx; webhooks signed
and verified on the receiving side with :func:`verify_signature`."""

from __future__ import annotations

import socket
from dataclasses import dataclass
from typing import Any

import pytest
from conftest import HttpServer
from notifications_support import Alert, User

from foundry.notifications import (
    AnonymousNotifiable,
    HttpPoster,
    InvalidSignatureError,
    Notification,
    NotificationFailedError,
    NotificationSettings,
    PermanentDeliveryError,
    TransientDeliveryError,
    WebhookRoute,
    verify_signature,
)
from foundry.notifications.channels.http import parse_retry_after
from foundry.notifications.channels.slack import SlackChannel
from foundry.notifications.channels.webhook import WebhookChannel

SECRET = "whsec_" + "s" * 32


@dataclass
class Ping(Notification):
    order_id: int

    def via(self, notifiable: Any) -> list[str]:
        return ["webhook"]

    def to_webhook(self, notifiable: Any) -> dict[str, Any]:
        return {"event": "order.paid", "order_id": self.order_id, "note": "déjà vu"}


class Sleeps:
    """Records the waits asked for instead of sleeping (no timing in tests)."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


def poster(sleeps: Sleeps, **settings: Any) -> HttpPoster:
    return HttpPoster(NotificationSettings(**{"http_backoff": 0.5, **settings}), sleep=sleeps)


def anonymous(**routes: Any) -> AnonymousNotifiable:
    return AnonymousNotifiable(routes)


def stamped(notification: Any) -> Any:
    import uuid

    notification.id = uuid.UUID("01890000-0000-7000-8000-0000000000aa")
    return notification


# --- slack ---------------------------------------------------------------------------------


async def test_slack_posts_the_block_kit_payload_and_retries_a_500(
    http_server: HttpServer,
) -> None:
    http_server.script("/slack", [(500, {}, "internal_error"), (200, {}, "ok")])
    sleeps = Sleeps()
    channel = SlackChannel(poster(sleeps))
    response = await channel.send(anonymous(slack=http_server.url("/slack")), Alert("Disk full"))

    assert response.status_code == 200
    first, second = http_server.on("/slack")
    assert first.body == second.body
    assert second.json() == {
        "text": "Disk full",
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "Disk full"}}],
    }
    assert second.headers["content-type"] == "application/json"
    assert sleeps.waits == [0.5]


async def test_slack_does_not_retry_a_400_and_names_the_status(http_server: HttpServer) -> None:
    http_server.script("/slack", [(400, {}, "invalid_payload"), (200, {}, "ok")])
    channel = SlackChannel(poster(Sleeps()))
    with pytest.raises(PermanentDeliveryError) as caught:
        await channel.send(anonymous(slack=http_server.url("/slack")), Alert("x"))
    assert len(http_server.on("/slack")) == 1
    assert "HTTP 400 (invalid_payload)" in caught.value.message
    assert caught.value.retryable is False
    assert "/slack" not in caught.value.message  # the webhook URL's path is its secret


async def test_a_429_is_retried_after_the_retry_after_it_asks_for(http_server: HttpServer) -> None:
    http_server.script("/slack", [(429, {"Retry-After": "7"}, "rate_limited")])
    sleeps = Sleeps()
    await SlackChannel(poster(sleeps)).send(anonymous(slack=http_server.url("/slack")), Alert("x"))
    assert sleeps.waits == [7.0]
    assert len(http_server.on("/slack")) == 2


async def test_a_retry_after_longer_than_max_wait_is_left_to_the_queue(
    http_server: HttpServer,
) -> None:
    http_server.script("/slack", [(503, {"Retry-After": "120"}, "busy")])
    sleeps = Sleeps()
    with pytest.raises(TransientDeliveryError) as caught:
        await SlackChannel(poster(sleeps, http_max_wait=30)).send(
            anonymous(slack=http_server.url("/slack")), Alert("x")
        )
    assert sleeps.waits == []
    assert len(http_server.on("/slack")) == 1
    assert caught.value.retryable is True
    assert "120 s" in caught.value.message


async def test_every_attempt_failing_is_a_transient_error_after_the_backoff_doubles(
    http_server: HttpServer,
) -> None:
    http_server.script("/slack", [(502, {}, "bad gateway")] * 3)
    sleeps = Sleeps()
    with pytest.raises(TransientDeliveryError) as caught:
        await SlackChannel(poster(sleeps, http_tries=3)).send(
            anonymous(slack=http_server.url("/slack")), Alert("x")
        )
    assert sleeps.waits == [0.5, 1.0]
    assert len(http_server.on("/slack")) == 3
    assert "after 3 attempt(s): HTTP 502 (bad gateway)" in caught.value.message


async def test_connection_errors_are_retried_then_reported() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # nothing listens here once closed
    sleeps = Sleeps()
    with pytest.raises(TransientDeliveryError, match="ConnectError"):
        await SlackChannel(poster(sleeps, http_tries=2)).send(
            anonymous(slack=f"http://127.0.0.1:{port}/slack"), Alert("x")
        )
    assert sleeps.waits == [0.5]


def test_retry_after_takes_seconds_or_an_http_date() -> None:
    assert parse_retry_after("30", now=0) == 30.0
    assert parse_retry_after("Thu, 01 Jan 1970 00:01:00 GMT", now=10) == 50.0
    assert parse_retry_after("soon", now=0) is None
    assert parse_retry_after(None, now=0) is None


async def test_slack_route_comes_from_the_model_or_the_environment_default(
    make_app: Any, http_server: HttpServer
) -> None:
    app = make_app(
        infra=False,
        env={"NOTIFICATIONS_SLACK_WEBHOOK_URL": http_server.url("/default")},
    )
    await User(id=1, name="Ada", slack_webhook_url=http_server.url("/ada")).notify_now(
        Alert("own", channels=["slack"]), app=app
    )
    await User(id=2, name="Bob").notify_now(Alert("default", channels=["slack"]), app=app)
    assert [r.json()["text"] for r in http_server.on("/ada")] == ["own"]
    assert [r.json()["text"] for r in http_server.on("/default")] == ["default"]


async def test_a_slack_payload_without_content_is_refused_before_sending(
    http_server: HttpServer,
) -> None:
    @dataclass
    class Empty(Notification):
        def via(self, notifiable: Any) -> list[str]:
            return ["slack"]

        def to_slack(self, notifiable: Any) -> dict[str, Any]:
            return {"username": "bot"}

    with pytest.raises(Exception, match="text, blocks or attachments"):
        await SlackChannel(poster(Sleeps())).send(
            anonymous(slack=http_server.url("/slack")), Empty()
        )
    assert http_server.requests == []


# --- webhook -------------------------------------------------------------------------------


async def test_a_webhook_is_signed_and_the_receiver_verifies_it(http_server: HttpServer) -> None:
    http_server.script("/hook", [(500, {}, "oops"), (200, {}, "ok")])
    channel = WebhookChannel(poster(Sleeps(), webhook_secret=SECRET))
    notification = stamped(Ping(7))
    await channel.send(anonymous(webhook=http_server.url("/hook")), notification)

    first, second = http_server.on("/hook")
    for received in (first, second):
        header = received.headers["x-foundry-signature"]
        assert verify_signature(received.body, header, SECRET) > 0
        assert received.headers["x-foundry-notification-id"] == str(notification.id)
        assert received.headers["x-foundry-notification-type"].endswith(".Ping")
    assert second.json() == {"event": "order.paid", "order_id": 7, "note": "déjà vu"}
    with pytest.raises(InvalidSignatureError, match="does not match"):
        verify_signature(
            second.body.replace(b"7", b"8"), second.headers["x-foundry-signature"], SECRET
        )


async def test_a_route_secret_wins_over_the_environment_secret(http_server: HttpServer) -> None:
    channel = WebhookChannel(poster(Sleeps(), webhook_secret=SECRET))
    route = WebhookRoute(http_server.url("/hook"), secret="route-secret", headers={"X-Tenant": "7"})
    await channel.send(anonymous(webhook=route), stamped(Ping(1)))
    [received] = http_server.on("/hook")
    assert verify_signature(received.body, received.headers["x-foundry-signature"], "route-secret")
    with pytest.raises(InvalidSignatureError):
        verify_signature(received.body, received.headers["x-foundry-signature"], SECRET)
    assert received.headers["x-tenant"] == "7"


async def test_a_webhook_without_any_secret_is_never_sent(http_server: HttpServer) -> None:
    channel = WebhookChannel(poster(Sleeps()))
    with pytest.raises(Exception, match="NOTIFICATIONS_WEBHOOK_SECRET"):
        await channel.send(anonymous(webhook=http_server.url("/hook")), stamped(Ping(1)))
    assert http_server.requests == []


async def test_a_webhook_refused_with_a_4xx_is_not_retried(http_server: HttpServer) -> None:
    http_server.script("/hook", [(410, {}, "gone")])
    channel = WebhookChannel(poster(Sleeps(), webhook_secret=SECRET))
    with pytest.raises(PermanentDeliveryError, match="HTTP 410"):
        await channel.send(anonymous(webhook={"url": http_server.url("/hook")}), stamped(Ping(1)))
    assert len(http_server.on("/hook")) == 1


async def test_a_webhook_notification_through_the_app_uses_the_models_route(
    make_app: Any, http_server: HttpServer
) -> None:
    app = make_app(infra=False, env={"NOTIFICATIONS_HTTP_BACKOFF": "0"})
    user = User(id=3, name="Cy", webhook_url=http_server.url("/cy"), webhook_secret="cy-secret")
    await user.notify_now(Ping(9), app=app)
    [received] = http_server.on("/cy")
    verify_signature(received.body, received.headers["x-foundry-signature"], "cy-secret")
    assert received.json()["order_id"] == 9


async def test_a_webhook_refused_through_the_app_is_one_failure_among_the_channels(
    make_app: Any, http_server: HttpServer
) -> None:
    http_server.script("/hook", [(422, {}, "unprocessable")])
    app = make_app(infra=False, env={"NOTIFICATIONS_WEBHOOK_SECRET": SECRET})
    with pytest.raises(NotificationFailedError) as caught:
        await AnonymousNotifiable({"webhook": http_server.url("/hook")}).notify_now(
            Ping(1), app=app
        )
    [failure] = caught.value.failures
    assert failure.channel == "webhook"
    assert failure.retryable is False
    assert caught.value.retryable is False
