"""Running an ASGI application's lifespan around a test client.

``httpx.ASGITransport`` sends requests only; start-up work (the app's ``on_startup``
hooks: pools opened, listeners subscribed) and shutdown work (``terminating`` hooks) run in
the ASGI *lifespan* protocol, which a server drives. :class:`Lifespan` drives it the way a
server does: ``lifespan.startup`` before the first request, ``lifespan.shutdown`` after the
last, and a failure on either side is raised in the test with the app's own message.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, MutableMapping
from types import TracebackType
from typing import Any

from foundry.testing.errors import TestSetupError

__all__ = ["Lifespan", "LifespanError"]

Message = MutableMapping[str, Any]
ASGIApp = Callable[
    [
        MutableMapping[str, Any],
        Callable[[], Awaitable[Message]],
        Callable[[Message], Awaitable[None]],
    ],
    Awaitable[None],
]


class LifespanError(TestSetupError):
    """The application reported that its start-up or shutdown failed."""

    code = "LIFESPAN_FAILED"


class Lifespan:
    """``async with Lifespan(asgi_app): ...`` runs start-up before and shutdown after.

    Args:
        app: the ASGI application.
        timeout: seconds start-up and shutdown may each take.
    """

    def __init__(self, app: ASGIApp, *, timeout: float = 30.0) -> None:
        self._app = app
        self._timeout = timeout
        self._to_app: asyncio.Queue[Message] = asyncio.Queue()
        self._from_app: asyncio.Queue[Message] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None
        self._supported = True

    async def _run(self) -> None:
        scope: dict[str, Any] = {
            "type": "lifespan",
            "asgi": {"version": "3.0", "spec_version": "2.0"},
            "state": {},
        }
        await self._app(scope, self._to_app.get, self._from_app.put)

    async def _exchange(self, send: str) -> None:
        """Send ``lifespan.<phase>`` and wait for the app's ``complete`` or ``failed``."""
        assert self._task is not None
        await self._to_app.put({"type": send})
        reply = asyncio.ensure_future(self._from_app.get())
        done, _ = await asyncio.wait(
            {reply, self._task}, timeout=self._timeout, return_when=asyncio.FIRST_COMPLETED
        )
        if not done:
            reply.cancel()
            raise LifespanError(
                f"The application did not answer {send} within {self._timeout:g} s: a "
                "start-up or terminating hook is hanging."
            )
        if reply not in done:
            # The app returned or raised without answering: it has no lifespan support
            # (the ASGI spec lets a server carry on without one).
            reply.cancel()
            self._supported = False
            return
        message = reply.result()
        if message["type"] == f"{send}.complete":
            return
        # Starlette sends ``failed`` and then re-raises: keep that exception as the cause.
        await asyncio.wait({self._task}, timeout=1.0)
        cause = None
        if self._task.done() and not self._task.cancelled():
            cause = self._task.exception()
        failure = message.get("message") or "no reason given"
        raise LifespanError(f"The application's {send} failed: {failure}") from cause

    async def __aenter__(self) -> Lifespan:
        self._task = asyncio.ensure_future(self._run())
        try:
            await self._exchange("lifespan.startup")
        except BaseException:
            await self._stop()
            raise
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        assert self._task is not None
        try:
            if self._supported and not self._task.done():
                await self._exchange("lifespan.shutdown")
        finally:
            await self._stop()

    async def _stop(self) -> None:
        assert self._task is not None
        if not self._task.done():
            self._task.cancel()
        await asyncio.gather(self._task, return_exceptions=True)
