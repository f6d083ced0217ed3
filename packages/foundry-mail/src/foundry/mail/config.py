"""Mail settings, read from the config repository, and the transports they describe.

The layout follows Laravel's ``config/mail.php``; the environment variables fill it:

=====================  =================================  =====================
variable               config key                         default
=====================  =================================  =====================
``MAIL_MAILER``        ``mail.default``                   ``log``
``MAIL_HOST``          ``mail.mailers.smtp.host``         ``127.0.0.1``
``MAIL_PORT``          ``mail.mailers.smtp.port``         by encryption
``MAIL_USERNAME``      ``mail.mailers.smtp.username``     (no login)
``MAIL_PASSWORD``      ``mail.mailers.smtp.password``
``MAIL_ENCRYPTION``    ``mail.mailers.smtp.encryption``   ``none``
``MAIL_TIMEOUT``       ``mail.mailers.smtp.timeout``      30 seconds
``MAIL_FAILOVER``      ``mail.mailers.failover.mailers``  ``smtp,log``
``MAIL_FROM_ADDRESS``  ``mail.from.address``
``MAIL_FROM_NAME``     ``mail.from.name``                 ``APP_NAME``
``MAIL_QUEUE_TRIES``   ``mail.queue.tries``               5
``MAIL_QUEUE_BACKOFF`` ``mail.queue.backoff``             ``10,60,300,900``
=====================  =================================  =====================

More mailers can be declared in ``config/mail.toml`` under ``[mailers.<name>]`` with a
``transport`` (``smtp``, ``log``, ``array``, ``failover`` or one added with
``MailManager.extend``) and its settings; an SMTP mailer also reads ``keepalive`` (seconds an
idle session is kept, default 5), ``local_hostname`` and ``cafile`` (a CA bundle to trust).

``mail.queue`` is how queued mail is retried (:class:`RetryPolicy`); a mailable's ``tries``
/ ``backoff`` and the ``tries=`` / ``backoff=`` of ``Mailer.queue()`` override it per message.
"""

from __future__ import annotations

import contextlib
import logging
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from foundry.domain.config import ConfigRepository
from foundry.domain.mail import Address, Transport
from foundry.mail.exceptions import MailConfigurationError

__all__ = [
    "BUILT_IN",
    "DEFAULT_BACKOFF",
    "DEFAULT_TRIES",
    "MailConfig",
    "RetryPolicy",
    "TransportFactory",
    "build_transport",
]

TransportFactory = Callable[[Mapping[str, Any]], Transport]
"""Builds a transport from a mailer's settings (``MailManager.extend``)."""

BUILT_IN: dict[str, dict[str, Any]] = {
    "smtp": {"transport": "smtp"},
    "log": {"transport": "log"},
    "array": {"transport": "array"},
    "failover": {"transport": "failover", "mailers": ["smtp", "log"]},
}

DEFAULT_TRIES = 5
"""Attempts a queued message gets when nothing else says: enough to ride out an SMTP
server restart or a greylisting delay without retrying a dead server forever."""

DEFAULT_BACKOFF: tuple[float, ...] = (10, 60, 300, 900)
"""Seconds before each retry of a queued message (the last repeats): quick at first for a
blip, then up to 15 minutes so a server that is down gets room to come back."""


def _whole_number(value: Any, name: str) -> int:
    """``value`` as a count of attempts (1 or more); text from the environment too."""
    count: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        count = value
    elif isinstance(value, float) and value.is_integer():
        count = int(value)
    elif isinstance(value, str) and value.strip().isdigit():
        count = int(value.strip())
    if count is None or count < 1:
        raise MailConfigurationError(
            f"{name} is {value!r}: give a whole number of attempts, 1 or more."
        )
    return count


def _delays(value: Any, name: str) -> tuple[float, ...]:
    """``value`` as retry delays: one number, a sequence, or comma-separated text."""
    if isinstance(value, str):
        items: list[Any] = [part.strip() for part in value.split(",") if part.strip()]
    elif isinstance(value, int | float) and not isinstance(value, bool):
        items = [value]
    elif isinstance(value, Sequence):
        items = list(value)
    else:
        items = [value]
    delays: list[float] = []
    for item in items:
        seconds = math.nan
        if not isinstance(item, bool):
            with contextlib.suppress(TypeError, ValueError):
                seconds = float(item)
        if not math.isfinite(seconds) or seconds < 0:
            raise MailConfigurationError(
                f"{name} holds {item!r}: give seconds (0 or more) before each retry, one "
                "number or a comma-separated list such as 10,60,300,900."
            )
        delays.append(seconds)
    if not delays:
        raise MailConfigurationError(
            f"{name} is empty: give the seconds before each retry (0 to retry at once)."
        )
    return tuple(delays)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How a queued message is retried: ``tries`` attempts, ``backoff`` seconds apart.

    Laravel reads ``$tries`` / ``$backoff`` off the mailable and falls back to the queue's
    settings; here the fallback is ``mail.queue`` (``MAIL_QUEUE_TRIES``,
    ``MAIL_QUEUE_BACKOFF``), so an operator can tune every mail at once and a mailable or
    a ``queue()`` call can still ask for its own.
    """

    tries: int = DEFAULT_TRIES
    backoff: tuple[float, ...] = DEFAULT_BACKOFF

    @classmethod
    def from_config(cls, config: ConfigRepository) -> RetryPolicy:
        """Read ``mail.queue.tries`` and ``mail.queue.backoff``.

        The provider calls it at boot, so a bad value stops the application then, naming
        its variable, instead of surfacing at the first queued mail.

        Raises:
            MailConfigurationError: a value is not a positive whole number / not seconds.
        """
        return cls().overridden(
            config.get("mail.queue.tries"),
            config.get("mail.queue.backoff"),
            names=(
                "MAIL_QUEUE_TRIES (mail.queue.tries)",
                "MAIL_QUEUE_BACKOFF (mail.queue.backoff)",
            ),
        )

    def overridden(self, tries: Any, backoff: Any, *, names: tuple[str, str]) -> RetryPolicy:
        """This policy with ``tries`` / ``backoff`` replaced where they are given.

        ``None`` (and empty text) keeps the current value, which is how a mailable that
        says nothing inherits the configuration. ``names`` say where each value came from,
        for the error message.

        Raises:
            MailConfigurationError: a given value is not valid.
        """
        return RetryPolicy(
            self.tries if tries is None or tries == "" else _whole_number(tries, names[0]),
            self.backoff if backoff is None or backoff == "" else _delays(backoff, names[1]),
        )


@dataclass(frozen=True, slots=True)
class MailConfig:
    """The default mailer, the default sender, every mailer's settings and how queued mail
    is retried."""

    default: str = "log"
    from_address: Address | None = None
    mailers: Mapping[str, Mapping[str, Any]] = field(default_factory=lambda: dict(BUILT_IN))
    retries: RetryPolicy = RetryPolicy()

    @classmethod
    def from_config(cls, config: ConfigRepository) -> MailConfig:
        """Read the ``mail`` section (and ``app.name`` for the sender's default name)."""
        section = config.get("mail", {}) or {}
        if not isinstance(section, Mapping):
            raise MailConfigurationError("Config key mail must be a section (a table).")
        mailers: dict[str, dict[str, Any]] = {k: dict(v) for k, v in BUILT_IN.items()}
        for name, settings in (section.get("mailers") or {}).items():
            if not isinstance(settings, Mapping):
                raise MailConfigurationError(f"Config key mail.mailers.{name} must be a table.")
            mailers.setdefault(name, {"transport": name}).update(settings)
        sender = section.get("from") or {}
        address = sender.get("address") if isinstance(sender, Mapping) else None
        name = sender.get("name") if isinstance(sender, Mapping) else None
        from_address = None
        if address:
            from_address = Address(str(address), str(name or config.get("app.name") or "") or None)
        return cls(
            str(section.get("default") or "log").strip(),
            from_address,
            mailers,
            RetryPolicy.from_config(config),
        )

    def settings(self, name: str) -> Mapping[str, Any]:
        """One mailer's settings (with ``transport``)."""
        found = self.mailers.get(name)
        if found is None:
            raise MailConfigurationError(
                f'No mailer is named "{name}". Known mailers: {", ".join(sorted(self.mailers))}.'
                " Set MAIL_MAILER to one of them or declare it under [mailers.<name>] in "
                "config/mail.toml."
            )
        return found


def _number(settings: Mapping[str, Any], key: str, default: float | None, mailer: str) -> Any:
    value = settings.get(key)
    if value is None or value == "":
        return default
    try:
        return float(value)
    except (TypeError, ValueError):
        raise MailConfigurationError(
            f'Mailer "{mailer}": {key} = {value!r} is not a number.'
        ) from None


def _smtp(name: str, settings: Mapping[str, Any]) -> Transport:
    from foundry.mail.transports.smtp import SmtpTransport

    port = _number(settings, "port", None, name)
    context = None
    if settings.get("cafile"):
        import ssl

        try:
            context = ssl.create_default_context(cafile=str(settings["cafile"]))
        except (OSError, ssl.SSLError) as exc:
            raise MailConfigurationError(
                f'Mailer "{name}": cafile {settings["cafile"]} cannot be read as a CA bundle '
                f"({exc})."
            ) from None
    return SmtpTransport(
        str(settings.get("host") or "127.0.0.1"),
        int(port) if port else None,
        encryption=settings.get("encryption"),
        username=settings.get("username") or None,
        password=settings.get("password") or None,
        timeout=_number(settings, "timeout", 30.0, name),
        keepalive=_number(settings, "keepalive", 5.0, name),
        local_hostname=settings.get("local_hostname") or None,
        tls_context=context,
        name=name,
    )


def _names(value: Any) -> list[str]:
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    if isinstance(value, Sequence):
        return [str(part).strip() for part in value if str(part).strip()]
    return []


def build_transport(
    name: str,
    settings: Mapping[str, Any],
    *,
    resolve: Callable[[str], Transport],
    factories: Mapping[str, TransportFactory] | None = None,
) -> Transport:
    """Build the transport of mailer ``name`` from its settings.

    ``resolve`` gives the transports a failover mailer chains; ``factories`` add transport
    kinds (``MailManager.extend``).
    """
    kind = str(settings.get("transport") or name)
    if factories and kind in factories:
        return factories[kind](settings)
    if kind == "smtp":
        return _smtp(name, settings)
    if kind == "log":
        from foundry.mail.transports.log import LogTransport

        channel = settings.get("channel")
        return LogTransport(logging.getLogger(str(channel)) if channel else None)
    if kind == "array":
        from foundry.mail.transports.array import ArrayTransport

        return ArrayTransport()
    if kind == "failover":
        from foundry.mail.transports.failover import FailoverTransport

        chain = _names(settings.get("mailers"))
        if name in chain:
            raise MailConfigurationError(
                f'The failover mailer "{name}" lists itself in its mailers (MAIL_FAILOVER).'
            )
        return FailoverTransport([(member, resolve(member)) for member in chain])
    known = ["smtp", "log", "array", "failover", *sorted(factories or {})]
    raise MailConfigurationError(
        f'Mailer "{name}" uses transport "{kind}", which is not one of {", ".join(known)}. '
        "Add it with MailManager.extend() or fix the transport name."
    )
