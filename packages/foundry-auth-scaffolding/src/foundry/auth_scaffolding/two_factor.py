"""TOTP (RFC 6238) with pyotp, QR codes as inline SVG (segno), and recovery codes.

Secrets are 160-bit **base32** strings from ``pyotp.random_base32()`` — the encoding the
``otpauth://`` URI, authenticator apps and pyotp all use (RustForge generated base64 and
decoded base32, so no real code ever verified). Codes are 6 digits, 30-second steps, one
step of clock skew either way; a step once used is refused afterwards, so a code cannot be
replayed. Recovery codes carry 120 random bits each and are stored as SHA-256 digests.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from foundry.auth_scaffolding.tokens import digest, same

__all__ = [
    "RECOVERY_CODE_COUNT",
    "Totp",
    "generate_recovery_codes",
    "match_recovery_code",
    "new_secret",
    "qr_svg",
]

RECOVERY_CODE_COUNT = 8
STEP = 30
DIGITS = 6
SKEW = 1
_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"  # 32 symbols: no 0/o, 1/l confusion


def new_secret() -> str:
    """A new base32 TOTP secret (32 characters, 160 bits)."""
    import pyotp

    return pyotp.random_base32()


@dataclass(frozen=True, slots=True)
class Totp:
    """One user's TOTP generator."""

    secret: str

    def provisioning_uri(self, email: str, issuer: str) -> str:
        """The ``otpauth://totp/...`` URI an authenticator app scans."""
        import pyotp

        return pyotp.TOTP(self.secret).provisioning_uri(name=email, issuer_name=issuer)

    def code_at(self, when: datetime) -> str:
        import pyotp

        return pyotp.TOTP(self.secret, digits=DIGITS, interval=STEP).at(when)

    def match(self, code: str, now: datetime) -> int | None:
        """The time step ``code`` belongs to (now, or one step either side), or None.

        The caller must then claim the step (refusing steps already used) before it
        accepts the code.
        """
        import pyotp

        cleaned = "".join(code.split())
        if len(cleaned) != DIGITS or not cleaned.isdigit():
            return None
        generator = pyotp.TOTP(self.secret, digits=DIGITS, interval=STEP)
        current = int(now.timestamp()) // STEP
        found = None
        for step in range(current - SKEW, current + SKEW + 1):
            if same(generator.generate_otp(step), cleaned):
                found = step  # no early exit: the same work whichever step matches
        return found


def qr_svg(uri: str) -> str:
    """The QR code of ``uri`` as an inline ``<svg>`` element (no external service)."""
    import segno

    return str(
        segno.make(uri, error="m").svg_inline(scale=5, border=2, dark="#111827", light="#ffffff")
    )


def generate_recovery_codes(count: int = RECOVERY_CODE_COUNT) -> list[str]:
    """``count`` new codes like ``k7mq2x-9tdv4h-pw3ncz-8fyr6b`` (120 bits each)."""
    return [
        "-".join("".join(secrets.choice(_ALPHABET) for _ in range(6)) for _ in range(4))
        for _ in range(count)
    ]


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.lower() if ch.isalnum())


def hash_recovery_code(code: str) -> str:
    return digest(normalise_code(code))


def match_recovery_code(code: str, stored: Sequence[str]) -> int | None:
    """The index of ``code``'s digest in ``stored`` (compared in constant time), or None."""
    wanted = hash_recovery_code(code)
    found = None
    for index, candidate in enumerate(stored):
        if same(candidate, wanted):
            found = index
    return found


__all__ += ["hash_recovery_code", "normalise_code"]
