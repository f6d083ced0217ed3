"""How ``user.notify()`` finds its application: ``app=``, else the current application of
the context (set at boot, per HTTP request by the middleware, per queued delivery, and by
``using_app``); with none, a clear error."""

from __future__ import annotations

import asyncio
import contextvars
from typing import Any

import httpx
from notifications_support import Alert, User

from foundry.domain.application import Application
from foundry.domain.provider import ServiceProvider
from foundry.notifications import ChannelManager, current_app, route, using_app
from foundry.notifications.exceptions import NotificationConfigurationError


class AppRecorder:
    """A channel noting which app was current when it delivered."""

    name = "apps"

    def __init__(self) -> None:
        self.apps: list[Any] = []

    async def send(self, notifiable: Any, notification: Any) -> None:
        self.apps.append(current_app())


def recording(app: Any) -> AppRecorder:
    recorder = AppRecorder()
    app.make(ChannelManager).extend("apps", lambda _: recorder)
    return recorder


async def test_booting_makes_the_app_current_for_the_code_that_follows(make_app: Any) -> None:
    app = make_app(infra=False)
    recorder = recording(app)
    await User(id=1, name="Ada").notify(Alert("x", ["apps"]))
    await route("apps", "anything").notify(Alert("y", ["apps"]))
    assert recorder.apps == [app, app]


async def test_using_app_overrides_the_current_app_for_a_block(make_app: Any) -> None:
    first = make_app(infra=False)
    second = make_app(infra=False)  # booted last: current
    one, two = recording(first), recording(second)
    with using_app(first):
        await User(id=1, name="Ada").notify(Alert("x", ["apps"]))
    await User(id=1, name="Ada").notify(Alert("x", ["apps"]))
    assert (one.apps, two.apps) == ([first], [second])


async def test_app_given_explicitly_wins(make_app: Any) -> None:
    first = make_app(infra=False)
    make_app(infra=False)
    one = recording(first)
    await User(id=1, name="Ada").notify(Alert("x", ["apps"]), app=first)
    assert one.apps == [first]


async def test_with_no_application_the_error_says_how_to_give_one() -> None:
    async def attempt() -> str:
        try:
            await User(id=1, name="Ada").notify(Alert("x", ["apps"]))
        except NotificationConfigurationError as exc:
            return exc.message
        return "sent"

    empty = contextvars.Context()
    message = await asyncio.get_running_loop().create_task(attempt(), context=empty)
    assert "using_app(app)" in message
    assert "app=app" in message


async def test_each_http_request_runs_with_its_own_app_current(make_app: Any) -> None:
    from fastapi import APIRouter

    from foundry.application import create_app

    class Routes(ServiceProvider):
        name = "test-routes"

        def routes(self, app: Application) -> Any:
            router = APIRouter()

            @router.post("/ping")
            async def ping() -> dict[str, str]:
                await User(id=1, name="Ada").notify(Alert("from a request", ["apps"]))
                return {"ok": "yes"}

            return (router,)

    served = make_app("sqlite://:memory:", Routes, infra=False)
    recorder = recording(served)
    make_app(infra=False)  # another app booted later is current outside requests
    transport = httpx.ASGITransport(app=create_app(application=served))
    async with httpx.AsyncClient(transport=transport, base_url="http://app") as client:
        assert (await client.post("/ping")).json() == {"ok": "yes"}
    assert recorder.apps == [served]


async def test_a_queued_delivery_runs_with_the_workers_app_current(make_app: Any) -> None:
    from notifications_support import JsonQueue, QueuedAlert

    from foundry.domain.queue import QueueDispatcher

    jobs = JsonQueue()
    app = make_app(infra=False, bind={QueueDispatcher: jobs})
    recorder = recording(app)
    await route("apps", "x").notify(QueuedAlert("queued", ["apps"]))
    other = make_app(infra=False)  # the worker's context has another app current
    with using_app(other):
        await jobs.work(app)
    assert recorder.apps == [app]
