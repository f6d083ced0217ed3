"""``MailMessage``: the quick e-mail of a notification, written line by line (Laravel's).

::

    MailMessage().subject("Invoice paid").greeting("Hello Ada,")
        .line("We received your payment of 42.00 EUR.")
        .action("View invoice", "https://shop.example.com/invoices/7")
        .line("Thank you for your business.")

It builds a plain :class:`~foundry.domain.mail.Message` with a text and an HTML body, so
it works with any ``Mailer``; the mail channel fills in the recipient from the
notifiable's ``mail`` route and the subject from the notification's class name when the
message gives none. Text is HTML-escaped; action URLs must be ``http(s)`` or ``mailto``.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import replace
from typing import Self
from urllib.parse import urlsplit

from foundry.domain.mail import Address, Attachment, Message, coerce_addresses

__all__ = ["MailMessage"]

_COLOURS = {"info": "#2d3748", "success": "#38a169", "error": "#e53e3e"}
_GREETINGS = {"error": "Whoops!"}


class MailMessage:
    """A notification e-mail: greeting, lines, one action button, more lines, salutation."""

    def __init__(self) -> None:
        self._subject: str | None = None
        self._greeting: str | None = None
        self._salutation: str | None = None
        self._level = "info"
        self._intro: list[str] = []
        self._outro: list[str] = []
        self._action: tuple[str, str] | None = None
        self._to: tuple[Address, ...] = ()
        self._cc: tuple[Address, ...] = ()
        self._bcc: tuple[Address, ...] = ()
        self._reply_to: tuple[Address, ...] = ()
        self._from: Address | None = None
        self._attachments: list[Attachment] = []
        self._headers: dict[str, str] = {}
        self._tags: list[str] = []
        self._metadata: dict[str, str] = {}
        self._priority: int | None = None

    # --- content ------------------------------------------------------------------------

    def subject(self, subject: str) -> Self:
        self._subject = subject
        return self

    def greeting(self, greeting: str) -> Self:
        self._greeting = greeting
        return self

    def line(self, text: str) -> Self:
        """A paragraph: before the action when no action is set yet, after it otherwise."""
        (self._outro if self._action else self._intro).append(str(text))
        return self

    def lines(self, texts: Sequence[str]) -> Self:
        for text in texts:
            self.line(text)
        return self

    def action(self, text: str, url: str) -> Self:
        """The button (one per message).

        Raises:
            ValueError: ``url`` is not http(s) or mailto (a ``javascript:`` URL in an
                e-mail is an attack, never a link).
        """
        if urlsplit(url).scheme.lower() not in ("http", "https", "mailto"):
            raise ValueError(f"action URL {url!r} must be an http(s) or mailto URL")
        self._action = (text, url)
        return self

    def salutation(self, salutation: str) -> Self:
        self._salutation = salutation
        return self

    def level(self, level: str) -> Self:
        """``info`` (default), ``success`` or ``error``: the button's colour."""
        if level not in _COLOURS:
            raise ValueError(f"level {level!r} is not one of {', '.join(_COLOURS)}")
        self._level = level
        return self

    def success(self) -> Self:
        return self.level("success")

    def error(self) -> Self:
        return self.level("error")

    # --- envelope -----------------------------------------------------------------------

    def to(self, *addresses: str | Address) -> Self:
        """Recipients (default: the notifiable's ``mail`` route)."""
        self._to = coerce_addresses(list(addresses))
        return self

    def cc(self, *addresses: str | Address) -> Self:
        self._cc = coerce_addresses(list(addresses))
        return self

    def bcc(self, *addresses: str | Address) -> Self:
        self._bcc = coerce_addresses(list(addresses))
        return self

    def reply_to(self, *addresses: str | Address) -> Self:
        self._reply_to = coerce_addresses(list(addresses))
        return self

    def from_(self, email: str, name: str | None = None) -> Self:
        self._from = Address(email, name)
        return self

    def attach(self, attachment: Attachment) -> Self:
        self._attachments.append(attachment)
        return self

    def header(self, name: str, value: str) -> Self:
        self._headers[name] = value
        return self

    def tag(self, tag: str) -> Self:
        self._tags.append(tag)
        return self

    def metadata(self, key: str, value: str) -> Self:
        self._metadata[key] = value
        return self

    def priority(self, level: int) -> Self:
        if not 1 <= level <= 5:
            raise ValueError("priority is 1 (highest) to 5 (lowest)")
        self._priority = level
        return self

    @property
    def recipients(self) -> tuple[Address, ...]:
        return self._to

    # --- building -----------------------------------------------------------------------

    def build(self) -> Message:
        """The :class:`Message` (a ``Mailable``, so ``Mailer.send`` takes it directly)."""
        return Message(
            subject=self._subject or "Notification",
            to=self._to,
            from_=self._from,
            cc=self._cc,
            bcc=self._bcc,
            reply_to=self._reply_to,
            text=self.render_text(),
            html=self.render_html(),
            attachments=tuple(self._attachments),
            headers=dict(self._headers),
            tags=tuple(self._tags),
            metadata=dict(self._metadata),
            priority=self._priority,
        )

    def build_for(self, to: Sequence[Address], subject: str) -> Message:
        """:meth:`build` with recipients and subject filled in where the message has none."""
        message = self.build()
        return replace(message, to=message.to or tuple(to), subject=self._subject or subject)

    def _greeting_text(self) -> str:
        return self._greeting or _GREETINGS.get(self._level, "Hello!")

    def render_text(self) -> str:
        parts = [self._greeting_text(), *self._intro]
        if self._action:
            parts.append(f"{self._action[0]}: {self._action[1]}")
        parts.extend(self._outro)
        parts.append(self._salutation or "Regards")
        return "\n\n".join(parts) + "\n"

    def render_html(self) -> str:
        esc = html.escape
        body = [f'<h1 style="font-size:18px">{esc(self._greeting_text())}</h1>']
        body += [f"<p>{esc(line)}</p>" for line in self._intro]
        if self._action:
            text, url = self._action
            body.append(
                f'<p style="text-align:center"><a href="{esc(url, quote=True)}" '
                f'style="display:inline-block;padding:10px 18px;color:#fff;'
                f'background:{_COLOURS[self._level]};border-radius:4px;text-decoration:none">'
                f"{esc(text)}</a></p>"
            )
        body += [f"<p>{esc(line)}</p>" for line in self._outro]
        body.append(f"<p>{esc(self._salutation or 'Regards')}</p>")
        if self._action:
            text, url = self._action
            body.append(
                f'<p style="font-size:12px;color:#718096">If the "{esc(text)}" button does '
                f"not work, copy this link into your browser: {esc(url)}</p>"
            )
        inner = "\n".join(body)
        return (
            '<!DOCTYPE html>\n<html><body style="font-family:sans-serif;color:#2d3748">\n'
            f'<div style="max-width:570px;margin:0 auto;padding:24px">\n{inner}\n</div>\n'
            "</body></html>\n"
        )
