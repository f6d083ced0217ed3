"""The package's mails (reset link, verification link, welcome) as mailables.

Each implements :class:`foundry.domain.mail.Mailable` — ``build()`` renders text and HTML
from the templates in ``mail/`` (overridable in ``resources/views/vendor/auth/mail/``) —
so any bound ``Mailer`` sends them; the Mailer fills in ``MAIL_FROM_ADDRESS``. When no
Mailer is bound, registration still works (the link is logged as not sent) and the
forgot-password page says mail is not configured.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from foundry.domain.mail import Address, Mailer, Message
from foundry.domain.queue import QueueDispatcher

if TYPE_CHECKING:
    from foundry.auth_scaffolding.views import Views
    from foundry.domain.container import Container

__all__ = ["AuthMail", "ResetPasswordMail", "VerifyEmailMail", "WelcomeMail"]

log = logging.getLogger("foundry.auth")


@dataclass(frozen=True, slots=True)
class _TemplatedMail:
    views: Views
    to: str
    name: str

    template = ""
    subject = ""

    def _context(self) -> dict[str, object]:
        return {"name": self.name, "email": self.to}

    def build(self) -> Message:
        context = self._context()
        return Message(
            subject=self.subject.format(app=self.views.app_name),
            to=[Address(self.to, self.name or None)],
            text=self.views.render(f"mail/{self.template}.txt", context),
            html=self.views.render(f"mail/{self.template}.html", context),
            tags=["auth", self.template],
        )


@dataclass(frozen=True, slots=True)
class ResetPasswordMail(_TemplatedMail):
    """The password reset link."""

    url: str = ""
    minutes: int = 60
    template = "reset-password"
    subject = "Reset your {app} password"

    def _context(self) -> dict[str, object]:
        return {"name": self.name, "email": self.to, "url": self.url, "minutes": self.minutes}


@dataclass(frozen=True, slots=True)
class VerifyEmailMail(_TemplatedMail):
    """The e-mail verification link."""

    url: str = ""
    hours: int = 24
    template = "verify-email"
    subject = "Verify your e-mail address for {app}"

    def _context(self) -> dict[str, object]:
        return {"name": self.name, "email": self.to, "url": self.url, "hours": self.hours}


@dataclass(frozen=True, slots=True)
class WelcomeMail(_TemplatedMail):
    """Sent once the address is verified."""

    url: str = ""
    template = "welcome"
    subject = "Welcome to {app}"

    def _context(self) -> dict[str, object]:
        return {"name": self.name, "email": self.to, "url": self.url}


class AuthMail:
    """Sends the package's mails through the bound ``Mailer``.

    With a queue bound (``QueueDispatcher``, from foundry-queue) each mail is queued, so a
    mail server that is down delays it (retried with backoff, then kept in ``failed_jobs``)
    instead of losing it; config ``auth.queue_mail = false`` sends at once instead.
    """

    def __init__(self, container: Container, *, queue: bool = True) -> None:
        self._container = container
        self._queue = queue

    @property
    def configured(self) -> bool:
        return self._container.bound(Mailer)

    async def send(self, mail: _TemplatedMail) -> bool:
        """Queue (or send) the mail; False (logged, nothing raised) when no Mailer is
        bound or handing it over failed."""
        if not self.configured:
            log.warning(
                "%s for a user was not sent: no Mailer is bound (install foundry-mail).",
                type(mail).__name__,
            )
            return False
        mailer = self._container.make(Mailer)
        try:
            if self._queue and self._container.bound(QueueDispatcher):
                await mailer.queue(mail.build())
            else:
                await mailer.send(mail)
        except Exception:
            log.exception("sending %s failed", type(mail).__name__)
            return False
        return True
