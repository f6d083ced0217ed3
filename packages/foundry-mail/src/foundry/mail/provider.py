"""The mail package's provider: the ``Mailer``, its variables, commands and stubs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from foundry.domain.config import ConfigRepository
from foundry.domain.container import Abstract
from foundry.domain.env import EnvVar
from foundry.domain.mail import Mailer
from foundry.domain.provider import ServiceProvider
from foundry.domain.queue import QueueDispatcher
from foundry.domain.storage import Storage

if TYPE_CHECKING:
    from foundry.domain.application import Application

__all__ = ["MailServiceProvider"]


class MailServiceProvider(ServiceProvider):
    """Binds ``Mailer`` (a ``MailManager``) and ``MailViews``; adds ``mail:test`` and
    ``make:mail``."""

    name = "mail"
    provides: ClassVar[tuple[Abstract, ...]] = (Mailer,)
    after: ClassVar[tuple[Abstract, ...]] = (ConfigRepository, QueueDispatcher, Storage)
    commands: ClassVar[tuple[str, ...]] = (
        "foundry.mail.commands:MailTestCommand",
        "foundry.mail.make:MakeMailCommand",
    )
    stubs = "foundry.mail:stubs"
    env: ClassVar[tuple[EnvVar, ...]] = (
        EnvVar(
            "MAIL_MAILER",
            "mail.default",
            "str",
            "log",
            description="The default mailer: log, smtp, array, failover or one in mail.mailers",
            aliases=("MAIL_DRIVER",),
        ),
        EnvVar(
            "MAIL_HOST", "mail.mailers.smtp.host", "str", "127.0.0.1", description="SMTP server"
        ),
        EnvVar(
            "MAIL_PORT",
            "mail.mailers.smtp.port",
            "int",
            description="SMTP port (default 465 for ssl/tls, 587 for starttls, 25 for none)",
        ),
        EnvVar("MAIL_USERNAME", "mail.mailers.smtp.username", description="SMTP login name"),
        EnvVar(
            "MAIL_PASSWORD",
            "mail.mailers.smtp.password",
            secret=True,
            description="SMTP password",
        ),
        EnvVar(
            "MAIL_ENCRYPTION",
            "mail.mailers.smtp.encryption",
            "enum",
            "none",
            choices=("none", "starttls", "ssl", "tls"),
            description="ssl or tls: implicit TLS; starttls: upgrade a clear connection; none",
        ),
        EnvVar(
            "MAIL_TIMEOUT",
            "mail.mailers.smtp.timeout",
            "float",
            30.0,
            description="Seconds an SMTP connect or command may take",
        ),
        EnvVar(
            "MAIL_FROM_ADDRESS",
            "mail.from.address",
            "email",
            description="The default sender's address (required to send)",
        ),
        EnvVar(
            "MAIL_FROM_NAME",
            "mail.from.name",
            description="The default sender's name (default APP_NAME)",
        ),
        EnvVar(
            "MAIL_FAILOVER",
            "mail.mailers.failover.mailers",
            "list",
            ["smtp", "log"],
            description="Mailers the failover mailer tries in order, comma-separated",
        ),
        EnvVar(
            "MAIL_QUEUE_TRIES",
            "mail.queue.tries",
            "int",
            5,
            description="Attempts a queued mail gets before it is failed (1 or more)",
        ),
        EnvVar(
            "MAIL_QUEUE_BACKOFF",
            "mail.queue.backoff",
            "list",
            [10, 60, 300, 900],
            description="Seconds before each retry of a queued mail, comma-separated",
        ),
    )

    def register(self, app: Application) -> None:
        def views(_: Any) -> Any:
            from foundry.mail.views import MailViews

            return MailViews(
                app.base_path,
                app_name=str(app.config.get("app.name") or ""),
                app_url=str(app.config.get("app.url") or ""),
            )

        def mailer(_: Any) -> Mailer:
            from foundry.mail.config import MailConfig
            from foundry.mail.manager import MailManager
            from foundry.mail.views import MailViews

            return MailManager(
                MailConfig.from_config(app.config), views=app.make(MailViews), container=app
            )

        from foundry.mail.manager import MailManager
        from foundry.mail.views import MailViews

        app.singleton(MailViews, views)
        app.singleton(Mailer, mailer)
        app.alias(Mailer, MailManager)

    def boot(self, app: Application) -> None:
        from foundry.mail.config import RetryPolicy

        # The mailer is built on first use; check the queue retries now so a bad
        # MAIL_QUEUE_TRIES / MAIL_QUEUE_BACKOFF stops the boot instead of the first send.
        RetryPolicy.from_config(app.config)

        async def close() -> None:
            from foundry.mail.manager import MailManager

            if app.bound(Mailer):
                manager = app.make(Mailer)
                if isinstance(manager, MailManager):
                    await manager.aclose()

        app.terminating(close)
