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
=====================  =================================  =====================

More mailers can be declared in ``config/mail.toml`` under ``[mailers.<name>]`` with a
``transport`` (``smtp``, ``log``, ``array``, ``failover`` or one added with
``MailManager.extend``) and its settings; an SMTP mailer also reads ``keepalive`` (seconds an
idle session is kept, default 5), ``local_hostname`` and ``cafile`` (a CA bundle to trust).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from foundry.domain.config import ConfigRepository
from foundry.domain.mail import Address, Transport
from foundry.mail.exceptions import MailConfigurationError

__all__ = ["BUILT_IN", "MailConfig", "TransportFactory", "build_transport"]

TransportFactory = Callable[[Mapping[str, Any]], Transport]
"""Builds a transport from a mailer's settings (``MailManager.extend``)."""

BUILT_IN: dict[str, dict[str, Any]] = {
    "smtp": {"transport": "smtp"},
    "log": {"transport": "log"},
    "array": {"transport": "array"},
    "failover": {"transport": "failover", "mailers": ["smtp", "log"]},
}


@dataclass(frozen=True, slots=True)
class MailConfig:
    """The default mailer, the default sender and every mailer's settings."""

    default: str = "log"
    from_address: Address | None = None
    mailers: Mapping[str, Mapping[str, Any]] = field(default_factory=lambda: dict(BUILT_IN))

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
        return cls(str(section.get("default") or "log").strip(), from_address, mailers)

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
