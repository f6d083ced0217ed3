"""``NotificationManager``: the ``NotificationSender`` this package binds.

Delivery rules, decided here once for every channel:

* **Now** (``send_now``, and ``send`` of a notification that is not ``ShouldQueue``):
  each notifiable gets its own copy of the notification with its own id; every channel of
  ``via()`` is tried in order, after ``should_send``. A channel that fails is logged and
  reported (``NotificationFailed``) and the next channel still runs; once all were tried,
  :class:`NotificationFailedError` is raised listing the failures, so the caller knows
  and nothing fails silently.
* **Queued** (``send`` of a ``ShouldQueue`` notification): one job per notifiable and
  channel is dispatched through the ``QueueDispatcher``; the worker delivers it as above,
  and a failing channel is retried by the queue on its own (``tries``/``backoff`` of the
  notification), except for failures a retry cannot fix (a refused request, a missing
  model, a configuration error), which fail the job at once.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Sequence
from typing import Any

from foundry.domain.ids import uuid7
from foundry.notifications.channels import ChannelFactory, ChannelManager
from foundry.notifications.events import (
    NotificationFailed,
    NotificationSending,
    NotificationSent,
)
from foundry.notifications.exceptions import (
    ChannelFailure,
    NotificationConfigurationError,
    NotificationFailedError,
)

__all__ = ["NotificationManager"]

log = logging.getLogger("foundry.notifications")


def _targets(notifiables: Any) -> list[Any]:
    if isinstance(notifiables, list | tuple | set | frozenset):
        return list(notifiables)
    return [notifiables]


class NotificationManager:
    """Sends notifications for one application (implements ``NotificationSender``)."""

    def __init__(self, app: Any, channels: ChannelManager | None = None) -> None:
        self._app = app
        self.channels = channels or ChannelManager(app)

    def extend(self, name: str, factory: ChannelFactory) -> None:
        """Register a custom channel (see :meth:`ChannelManager.extend`)."""
        self.channels.extend(name, factory)

    def route(self, channel: str, route: Any) -> Any:
        """An on-demand notifiable sending through this app: ``route("mail", "a@b.c")``."""
        from foundry.notifications.anonymous import AnonymousNotifiable

        return AnonymousNotifiable(app=self._app).route(channel, route)

    async def send(self, notifiables: Any, notification: Any) -> None:
        """Queue a ``ShouldQueue`` notification, deliver any other now."""
        from foundry.notifications.notification import ShouldQueue

        if isinstance(notification, ShouldQueue):
            await self.queue(notifiables, notification)
        else:
            await self.send_now(notifiables, notification)

    async def queue(self, notifiables: Any, notification: Any) -> list[str]:
        """Dispatch one job per notifiable and channel; returns the job ids.

        Raises:
            NotificationConfigurationError: no ``QueueDispatcher`` is bound.
            NotificationPayloadError: the notification or a notifiable cannot be queued;
                nothing was dispatched.
        """
        from foundry.domain.contracts import unbound_message
        from foundry.domain.queue import QueueDispatcher
        from foundry.notifications.queueing import queued_deliveries

        if not self._app.bound(QueueDispatcher):
            raise NotificationConfigurationError(
                f"{type(notification).__qualname__} is ShouldQueue, but nothing can queue "
                f"it. {unbound_message(QueueDispatcher)} Or send it with notify_now()."
            )
        targets = _targets(notifiables)
        ids = [self._id_for(notification, len(targets)) for _ in targets]
        deliveries = queued_deliveries(targets, notification, ids)
        dispatcher = self._app.make(QueueDispatcher)
        job_ids: list[str] = []
        for delivery in deliveries:
            job_ids.append(
                await dispatcher.dispatch(
                    delivery.job,
                    queue=delivery.queue,
                    delay=delivery.delay,
                    connection=delivery.connection,
                )
            )
        return job_ids

    async def send_now(
        self,
        notifiables: Any,
        notification: Any,
        channels: Sequence[str] | None = None,
    ) -> None:
        """Deliver now by ``channels`` (default: the notification's ``via()``).

        Raises:
            NotificationFailedError: at least one channel failed (after every channel of
                every notifiable was tried).
        """
        from foundry.notifications.context import using_app

        failures: list[ChannelFailure] = []
        targets = _targets(notifiables)
        with using_app(self._app):  # code run by the channels sends through this app too
            for notifiable in targets:
                instance = notification
                if notification.id is None or len(targets) > 1:
                    instance = copy.copy(notification)
                    object.__setattr__(instance, "id", self._id_for(notification, len(targets)))
                names = list(channels) if channels is not None else list(instance.via(notifiable))
                for name in names:
                    failure = await self._deliver(notifiable, instance, name)
                    if failure is not None:
                        failures.append(failure)
        if failures:
            raise NotificationFailedError(type(notification).__qualname__, failures)

    async def _deliver(
        self, notifiable: Any, notification: Any, name: str
    ) -> ChannelFailure | None:
        try:
            if not notification.should_send(notifiable, name):
                return None
            channel: Any = self.channels.channel(name)
            await self._fire(NotificationSending(notifiable, notification, name))
            response = await channel.send(notifiable, notification)
        except Exception as exc:
            log.warning(
                "Notification %s (%s) failed on the %s channel: %s: %s",
                type(notification).__qualname__,
                notification.id,
                name,
                type(exc).__name__,
                exc,
            )
            await self._fire(NotificationFailed(notifiable, notification, name, exc))
            return ChannelFailure(name, notifiable, exc)
        await self._fire(NotificationSent(notifiable, notification, name, response))
        return None

    @staticmethod
    def _id_for(notification: Any, count: int) -> Any:
        preset = notification.id
        return preset if preset is not None and count == 1 else uuid7()

    async def _fire(self, event: Any) -> None:
        from foundry.domain.events import EventDispatcher

        if self._app.bound(EventDispatcher):
            await self._app.make(EventDispatcher).dispatch(event)

    async def aclose(self) -> None:
        """Release the channels' connections."""
        await self.channels.aclose()
