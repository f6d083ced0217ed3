"""How SMTP failures map to mail errors: retryable (transient) or permanent.

4xx replies, timeouts, refused or lost connections and TLS failures may pass, so they are
:class:`TransientMailError`; 5xx replies and rejected logins will not, so they are
:class:`PermanentMailError`. Messages name the server and the setting to check, never the
password.
"""

from __future__ import annotations

import asyncio
import ssl

import aiosmtplib

from foundry.mail.exceptions import PermanentMailError, TransientMailError

__all__ = ["all_refused", "classify"]


def classify(exc: BaseException, where: str) -> TransientMailError | PermanentMailError:
    """Map an aiosmtplib (or socket) failure to a retryable or permanent mail error."""
    code = getattr(exc, "code", None)
    reason = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    if isinstance(exc, aiosmtplib.SMTPAuthenticationError) and code and code >= 500:
        return PermanentMailError(
            f"{where} refused the login ({code} {reason}). Check MAIL_USERNAME and MAIL_PASSWORD.",
            smtp_code=code,
        )
    if isinstance(exc, aiosmtplib.SMTPResponseException) and code is not None:
        if 500 <= code < 600:
            return PermanentMailError(f"{where} answered {code} {reason}.", smtp_code=code)
        return TransientMailError(
            f"{where} answered {code} {reason}; try again later.", smtp_code=code
        )
    if isinstance(exc, aiosmtplib.SMTPTimeoutError | asyncio.TimeoutError | TimeoutError):
        return TransientMailError(
            f"{where} did not answer in time ({reason}); raise MAIL_TIMEOUT or try later."
        )
    if isinstance(exc, ssl.SSLError | ssl.CertificateError):
        return TransientMailError(
            f"TLS with {where} failed ({reason}). Check MAIL_ENCRYPTION and that the "
            "server's certificate is trusted."
        )
    if isinstance(exc, aiosmtplib.SMTPConnectError | ConnectionRefusedError):
        return TransientMailError(
            f"Could not connect to {where} ({reason}). Check MAIL_HOST, MAIL_PORT and "
            "MAIL_ENCRYPTION, or try again later; the message was not sent."
        )
    if isinstance(exc, aiosmtplib.SMTPServerDisconnected):
        return TransientMailError(
            f"{where} closed the connection before confirming the message ({reason}); try "
            "again later."
        )
    return TransientMailError(f"Could not deliver through {where}: {reason}.")


def all_refused(
    refused: dict[str, aiosmtplib.SMTPRecipientRefused], where: str
) -> TransientMailError | PermanentMailError:
    """The error for a message every recipient refused: retryable if any refusal was 4xx."""
    details = "; ".join(f"{r}: {e.code} {e.message}" for r, e in refused.items())
    context = {"rejected": {r: e.code for r, e in refused.items()}}
    temporary = [e.code for e in refused.values() if 400 <= e.code < 500]
    if temporary:
        return TransientMailError(
            f"{where} refused every recipient, some for now ({details}); try again later.",
            smtp_code=temporary[0],
            context=context,
        )
    first = next(iter(refused.values())).code
    return PermanentMailError(
        f"{where} refused every recipient ({details}). Nothing was sent.",
        smtp_code=first,
        context=context,
    )
