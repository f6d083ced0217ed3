"""Mailables: one class per kind of e-mail, Laravel style.

A mailable says who the mail is for and what it is about (:meth:`Mailable.envelope`), which
templates make its body (:meth:`Mailable.content`) and what it carries
(:meth:`Mailable.attachments`); :meth:`Mailable.build` turns it into a
:class:`~foundry.domain.mail.Message`. Its public attributes are the templates' variables::

    @dataclass
    class OrderShipped(Mailable):
        order_id: int
        customer: str

        def envelope(self) -> Envelope:
            return Envelope(subject=f"Order {self.order_id} has shipped", tags=["orders"])

        def content(self) -> Content:
            return Content(markdown="orders/shipped.md")

        def attachments(self) -> list[Attachment | StorageFile]:
            return [StorageFile(f"invoices/{self.order_id}.pdf")]

    await mailer.send(OrderShipped(42, "Ada").to("ada@example.com"))
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, is_dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Self

from foundry.domain.mail import Address, Attachment, Message, coerce_addresses
from foundry.domain.naming import title
from foundry.mail.attachments import StorageFile
from foundry.mail.exceptions import MailConfigurationError

if TYPE_CHECKING:
    from foundry.domain.storage import Storage
    from foundry.mail.views import MailViews

__all__ = ["AddressLike", "Content", "Envelope", "Mailable"]

AddressLike = str | Address | Sequence[str | Address]


@dataclass(frozen=True, slots=True)
class Envelope:
    """Who a mailable is from and for, and what it is about.

    ``subject`` defaults to the class name in words (``OrderShipped`` -> "Order Shipped");
    ``from_`` to the mailer's ``MAIL_FROM_ADDRESS``. ``tags`` and ``metadata`` travel as
    ``X-Tag`` / ``X-Metadata-*`` headers; ``headers`` are sent exactly as given.
    """

    subject: str | None = None
    from_: str | Address | None = None
    to: AddressLike = ()
    cc: AddressLike = ()
    bcc: AddressLike = ()
    reply_to: AddressLike = ()
    tags: Sequence[str] = ()
    metadata: Mapping[str, str] = field(default_factory=dict)
    headers: Mapping[str, str] = field(default_factory=dict)
    priority: int | None = None


@dataclass(frozen=True, slots=True)
class Content:
    """The templates of a mailable's body, named under ``resources/views/mail/``.

    Give ``html`` and/or ``text`` (Jinja2 templates), or ``markdown`` (a Markdown template
    rendered in the package's responsive layout with its components, which gives both
    bodies). ``data`` adds template variables to the mailable's public attributes.
    """

    html: str | None = None
    text: str | None = None
    markdown: str | None = None
    data: Mapping[str, Any] = field(default_factory=dict)


def _addresses(value: AddressLike) -> tuple[Address, ...]:
    if not value:
        return ()
    return coerce_addresses(value)


class Mailable(ABC):
    """Base class of mailables; subclasses implement :meth:`content` at least.

    Recipients can come from :meth:`envelope` or be added per send with :meth:`to`,
    :meth:`cc` and :meth:`bcc`. Storage attachments (:class:`StorageFile`) need
    :meth:`build_async` (the mailer calls it); :meth:`build` handles everything else.

    ``tries`` and ``backoff`` (class attributes, as Laravel's ``$tries`` / ``$backoff``)
    say how this kind of mail is retried when queued; None leaves it to ``mail.queue``
    (``MAIL_QUEUE_TRIES`` / ``MAIL_QUEUE_BACKOFF``), and ``queue(..., tries=, backoff=)``
    overrides both for one send.
    """

    tries: ClassVar[int | None] = None
    """Attempts before queued delivery is failed (None: ``MAIL_QUEUE_TRIES``)."""

    backoff: ClassVar[float | Sequence[float] | None] = None
    """Seconds before each retry, one number or one per retry (None: ``MAIL_QUEUE_BACKOFF``)."""

    def envelope(self) -> Envelope:
        """Subject, sender, recipients, tags, metadata, headers and priority."""
        return Envelope()

    @abstractmethod
    def content(self) -> Content:
        """The templates that make the body."""

    def attachments(self) -> Sequence[Attachment | StorageFile]:
        """Files to attach: ``Attachment`` values or ``StorageFile`` references."""
        return ()

    # --- recipients added per send ------------------------------------------------------

    def _extra(self, kind: str) -> tuple[Address, ...]:
        extra: tuple[Address, ...] = self.__dict__.get(f"_mailable_{kind}", ())
        return extra

    def _add(self, kind: str, addresses: tuple[str | Address, ...]) -> Self:
        self.__dict__[f"_mailable_{kind}"] = self._extra(kind) + coerce_addresses(addresses)
        return self

    def to(self, *addresses: str | Address) -> Self:
        """Add recipients for this send; returns the mailable."""
        return self._add("to", addresses)

    def cc(self, *addresses: str | Address) -> Self:
        """Add carbon-copy recipients; returns the mailable."""
        return self._add("cc", addresses)

    def bcc(self, *addresses: str | Address) -> Self:
        """Add blind-copy recipients (never shown in the headers); returns the mailable."""
        return self._add("bcc", addresses)

    # --- building -----------------------------------------------------------------------

    def context(self) -> dict[str, Any]:
        """The template variables: public attributes (dataclass fields included)."""
        if is_dataclass(self):
            values = {f.name: getattr(self, f.name) for f in fields(self)}
        else:
            values = dict(vars(self))
        return {k: v for k, v in values.items() if not k.startswith("_")}

    def build(self, views: MailViews | None = None) -> Message:
        """Render the templates and assemble the message.

        Args:
            views: the template engine (``app.make(MailViews)``); None renders from the
                current folder's ``resources/views/mail/``.

        Raises:
            MailConfigurationError: an attachment is a ``StorageFile`` (use
                :meth:`build_async`, or send through the mailer, which does).
            MailTemplateError: a template is missing or broken.
        """
        pending = [a for a in self.attachments() if isinstance(a, StorageFile)]
        if pending:
            raise MailConfigurationError(
                f"{type(self).__name__} attaches {pending[0].path} from a storage disk, which "
                "is read asynchronously: send it with the mailer (await mailer.send(...)) or "
                "build it with await mailable.build_async(storage=...)."
            )
        return self._assemble(views, [a for a in self.attachments() if isinstance(a, Attachment)])

    async def build_async(
        self, *, views: MailViews | None = None, storage: Storage | None = None
    ) -> Message:
        """Like :meth:`build`, reading ``StorageFile`` attachments from ``storage``.

        Raises:
            MailConfigurationError: a ``StorageFile`` is attached and no storage was given
                (install foundry-storage).
            AttachmentNotFoundError: a file is not on its disk.
        """
        resolved: list[Attachment] = []
        for item in self.attachments():
            if isinstance(item, StorageFile):
                if storage is None:
                    from foundry.domain.contracts import unbound_message
                    from foundry.domain.storage import Storage

                    raise MailConfigurationError(
                        f"{type(self).__name__} attaches {item.path} from a storage disk: "
                        + unbound_message(Storage)
                    )
                resolved.append(await item.resolve(storage))
            else:
                resolved.append(item)
        return self._assemble(views, resolved)

    def render(self, views: MailViews | None = None) -> str:
        """The HTML body, for previews in the browser (the text body in ``<pre>`` when
        the mailable has no HTML)."""
        message = self._assemble(views, [])
        if message.html is not None:
            return message.html
        import html

        return f"<pre>{html.escape(message.text or '')}</pre>"

    def _assemble(self, views: MailViews | None, attachments: list[Attachment]) -> Message:
        envelope = self.envelope()
        content = self.content()
        if not (content.html or content.text or content.markdown):
            raise MailConfigurationError(
                f"{type(self).__name__}.content() names no template: give html, text or markdown."
            )
        engine = views if views is not None else _default_views()
        subject = envelope.subject or title(type(self).__name__)
        context = {**self.context(), **content.data, "subject": subject}
        rendered = engine.render(
            html=content.html, text=content.text, markdown=content.markdown, context=context
        )
        sender = envelope.from_
        return Message(
            subject=subject,
            to=_addresses(envelope.to) + self._extra("to"),
            from_=coerce_addresses(sender)[0] if sender else None,
            cc=_addresses(envelope.cc) + self._extra("cc"),
            bcc=_addresses(envelope.bcc) + self._extra("bcc"),
            reply_to=_addresses(envelope.reply_to),
            text=rendered.text,
            html=rendered.html,
            attachments=(*rendered.inline, *attachments),
            headers=dict(envelope.headers),
            tags=tuple(envelope.tags),
            metadata=dict(envelope.metadata),
            priority=envelope.priority,
        )


def _default_views() -> MailViews:
    from foundry.mail.views import MailViews

    return MailViews(Path.cwd())
