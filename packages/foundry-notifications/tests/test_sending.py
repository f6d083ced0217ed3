"""The sender: channels chosen by ``via`` and ``should_send``, events around each delivery,
one failing channel never stopping the others, custom channels by name."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from conftest import HttpServer, migrated
from notifications_support import Alert, RecordingMailer, Skippy, User

from foundry.domain.database import Database
from foundry.domain.events import EventDispatcher
from foundry.domain.mail import Mailer
from foundry.domain.notifications import NotificationSender
from foundry.notifications import (
    ChannelManager,
    DatabaseNotification,
    Notification,
    NotificationConfigurationError,
    NotificationFailed,
    NotificationFailedError,
    NotificationManager,
    NotificationSending,
    NotificationSent,
    notify,
)


class Recorder:
    """A custom channel keeping (notifiable name, message, notification id)."""

    name = "recorder"

    def __init__(self) -> None:
        self.seen: list[tuple[str, str, Any]] = []

    async def send(self, notifiable: Any, notification: Any) -> str:
        self.seen.append((notifiable.name, notification.message, notification.id))
        return "recorded"


class Broken:
    name = "broken"

    async def send(self, notifiable: Any, notification: Any) -> None:
        raise RuntimeError("the SMS gateway is down")


async def test_events_fire_around_each_delivery_and_a_failure_does_not_stop_the_rest(
    make_app: Any, http_server: HttpServer
) -> None:
    from foundry.command_events.provider import CommandEventsServiceProvider

    http_server.script("/slack", [(400, {}, "invalid_token")])
    app = await migrated(
        make_app("sqlite:///storage/database.sqlite", CommandEventsServiceProvider)
    )
    recorder = Recorder()
    app.make(ChannelManager).extend("recorder", lambda _: recorder)
    seen: list[tuple[str, str, Any]] = []

    def listener(event: Any) -> None:
        seen.append(
            (
                type(event).__name__,
                event.channel,
                getattr(event, "response", None) or getattr(event, "exception", None),
            )
        )

    events = app.make(EventDispatcher)
    for kind in (NotificationSending, NotificationSent, NotificationFailed):
        events.listen(kind, listener)

    user = User(name="Ada", slack_webhook_url=http_server.url("/slack"))
    async with app.make(Database).session() as session:
        session.add(user)
    with pytest.raises(NotificationFailedError) as caught:
        await user.notify(Alert("x", ["slack", "database", "recorder"]), app=app)

    assert [(name, channel) for name, channel, _ in seen] == [
        ("NotificationSending", "slack"),
        ("NotificationFailed", "slack"),
        ("NotificationSending", "database"),
        ("NotificationSent", "database"),
        ("NotificationSending", "recorder"),
        ("NotificationSent", "recorder"),
    ]
    assert "HTTP 400" in str(seen[1][2])
    assert isinstance(seen[3][2], DatabaseNotification)
    assert seen[5][2] == "recorded"
    assert [f.channel for f in caught.value.failures] == ["slack"]
    assert "every other channel was still tried" in caught.value.message
    assert len(recorder.seen) == 1


async def test_a_raising_custom_channel_is_reported_and_the_next_channels_still_run(
    make_app: Any,
) -> None:
    mailer = RecordingMailer()
    app = make_app(infra=False, bind={Mailer: mailer})
    app.make(ChannelManager).extend("broken", lambda _: Broken())
    with pytest.raises(NotificationFailedError, match="the SMS gateway is down") as caught:
        await User(id=1, name="Ada", email="ada@example.com").notify(
            Alert("x", ["broken", "mail"]), app=app
        )
    assert caught.value.retryable is True
    assert len(mailer.sent) == 1


async def test_should_send_skips_a_channel_for_one_notifiable(make_app: Any) -> None:
    mailer = RecordingMailer()
    app = await migrated(make_app(bind={Mailer: mailer}))
    ada, bob = User(name="Ada", email="ada@example.com"), User(name="Bob", email="bob@example.com")
    async with app.make(Database).session() as session:
        session.add_all([ada, bob])
    await notify(app, [ada, bob], Skippy())
    assert [[a.email for a in m.to] for m in mailer.sent] == [["ada@example.com"]]
    async with app.make(Database).session() as session:
        assert len(await bob.notifications(session)) == 1


async def test_each_notifiable_gets_its_own_copy_and_id(make_app: Any) -> None:
    app = make_app(infra=False)
    recorder = Recorder()
    app.make(ChannelManager).extend("recorder", lambda _: recorder)
    alert = Alert("hello", ["recorder"])
    await notify(app, [User(id=1, name="Ada"), User(id=2, name="Bob")], alert)
    (a, _, first), (b, _, second) = recorder.seen
    assert (a, b) == ("Ada", "Bob")
    assert first != second
    assert first.version == second.version == 7
    assert alert.id is None  # the caller's object is left alone


async def test_unknown_channels_fail_naming_the_known_ones(make_app: Any) -> None:
    app = make_app(infra=False)
    recorder = Recorder()
    app.make(ChannelManager).extend("recorder", lambda _: recorder)
    with pytest.raises(NotificationFailedError) as caught:
        await notify(app, User(id=1, name="Ada"), Alert("x", ["smss", "recorder"]))
    assert "No notification channel is named 'smss'" in caught.value.message
    assert "broadcast, database, mail, recorder, slack, webhook" in caught.value.message
    assert caught.value.retryable is False
    assert len(recorder.seen) == 1


async def test_custom_channels_may_be_classes_built_by_the_container(make_app: Any) -> None:
    app = make_app(infra=False)
    app.instance(Recorder, Recorder())
    app.make(ChannelManager).extend("recorder", Recorder)
    await notify(app, User(id=1, name="Ada"), Alert("x", ["recorder"]))
    assert len(app.make(Recorder).seen) == 1


async def test_a_factory_building_something_without_send_is_a_clear_error(make_app: Any) -> None:
    app = make_app(infra=False)
    app.make(ChannelManager).extend("sms", lambda _: object())
    with pytest.raises(NotificationFailedError, match="has no async send"):
        await notify(app, User(id=1, name="Ada"), Alert("x", ["sms"]))
    with pytest.raises(ValueError, match="needs a name"):
        app.make(ChannelManager).extend("", lambda _: Recorder())


async def test_a_notification_must_say_its_channels(make_app: Any) -> None:
    @dataclass
    class Silent(Notification):
        pass

    app = make_app(infra=False)
    with pytest.raises(NotificationConfigurationError, match="define via"):
        await notify(app, User(id=1, name="Ada"), Silent())


async def test_payload_methods_may_be_async(make_app: Any) -> None:
    @dataclass
    class Looked(Notification):
        def via(self, notifiable: Any) -> list[str]:
            return ["mail"]

        async def to_mail(self, notifiable: Any) -> Any:
            from foundry.notifications import MailMessage

            return MailMessage().subject("looked up").line("async")

    mailer = RecordingMailer()
    app = make_app(infra=False, bind={Mailer: mailer})
    await notify(app, User(id=1, name="Ada", email="ada@example.com"), Looked())
    assert [m.subject for m in mailer.sent] == ["looked up"]


async def test_the_sender_contract_is_the_manager(make_app: Any) -> None:
    app = make_app(infra=False)
    sender = app.make(NotificationSender)
    assert sender is app.make(NotificationManager)
    assert isinstance(sender, NotificationSender)
    anonymous = sender.route("mail", "ops@example.com")
    assert anonymous.routes == {"mail": "ops@example.com"}
