"""Signing keys: where they live, how they rotate, and the JWKS that publishes them.

The private key comes from ``OAUTH_PRIVATE_KEY``/``OAUTH_PUBLIC_KEY`` or from the PEM
files ``passport:keys`` writes to ``storage/oauth/`` (mode 0600). Each key's ``kid`` is
its RFC 7638 thumbprint. Rotating (``passport:keys --force``) retires the old key: its
public half stays in ``storage/oauth/retired/`` and, with database storage, in
``oauth_signing_keys`` until every token it signed has expired, so tokens minted before
the rotation (by this instance or another) keep verifying.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from foundry.oauth_server.errors import SigningKeyMissing
from foundry.oauth_server.models import SigningKeyRecord

__all__ = ["KeyFiles", "KeyRing", "SigningKey", "generate_key", "load_public_key"]

PRIVATE_FILE = "oauth-private.key"
PUBLIC_FILE = "oauth-public.key"
RETIRED_DIR = "retired"


@dataclass(frozen=True, slots=True)
class SigningKey:
    """A key pair (or only its public half) and its identity."""

    kid: str
    alg: str
    key: Any  # joserfc RSAKey / ECKey
    public_pem: str
    private: bool

    def public_jwk(self) -> dict[str, Any]:
        return dict(self.key.as_dict(private=False, kid=self.kid, alg=self.alg, use="sig"))


def _key_class(alg: str) -> Any:
    from joserfc.jwk import ECKey, RSAKey

    return RSAKey if alg == "RS256" else ECKey


def _alg_of(key: Any) -> str:
    from joserfc.jwk import ECKey, RSAKey

    if isinstance(key, RSAKey):
        return "RS256"
    if isinstance(key, ECKey) and key.curve_name == "P-256":
        return "ES256"
    raise SigningKeyMissing(
        "The OAuth signing key must be an RSA key (RS256) or an EC P-256 key (ES256); "
        "run foundry passport:keys --force to create one."
    )


def generate_key(alg: str) -> SigningKey:
    """A fresh key pair: RSA 2048 for RS256, P-256 for ES256."""
    cls = _key_class(alg)
    key = cls.generate_key(2048 if alg == "RS256" else "P-256", private=True)
    return _identified(key, alg, private=True)


def _identified(key: Any, alg: str, *, private: bool) -> SigningKey:
    public_pem = key.as_pem(private=False).decode()
    return SigningKey(key.thumbprint(), alg, key, public_pem, private)


def load_private_key(pem: str, expected_alg: str | None = None) -> SigningKey:
    """Import a PEM private key; its algorithm follows from its type."""
    from joserfc.jwk import ECKey, RSAKey

    try:
        key: Any = RSAKey.import_key(pem)
    except Exception:
        try:
            key = ECKey.import_key(pem)
        except Exception as exc:
            raise SigningKeyMissing(
                f"The OAuth private key is not a readable PEM key ({type(exc).__name__}); "
                "check OAUTH_PRIVATE_KEY or run foundry passport:keys --force."
            ) from None
    if not key.is_private:
        raise SigningKeyMissing(
            "OAUTH_PRIVATE_KEY (or storage/oauth/oauth-private.key) holds a public key; it "
            "must hold the private key."
        )
    alg = _alg_of(key)
    if expected_alg is not None and alg != expected_alg:
        raise SigningKeyMissing(
            f"OAUTH_SIGNING_ALG={expected_alg} but the private key is a {alg} key; set "
            f"OAUTH_SIGNING_ALG={alg} or run foundry passport:keys --force to replace it."
        )
    return _identified(key, alg, private=True)


def load_public_key(pem: str, alg: str) -> SigningKey:
    key = _key_class(alg).import_key(pem)
    return _identified(key, alg, private=False)


class KeyFiles:
    """The PEM files under ``storage/oauth/``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @property
    def private_path(self) -> Path:
        return self.folder / PRIVATE_FILE

    @property
    def public_path(self) -> Path:
        return self.folder / PUBLIC_FILE

    def exists(self) -> bool:
        return self.private_path.is_file()

    def read(self) -> str | None:
        return self.private_path.read_text() if self.exists() else None

    def write(self, key: SigningKey) -> None:
        """Write the pair; the private file is created 0600 (never world-readable)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        private_pem = key.key.as_pem(private=True).decode()
        _write_private(self.private_path, private_pem)
        self.public_path.write_text(key.public_pem)

    def retire(self, record: SigningKeyRecord) -> None:
        folder = self.folder / RETIRED_DIR
        folder.mkdir(parents=True, exist_ok=True)
        data = {
            "kid": record.kid,
            "alg": record.alg,
            "public_pem": record.public_pem,
            "created_at": record.created_at.isoformat(),
            "retired_at": record.retired_at.isoformat() if record.retired_at else None,
            "verify_until": record.verify_until.isoformat() if record.verify_until else None,
        }
        (folder / f"{record.kid}.json").write_text(json.dumps(data, indent=2))

    def retired(self) -> list[SigningKeyRecord]:
        folder = self.folder / RETIRED_DIR
        if not folder.is_dir():
            return []
        found = []
        for path in sorted(folder.glob("*.json")):
            try:
                data = json.loads(path.read_text())
                found.append(
                    SigningKeyRecord(
                        kid=data["kid"],
                        alg=data["alg"],
                        public_pem=data["public_pem"],
                        created_at=datetime.fromisoformat(data["created_at"]),
                        retired_at=_date(data.get("retired_at")),
                        verify_until=_date(data.get("verify_until")),
                    )
                )
            except (OSError, ValueError, KeyError):
                continue  # a damaged retired key only stops old tokens verifying
        return found

    def forget_expired(self, now: datetime) -> None:
        for record in self.retired():
            if record.verify_until is not None and record.verify_until <= now:
                (self.folder / RETIRED_DIR / f"{record.kid}.json").unlink(missing_ok=True)


def _date(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _write_private(path: Path, text: str) -> None:
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(text)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)


class KeyRing:
    """The signing key and every public key tokens may still be verified with."""

    def __init__(self, signing: SigningKey | None) -> None:
        self._signing = signing
        self._verifying: dict[str, SigningKey] = {}
        if signing is not None:
            self._verifying[signing.kid] = signing
        self._key_set: Any = None

    @property
    def signing(self) -> SigningKey:
        if self._signing is None:
            raise SigningKeyMissing(
                "OAuth has no signing key: run foundry passport:keys (or passport:install), "
                "or set OAUTH_PRIVATE_KEY and OAUTH_PUBLIC_KEY."
            )
        return self._signing

    @property
    def has_signing_key(self) -> bool:
        return self._signing is not None

    def add_public(self, records: list[SigningKeyRecord], now: datetime) -> None:
        """Trust these public keys for verification (skipping expired ones)."""
        for record in records:
            if record.verify_until is not None and record.verify_until <= now:
                self._verifying.pop(record.kid, None)
                continue
            if record.kid in self._verifying:
                continue
            try:
                self._verifying[record.kid] = load_public_key(record.public_pem, record.alg)
            except Exception:  # noqa: S112 - an unreadable key verifies nothing; skip it
                continue
        self._key_set = None

    def kids(self) -> list[str]:
        return list(self._verifying)

    def verification_key(self, kid: str | None) -> SigningKey | None:
        if kid is None:
            return None
        return self._verifying.get(kid)

    def jwks(self) -> dict[str, Any]:
        """The public JWK Set (``/oauth/jwks``): current key first."""
        keys = [k.public_jwk() for k in self._verifying.values()]
        if self._signing is not None:
            keys.sort(key=lambda jwk: jwk["kid"] != self._signing.kid if self._signing else 0)
        return {"keys": keys}

    def signing_record(self, now: datetime) -> SigningKeyRecord:
        key = self.signing
        return SigningKeyRecord(key.kid, key.alg, key.public_pem, now)


def retirement(record: SigningKeyRecord, now: datetime, longest_lifetime: int) -> SigningKeyRecord:
    """The record of a key taken out of service now: verifiable while its tokens live."""
    return SigningKeyRecord(
        record.kid,
        record.alg,
        record.public_pem,
        record.created_at,
        retired_at=now,
        verify_until=now + timedelta(seconds=longest_lifetime),
    )
