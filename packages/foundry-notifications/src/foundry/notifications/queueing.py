"""Queued delivery: the job a worker runs, and how a notification and its notifiable become
a JSON payload and back.

One job is dispatched per notifiable and per channel (as Laravel does), so a channel that
fails is retried on its own by the queue, with the notification's ``tries`` and
``backoff``, while the channels that worked are never repeated. Each notification class
gets its own job class, ``InvoicePaid.QueuedJob`` (a :class:`SendQueuedNotification`
whose class attributes are the notification's ``tries``, ``backoff`` and ``timeout``),
because a ``QueueDispatcher`` reads delivery settings from the job's class.

The payload holds the notification as ``"module:Class"`` plus its dataclass fields, and
the notifiable as a reference the worker can load again: a table model's class and primary
key (loaded through the ``Database`` session), or an on-demand notifiable's routes.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from foundry.domain.application import Application
from foundry.domain.queue import Job, PermanentJobFailure
from foundry.notifications.exceptions import (
    NotifiableMissingError,
    NotificationConfigurationError,
    NotificationFailedError,
    NotificationPayloadError,
)
from foundry.notifications.serialization import (
    decode,
    encode,
    model_identity,
    reference,
    resolve,
)

if TYPE_CHECKING:
    from foundry.notifications.notification import Notification

__all__ = [
    "QueuedDelivery",
    "SendQueuedNotification",
    "job_class_for",
    "notifiable_reference",
    "queued_deliveries",
]


@dataclass
class SendQueuedNotification(Job):
    """Delivers one queued notification to one notifiable by the channels named.

    Attributes:
        notification: ``"module:Class"`` of the notification.
        data: its dataclass fields, encoded as JSON.
        notifiable: ``{"kind": "model", "class": ..., "key": ...}`` or
            ``{"kind": "routes", "routes": {...}}``.
        channels: the channels this job delivers by (one, as dispatched by the sender).
        notification_id: the id given at dispatch, kept on every retry.
    """

    notification: str
    data: dict[str, Any]
    notifiable: dict[str, Any]
    channels: list[str]
    notification_id: str

    async def handle(self, app: Application) -> None:
        """Rebuild the notification and its notifiable, then deliver.

        A failure that a retry can fix propagates (the queue tries again); one that cannot
        (a refused request, a deleted notifiable, a broken payload) is raised as a
        :class:`PermanentJobFailure` so the job fails at once.
        """
        from foundry.notifications.context import using_app
        from foundry.notifications.manager import NotificationManager

        notifiable, notification = await self.rebuild(app)
        manager = app.make(NotificationManager)
        with using_app(app):
            try:
                await manager.send_now(notifiable, notification, channels=self.channels)
            except NotificationFailedError as exc:
                if exc.retryable:
                    raise
                raise PermanentJobFailure(exc.message) from exc

    async def rebuild(self, app: Application) -> tuple[Any, Notification]:
        """The notifiable and the notification this job is about, loaded again."""
        from foundry.notifications.notification import Notification

        cls = resolve(self.notification)
        if not (isinstance(cls, type) and issubclass(cls, Notification)):
            raise NotificationPayloadError(f"{self.notification!r} is not a Notification class.")
        async with _Loader(app) as load:
            values = await decode(self.data, load)
            notifiable = await _load_notifiable(self.notifiable, load)
        try:
            notification = cls(**values)
        except TypeError as exc:
            raise NotificationPayloadError(
                f"{self.notification} cannot be rebuilt from its queued fields ({exc}); was "
                "it changed while notifications were queued?"
            ) from exc
        object.__setattr__(notification, "id", uuid.UUID(self.notification_id))
        return notifiable, notification


def job_class_for(cls: type[Notification]) -> type[SendQueuedNotification]:
    """The job class of ``cls``, found by workers as ``module:Class.QueuedJob``."""
    namespace: dict[str, Any] = {
        "__module__": cls.__module__,
        "__qualname__": f"{cls.__qualname__}.QueuedJob",
        "__doc__": f"Delivers a queued {cls.__qualname__}.",
    }
    for attribute in ("tries", "backoff", "timeout"):
        value = getattr(cls, attribute, None)
        if value is not None:
            namespace[attribute] = value
    return dataclass(type("QueuedJob", (SendQueuedNotification,), namespace))


@dataclass(frozen=True, slots=True)
class QueuedDelivery:
    """One job to dispatch and where to."""

    job: SendQueuedNotification
    queue: str | None
    connection: str | None
    delay: float


def notification_fields(notification: Notification) -> dict[str, Any]:
    """The notification's constructor fields, encoded."""
    name = type(notification).__qualname__
    if dataclasses.is_dataclass(notification):
        values = {f.name: getattr(notification, f.name) for f in dataclasses.fields(notification)}
        return {k: encode(v, f"{name}.{k}") for k, v in values.items() if _init(notification, k)}
    state = {k for k in getattr(notification, "__dict__", {}) if k != "id"}
    if state:
        raise NotificationPayloadError(
            f"{name} cannot be queued: make it a @dataclass so its fields ("
            f"{', '.join(sorted(state))}) are what the worker rebuilds it from."
        )
    return {}


def _init(notification: Any, name: str) -> bool:
    return bool(notification.__dataclass_fields__[name].init)


def notifiable_reference(notifiable: Any) -> dict[str, Any]:
    """How a worker finds ``notifiable`` again."""
    from foundry.notifications.anonymous import AnonymousNotifiable

    if isinstance(notifiable, AnonymousNotifiable):
        return {"kind": "routes", "routes": encode(dict(notifiable.routes), "routes")}
    identity = model_identity(notifiable)
    if identity is None:
        raise NotificationPayloadError(
            f"A {type(notifiable).__qualname__} cannot receive queued notifications: a "
            "worker can load table models (by primary key) and on-demand routes "
            "(route(...)), nothing else. Send it with notify_now, or notify a model."
        )
    cls, key = identity
    return {"kind": "model", "class": reference(cls), "key": encode(key, "key")}


def queued_deliveries(
    notifiables: Sequence[Any],
    notification: Notification,
    ids: Sequence[uuid.UUID],
) -> list[QueuedDelivery]:
    """Every job to dispatch: one per notifiable and channel. Everything is encoded here,
    before anything is dispatched, so a payload that cannot be queued queues nothing."""
    job_class = type(notification).QueuedJob
    ref = reference(type(notification))
    data = notification_fields(notification)
    queues, connections = notification.via_queues(), notification.via_connections()
    deliveries: list[QueuedDelivery] = []
    for notifiable, notification_id in zip(notifiables, ids, strict=True):
        target = notifiable_reference(notifiable)
        for channel in notification.via(notifiable):
            job = job_class(
                notification=ref,
                data=data,
                notifiable=target,
                channels=[channel],
                notification_id=str(notification_id),
            )
            deliveries.append(
                QueuedDelivery(
                    job,
                    queues.get(channel, type(notification).queue),
                    connections.get(channel, type(notification).connection),
                    _delay(type(notification).delay, channel),
                )
            )
    return deliveries


def _delay(delay: float | Mapping[str, float], channel: str) -> float:
    if isinstance(delay, Mapping):
        return float(delay.get(channel, 0))
    return float(delay)


async def _load_notifiable(ref: Mapping[str, Any], load: _Loader) -> Any:
    from foundry.notifications.anonymous import AnonymousNotifiable

    kind = ref.get("kind")
    if kind == "routes":
        return AnonymousNotifiable(await decode(ref.get("routes") or {}, load))
    if kind == "model":
        return await load(resolve(str(ref["class"])), await decode(ref["key"], load))
    raise NotificationPayloadError(f"Unknown notifiable reference {dict(ref)!r}.")


class _Loader:
    """Loads referenced models in one ``Database`` session, opened on first need."""

    def __init__(self, app: Application) -> None:
        self._app = app
        self._context: Any = None
        self._session: Any = None

    async def __aenter__(self) -> _Loader:
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._context is not None:
            await self._context.__aexit__(*exc)

    async def __call__(self, cls: type[Any], key: Any) -> Any:
        if self._session is None:
            from foundry.domain.contracts import unbound_message
            from foundry.domain.database import Database

            if not self._app.bound(Database):
                raise NotificationConfigurationError(
                    f"A queued notification refers to a {cls.__qualname__}, which is loaded "
                    f"through the database. {unbound_message(Database)}"
                )
            self._context = self._app.make(Database).session()
            self._session = await self._context.__aenter__()
        found = await self._session.get(cls, tuple(key) if isinstance(key, list) else key)
        if found is None:
            raise NotifiableMissingError(
                f"{cls.__qualname__} {key!r} no longer exists (deleted after the notification "
                "was queued); the job fails without retrying."
            )
        return found
