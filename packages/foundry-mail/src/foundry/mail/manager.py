"""The mailer: sends messages and mailables now or through the queue.

:class:`MailManager` implements the domain's ``Mailer`` contract. It builds each mailer's
transport on first use from the configuration (:mod:`foundry.mail.config`), fills in the
default from-address, builds mailables (rendering their templates and reading storage
attachments), and hands queued mail to the bound ``QueueDispatcher`` as a
:class:`~foundry.mail.jobs.SendQueuedMail` job carrying the message's retries
(:meth:`MailManager.retries_for`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from foundry.domain.mail import Mailable as MailableProtocol
from foundry.domain.mail import Message, SentMessage, Transport
from foundry.mail.config import MailConfig, RetryPolicy, TransportFactory, build_transport
from foundry.mail.exceptions import MailConfigurationError

if TYPE_CHECKING:
    from foundry.domain.container import Container
    from foundry.mail.views import MailViews

__all__ = ["MailManager", "NamedMailer"]


class MailManager:
    """Sends mail through named transports (``smtp``, ``log``, ``array``, ``failover``).

    Args:
        config: the mail settings (``MailConfig.from_config(app.config)``).
        views: the template engine mailables render with.
        container: where ``Storage`` (storage attachments) and ``QueueDispatcher``
            (queued mail) are resolved from when needed.
    """

    def __init__(
        self,
        config: MailConfig | None = None,
        *,
        views: MailViews | None = None,
        container: Container | None = None,
    ) -> None:
        self.config = config or MailConfig()
        self._views = views
        self._container = container
        self._transports: dict[str, Transport] = {}
        self._factories: dict[str, TransportFactory] = {}
        self._building: list[str] = []

    @property
    def default(self) -> str:
        """The default mailer's name (``MAIL_MAILER``)."""
        return self.config.default

    # --- transports ---------------------------------------------------------------------

    def transport(self, name: str | None = None) -> Transport:
        """The transport of mailer ``name`` (default: the default mailer), built once.

        Raises:
            MailConfigurationError: no such mailer, or its settings are wrong.
        """
        name = name or self.default
        found = self._transports.get(name)
        if found is not None:
            return found
        if name in self._building:
            chain = " -> ".join([*self._building, name])
            raise MailConfigurationError(f"Failover mailers form a loop: {chain}.")
        self._building.append(name)
        try:
            built = build_transport(
                name,
                self.config.settings(name),
                resolve=self.transport,
                factories=self._factories,
            )
        finally:
            self._building.pop()
        self._transports[name] = built
        return built

    def use(self, name: str, transport: Transport) -> None:
        """Make mailer ``name`` send through ``transport`` (a ready object: a test double, an
        SMTP transport with its own TLS context)."""
        self._transports[name] = transport

    def extend(self, kind: str, factory: TransportFactory) -> None:
        """Add a transport kind, built by ``factory(settings)`` for mailers using it."""
        self._factories[kind] = factory

    def mailer(self, name: str) -> NamedMailer:
        """The mailer called ``name``; raises MailConfigurationError for an unknown one."""
        if name not in self._transports:
            self.config.settings(name)
        return NamedMailer(self, name)

    # --- sending ------------------------------------------------------------------------

    async def prepare(self, message: Message | MailableProtocol) -> Message:
        """Build a mailable and fill in the default from-address."""
        from foundry.mail.mailable import Mailable

        if isinstance(message, Mailable):
            built = await message.build_async(views=self._views_for(), storage=self._storage())
        elif isinstance(message, Message):
            built = message
        else:
            built = message.build()
        if built.from_ is None and self.config.from_address is not None:
            built = replace(built, from_=self.config.from_address)
        return built

    async def send(
        self, message: Message | MailableProtocol, *, mailer: str | None = None
    ) -> SentMessage:
        """Send now through ``mailer`` (default: the default mailer).

        Raises:
            InvalidMessageError: the message is invalid (HeaderInjectionError included).
            TransientMailError: the transport failed for now; sending later may work.
            PermanentMailError: the server refused the message for good.
        """
        transport = self.transport(mailer)
        return await transport.send(await self.prepare(message))

    async def queue(
        self,
        message: Message | MailableProtocol,
        *,
        queue: str | None = None,
        delay: float = 0,
        mailer: str | None = None,
        tries: int | None = None,
        backoff: float | Sequence[float] | None = None,
    ) -> str:
        """Build and check the message now, then dispatch a ``SendQueuedMail`` job.

        Args:
            tries: attempts before the job is failed; None: the mailable's ``tries``, else
                ``MAIL_QUEUE_TRIES``.
            backoff: seconds before each retry (one number, or one per retry, the last
                repeating); None: the mailable's ``backoff``, else ``MAIL_QUEUE_BACKOFF``.

        Returns:
            The job id the queue gave.

        Raises:
            MailConfigurationError: no ``QueueDispatcher`` is bound (install foundry-queue),
                ``mailer`` is unknown, or ``tries`` / ``backoff`` is not valid.
            InvalidMessageError: the message could never be sent; nothing was queued.
        """
        from foundry.domain.contracts import unbound_message
        from foundry.domain.queue import QueueDispatcher
        from foundry.mail.jobs import SendQueuedMail
        from foundry.mail.mime import build_mime
        from foundry.mail.serialization import message_to_dict

        if mailer is not None:
            self.mailer(mailer)
        retries = self.retries_for(message, tries=tries, backoff=backoff)
        if self._container is None or not self._container.bound(QueueDispatcher):
            raise MailConfigurationError(
                "Queued mail needs a queue. " + unbound_message(QueueDispatcher)
            )
        built = await self.prepare(message)
        build_mime(built)  # an invalid message fails here, not later in a worker
        job = SendQueuedMail(message=message_to_dict(built), mailer=mailer).with_options(
            tries=retries.tries, backoff=retries.backoff
        )
        dispatcher = self._container.make(QueueDispatcher)
        return await dispatcher.dispatch(job, queue=queue, delay=delay)

    def retries_for(
        self,
        message: Message | MailableProtocol,
        *,
        tries: int | None = None,
        backoff: float | Sequence[float] | None = None,
    ) -> RetryPolicy:
        """How ``message`` is retried when queued: the call's values win over the
        mailable's ``tries`` / ``backoff``, which win over ``mail.queue`` — the order a
        Laravel user expects, so one slow-to-deliver mailable needs no global change.

        Raises:
            MailConfigurationError: a value is not valid (the message names its source).
        """
        owner = type(message).__name__
        from_mailable = self.config.retries.overridden(
            getattr(message, "tries", None),
            getattr(message, "backoff", None),
            names=(f"{owner}.tries", f"{owner}.backoff"),
        )
        return from_mailable.overridden(
            tries, backoff, names=("queue(tries=...)", "queue(backoff=...)")
        )

    async def aclose(self) -> None:
        """Close transports that hold connections (SMTP sessions)."""
        for transport in list(self._transports.values()):
            close = getattr(transport, "aclose", None)
            if close is not None:
                await close()

    # --- collaborators ------------------------------------------------------------------

    def _views_for(self) -> MailViews:
        if self._views is None:
            from pathlib import Path

            from foundry.mail.views import MailViews

            self._views = MailViews(Path.cwd())
        return self._views

    def _storage(self) -> Any:
        from foundry.domain.storage import Storage

        if self._container is not None and self._container.bound(Storage):
            return self._container.make(Storage)
        return None

    def describe(self) -> Mapping[str, Any]:
        """The default mailer, sender and mailer names (never secrets)."""
        sender = self.config.from_address
        return {
            "default": self.default,
            "from": str(sender) if sender else None,
            "mailers": sorted(self.config.mailers),
        }


class NamedMailer:
    """One named mailer of a :class:`MailManager` (what ``mailer(name)`` returns)."""

    def __init__(self, manager: MailManager, name: str) -> None:
        self._manager = manager
        self.name = name

    @property
    def transport(self) -> Transport:
        return self._manager.transport(self.name)

    async def send(self, message: Message | MailableProtocol) -> SentMessage:
        """Send now through this mailer."""
        return await self._manager.send(message, mailer=self.name)

    async def queue(
        self,
        message: Message | MailableProtocol,
        *,
        queue: str | None = None,
        delay: float = 0,
        tries: int | None = None,
        backoff: float | Sequence[float] | None = None,
    ) -> str:
        """Queue delivery through this mailer (``tries`` / ``backoff`` as
        :meth:`MailManager.queue`)."""
        return await self._manager.queue(
            message, queue=queue, delay=delay, mailer=self.name, tries=tries, backoff=backoff
        )

    def mailer(self, name: str) -> NamedMailer:
        return self._manager.mailer(name)
